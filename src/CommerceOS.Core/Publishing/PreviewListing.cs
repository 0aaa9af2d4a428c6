using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>The listing as it would be sent now, and its current mapping (a new, unsaved one before the first publish).</summary>
public sealed record ListingPreview(PreparedListing Prepared, MarketplaceListing Listing);

/// <summary>
/// The gate's findings and the platform's checklist for one product on one store, before anything is sent: what the
/// Publish Center shows next to the publish button. Reads only (any member).
/// </summary>
public sealed class PreviewListing(AppDbContext db, WorkspaceContext workspace, MarketplacePublishers publishers, ListingDrafts drafts)
{
    public async Task<Result<ListingPreview>> HandleAsync(Guid productId, Guid connectionId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var connection = await db.MarketplaceConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null || !await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return Result.NotFound();
        }

        var publisher = publishers.Find(connection.Platform);
        if (publisher is null)
        {
            return Result.Invalid("connectionId", PublishingErrors.PlatformUnknown, string.Join(", ", publishers.All.Select(p => p.Platform)));
        }

        var listing = await db.MarketplaceListings.AsNoTracking().FirstOrDefaultAsync(l => l.ConnectionId == connectionId && l.ProductId == productId, cancellationToken)
            ?? new MarketplaceListing { WorkspaceId = connection.WorkspaceId, ProductId = productId, ConnectionId = connectionId, Platform = connection.Platform };
        var prepared = await drafts.PrepareAsync(listing, publisher, cancellationToken);
        return prepared is null ? Result.NotFound() : new ListingPreview(prepared, listing);
    }
}
