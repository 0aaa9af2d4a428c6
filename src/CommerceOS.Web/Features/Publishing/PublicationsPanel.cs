using CommerceOS.Core.Data;
using CommerceOS.Core.Publishing;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Publishing;

/// <summary>
/// A list of publications with their live states (the Publish Center's queue, a product's publish history), rendered by
/// <c>_Publications</c>; htmx reloads it from <see cref="LiveUrl"/> every few seconds while one is still under way.
/// </summary>
public sealed record PublicationsPanel(
    string Id,
    string LiveUrl,
    IReadOnlyList<PublicationView> Items,
    IReadOnlyDictionary<Guid, (string Sku, string Title)> Products,
    IReadOnlyDictionary<Guid, string> Stores,
    bool ShowProduct)
{
    public static readonly PublicationsPanel Empty = new("", "", [], new Dictionary<Guid, (string, string)>(), new Dictionary<Guid, string>(), false);

    public bool Live => Items.Any(p => PublishingUi.IsActive(p.Status));

    /// <summary>The names to show next to the publications (the query filters keep them inside the workspace).</summary>
    public static async Task<PublicationsPanel> LoadAsync(
        AppDbContext db, string id, string liveUrl, IReadOnlyList<PublicationView> items, bool showProduct, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(items);
        var productIds = items.Select(p => p.ProductId).Distinct().ToList();
        var connectionIds = items.Select(p => p.ConnectionId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => (p.Sku, p.Title), cancellationToken);
        var stores = await db.MarketplaceConnections.AsNoTracking().Where(c => connectionIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return new PublicationsPanel(id, liveUrl, items, products, stores, showProduct);
    }
}
