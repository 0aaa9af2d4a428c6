using CommerceOS.Core.Catalog;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

internal static class CopyModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<ListingCopy>(copy =>
        {
            copy.ToTable("ListingCopies");
            copy.Property(c => c.Marketplace).HasMaxLength(40);
            copy.Property(c => c.Language).HasMaxLength(10);
            copy.HasIndex(c => new { c.WorkspaceId, c.ProductId, c.Marketplace, c.Language }).IsUnique();
            copy.HasOne<Product>().WithMany().HasForeignKey(c => c.ProductId).OnDelete(DeleteBehavior.Cascade);
            copy.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ListingCopyVersion>(version =>
        {
            version.ToTable("ListingCopyVersions");
            version.Property(v => v.Engine).HasMaxLength(40);
            version.Property(v => v.Model).HasMaxLength(200);
            version.Property(v => v.Tone).HasMaxLength(20);
            version.HasIndex(v => new { v.ListingCopyId, v.Number }).IsUnique();
            version.HasIndex(v => new { v.ListingCopyId, v.JobId }).IsUnique();
            version.HasOne<ListingCopy>().WithMany().HasForeignKey(v => v.ListingCopyId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
