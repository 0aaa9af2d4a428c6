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
    IReadOnlyDictionary<string, string> ProposedAttributes,
    CategoryTreeStatus? CategoryTree);

/// <summary>Where the platform's own categories stand for this store (null for platforms whose tree CommerceOS does not read).</summary>
/// <param name="FetchedAt">When the copy was read; null while none has been.</param>
/// <param name="Complete">False when the platform's tree was read only up to its bound.</param>
/// <param name="Refreshing">A read is queued or running.</param>
public sealed record CategoryTreeStatus(DateTime? FetchedAt, bool Complete, int Leaves, bool Refreshing);

/// <summary>
/// The gate's findings and the platform's checklist for one product on one store, before anything is sent: what the
/// Publish Center shows next to the publish button. Reads only (any member).
/// </summary>
public sealed class PreviewListing(AppDbContext db, WorkspaceContext workspace, MarketplacePublishers publishers, ListingDrafts drafts, CategoryTrees trees)
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
        CategoryTreeStatus? tree = null;
        if (trees.Reads(connection.Platform))
        {
            var cache = await db.MarketplaceCategoryCaches.AsNoTracking().FirstOrDefaultAsync(c => c.ConnectionId == connectionId, cancellationToken);
            var refreshing = await db.Jobs.AnyAsync(
                j => j.Kind == CategoryTrees.JobKind && j.SubjectId == connectionId && (j.Status == Jobs.JobStatus.Queued || j.Status == Jobs.JobStatus.Running),
                cancellationToken);
            tree = new CategoryTreeStatus(cache?.FetchedAt, cache?.Complete ?? false, cache?.LeafCount ?? 0, refreshing);
            if (cache is not null)
            {
                var nodes = cache.Nodes();
                // An explicit id reads better with the platform's own path than bare.
                var named = suggestions.Select(x => x.Path == x.Id && PlatformCategoryMatcher.PathOf(nodes, x.Id) is { } path ? x with { Path = path } : x);
                suggestions = [.. named.Concat(PlatformCategoryMatcher.Suggest(nodes, product.Category, product.Title))
                    .DistinctBy(x => x.Id, StringComparer.Ordinal)
                    .OrderByDescending(x => x.Score)
                    .ThenBy(x => x.Id, StringComparer.Ordinal)
                    .Take(CategorySuggestions.MaxSuggestions)];
            }
        }

        return new ListingPreview(prepared, listing, suggestions, proposed, tree);
    }
}
