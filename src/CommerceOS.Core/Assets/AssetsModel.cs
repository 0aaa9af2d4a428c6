using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Assets;

internal static class AssetsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Asset>(asset =>
        {
            asset.Property(a => a.ContentType).HasMaxLength(100);
            asset.Property(a => a.BlobKey).HasMaxLength(200);
            asset.Property(a => a.ThumbnailBlobKey).HasMaxLength(200);
            asset.Property(a => a.Sha256).HasMaxLength(64);
            asset.Property(a => a.OriginalFileName).HasMaxLength(255);
            asset.Property(a => a.Source).HasMaxLength(100);
            asset.HasIndex(a => new { a.WorkspaceId, a.CreatedAt });
            asset.HasIndex(a => new { a.WorkspaceId, a.Sha256 });
            asset.Property(a => a.Skill).HasMaxLength(40);
            asset.Property(a => a.Marketplace).HasMaxLength(40);
            asset.Property(a => a.OutputKey).HasMaxLength(80);
            asset.HasIndex(a => new { a.WorkspaceId, a.ProductId, a.CreatedAt });

            // The upload retention sweep: stale uploads, the rows still sharing a file, and what was made from an upload.
            asset.HasIndex(a => new { a.Kind, a.LastUsedAt });
            asset.HasIndex(a => a.BlobKey);
            asset.HasIndex(a => a.ThumbnailBlobKey);
            asset.HasIndex(a => a.SourceAssetId);

            // A retried generation finds what an earlier attempt stored instead of storing it twice.
            asset.HasIndex(a => new { a.JobId, a.OutputKey }).IsUnique();
            asset.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
