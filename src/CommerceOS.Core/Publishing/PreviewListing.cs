using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// The listing as it would be sent now, its current mapping (a new, unsaved one before the first publish), suggested
/// platform categories for the seller to confirm, and the product's attributes with normalised values as a starting mapping.
/// </summary>
public sealed record ListingPreview(
    PreparedListing Prepared,
    MarketplaceListing Listing,
    IReadOnlyList<CategorySuggestion> Suggestions,
    IReadOnlyDictionary<string, string> ProposedAttributes);

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
        var product = connection is null ? null : await db.FindWithDetailsAsync(productId, cancellationToken);
        if (connection is null || product is null)
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
        if (prepared is null)
        {
            return Result.NotFound();
        }

        var attributes = product.Attributes.Select(a => (a.Name, a.Value)).ToList();
        var proposed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes.Where(a => !string.IsNullOrWhiteSpace(a.Name) && !string.IsNullOrWhiteSpace(a.Value)))
        {
            proposed.TryAdd(name.Trim(), AttributeValues.Normalize(name, value).Value);
        }

        var suggestions = Platforms.All.Contains(connection.Platform)
            ? CategorySuggestions.Suggest(connection.Platform, product.Category, product.Title, attributes)
            : [];
        return new ListingPreview(prepared, listing, suggestions, proposed);
    }
}
