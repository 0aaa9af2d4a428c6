using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>A product's listing on one store, for the Publish Center.</summary>
public sealed record ListingView(
    Guid Id,
    Guid ProductId,
    string ProductSku,
    string ProductTitle,
    Guid ConnectionId,
    string ConnectionName,
    string Marketplace,
    ListingStatus Status,
    string? ExternalId,
    string? ExternalUrl,
    string? CategoryId,
    string? CategoryPath,
    IReadOnlyDictionary<string, string> Attributes,
    bool KeepInSync,
    DateTime? LastPublishedAt,
    DateTime UpdatedAt);

/// <summary>Read side of the Publish Center (any member; the query filters keep every read inside the workspace).</summary>
public sealed class PublicationQueries(AppDbContext db, WorkspaceContext workspace)
{
    public const int MaxPage = 200;

    public async Task<Result<PublicationView>> GetAsync(Guid publicationId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var publication = await db.Publications.AsNoTracking().FirstOrDefaultAsync(p => p.Id == publicationId, cancellationToken);
        return publication is null ? Result.NotFound() : PublicationView.Of(publication);
    }

    /// <summary>Newest first: of a product, of a listing (its publish history), or the workspace's queue.</summary>
    public async Task<Result<IReadOnlyList<PublicationView>>> ListAsync(Guid? productId, Guid? listingId, int take, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var query = db.Publications.AsNoTracking();
        if (productId is { } product)
        {
            if (!await db.Products.AnyAsync(p => p.Id == product, cancellationToken))
            {
                return Result.NotFound();
            }

            query = query.Where(p => p.ProductId == product);
        }

        if (listingId is { } listing)
        {
            query = query.Where(p => p.ListingId == listing);
        }

        var rows = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(Math.Clamp(take, 1, MaxPage)).ToListAsync(cancellationToken);
        return rows.Select(PublicationView.Of).ToList();
    }

    /// <summary>The workspace's listings (of one product when given), most recently changed first.</summary>
    public async Task<Result<IReadOnlyList<ListingView>>> ListingsAsync(Guid? productId, int take, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var query = db.MarketplaceListings.AsNoTracking();
        if (productId is { } product)
        {
            query = query.Where(l => l.ProductId == product);
        }

        var rows = await query
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new { Listing = l, p.Sku, p.Title })
            .Join(db.MarketplaceConnections, x => x.Listing.ConnectionId, c => c.Id, (x, c) => new { x.Listing, x.Sku, x.Title, c.Name })
            .OrderByDescending(x => x.Listing.UpdatedAt)
            .Take(Math.Clamp(take, 1, MaxPage))
            .ToListAsync(cancellationToken);
        return rows.Select(x => new ListingView(
            x.Listing.Id, x.Listing.ProductId, x.Sku, x.Title, x.Listing.ConnectionId, x.Name, x.Listing.Platform, x.Listing.Status,
            x.Listing.ExternalId, x.Listing.ExternalUrl, x.Listing.CategoryId, x.Listing.CategoryPath,
            ListingDrafts.ReadAttributes(x.Listing.AttributesJson), x.Listing.KeepInSync, x.Listing.LastPublishedAt, x.Listing.UpdatedAt)).ToList();
    }
}
