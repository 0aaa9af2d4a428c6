using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Shopee;

/// <summary>
/// Shopee's <c>GET /api/v2/product/get_category</c>: the shop's whole category tree in one shop-signed call, named in
/// English or simplified Chinese. Tokens are those of <see cref="ShopeeApi"/>: refreshed (and the rotated refresh token
/// written back to the session) exactly as for publishing.
/// </summary>
public sealed class ShopeeCategories(
    IHttpClientFactory httpClientFactory,
    IOptions<ShopeeOptions> options,
    TimeProvider timeProvider,
    ILogger<ShopeeCategories> logger) : IMarketplaceCategorySource
{
    internal const string Path = "/api/v2/product/get_category";

    public string Platform => Platforms.Shopee;

    public async Task<CategoryTree> ReadCategoriesAsync(MarketplaceSession session, string language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (asked, named) = MarketplaceCategories.WantsChinese(language) ? ("zh-hans", "zh-Hans") : ("en", "en");
        var api = ShopeeApi.Open(httpClientFactory, options.Value, timeProvider, logger, session);
        var (envelope, error) = await api.CallAsync(HttpMethod.Get, Path, [new("language", asked)], null, repeatable: true, cancellationToken);
        if (error is not null)
        {
            // Token, signature, rate and server errors were thrown by the API already: what is left is a refusal of this shop's read.
            throw new ProviderException(ProviderFailure.Misconfigured, $"Shopee refused the category read: {error.Error} {error.Message}");
        }

        var response = envelope.TryGetProperty("response", out var value) ? value : default;
        // UNCONFIRMED shape: response.category_list[] { category_id, parent_category_id (0 = root), original_category_name,
        // display_category_name, has_children }. Shopee documents no per-category "disabled" flag, so every node is usable.
        var tree = MarketplaceCategories.Tree(
            MarketplaceCategories.List(response, "category_list", ShopeeApi.Vendor, "category read").Select(category => new RawCategory(
                MarketplaceCategories.Id(category, "category_id"),
                MarketplaceCategories.Id(category, "parent_category_id"),
                category.GetString("display_category_name") is { Length: > 0 } display ? display : category.GetString("original_category_name"),
                MarketplaceCategories.Bool(category, "has_children") is { } hasChildren ? !hasChildren : null)),
            rootParent: "0",
            named,
            complete: true);
        logger.LogInformation("Shopee category tree read for shop {ShopId}: {Count} categories ({Language})", api.ShopId, tree.Nodes.Count, asked);
        return tree;
    }
}
