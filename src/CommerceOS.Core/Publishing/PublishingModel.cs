using CommerceOS.Core.Catalog;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

internal static class PublishingModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<MarketplaceConnection>(connection =>
        {
            connection.ToTable("MarketplaceConnections");
            connection.Property(c => c.Platform).HasMaxLength(40);
            connection.Property(c => c.Name).HasMaxLength(MarketplaceConnection.MaxNameLength);
            connection.Property(c => c.AccountLabel).HasMaxLength(200);
            connection.Property(c => c.LastErrorCode).HasMaxLength(80);
            connection.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<MarketplaceListing>(listing =>
        {
            listing.ToTable("MarketplaceListings");
            listing.Property(l => l.Platform).HasMaxLength(40);
            listing.Property(l => l.ExternalId).HasMaxLength(200);
            listing.Property(l => l.ExternalUrl).HasMaxLength(500);
            listing.Property(l => l.CategoryId).HasMaxLength(200);
            listing.Property(l => l.CategoryPath).HasMaxLength(400);
            listing.Property(l => l.OffersHash).HasMaxLength(64);
            listing.HasIndex(l => new { l.ConnectionId, l.ProductId }).IsUnique();
            listing.HasIndex(l => new { l.KeepInSync, l.Status });
            listing.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Cascade);
            listing.HasOne<MarketplaceConnection>().WithMany().HasForeignKey(l => l.ConnectionId).OnDelete(DeleteBehavior.Cascade);
            listing.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<MarketplaceCategoryCache>(cache =>
        {
            cache.ToTable("MarketplaceCategoryCaches");
            cache.Property(c => c.Platform).HasMaxLength(40);
            cache.Property(c => c.Language).HasMaxLength(20);
            cache.HasIndex(c => c.ConnectionId).IsUnique();
            cache.HasOne<MarketplaceConnection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
            cache.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Publication>(publication =>
        {
            publication.ToTable("Publications");
            publication.Property(p => p.Platform).HasMaxLength(40);
            publication.Property(p => p.ExternalId).HasMaxLength(200);
            publication.Property(p => p.ExternalUrl).HasMaxLength(500);
            publication.Property(p => p.ErrorCode).HasMaxLength(80);
            publication.Property(p => p.Receipt).HasMaxLength(8000);
            publication.HasIndex(p => new { p.ListingId, p.CreatedAt });
            publication.HasIndex(p => new { p.ProductId, p.CreatedAt });
            publication.HasIndex(p => p.JobId).IsUnique();
            publication.HasOne<MarketplaceListing>().WithMany().HasForeignKey(p => p.ListingId).OnDelete(DeleteBehavior.Cascade);
            publication.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
