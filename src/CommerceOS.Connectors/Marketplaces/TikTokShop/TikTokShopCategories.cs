using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

/// <summary>
/// TikTok Shop's Get Categories (<c>GET /product/202309/categories</c>): the whole tree the shop can see in one signed,
/// shop-scoped call, with the names in the asked locale and a permission status per category. Tokens and the shop cipher
/// are those of <see cref="TikTokShopApi"/>, renewed into the session as the publisher renews them.
/// </summary>
public sealed class TikTokShopCategories(
    IHttpClientFactory httpClientFactory,
    IOptions<TikTokShopOptions> options,
    TimeProvider timeProvider,
    ILogger<TikTokShopCategories> logger) : IMarketplaceCategorySource
{
    internal const string Path = "/product/202309/categories";

    /// <summary>The one status under which the seller may list; any other (INVITE_ONLY, NON_MAIN_CATEGORY, ...) withholds the category.</summary>
    internal const string Available = "AVAILABLE";

    public string Platform => Platforms.TikTokShop;

    public async Task<CategoryTree> ReadCategoriesAsync(MarketplaceSession session, string language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var locale = MarketplaceCategories.WantsChinese(language) ? "zh-CN" : "en-US";
        var api = TikTokShopApi.Open(httpClientFactory, options.Value, timeProvider, logger, session);
        // UNCONFIRMED: category_version is left to the platform's default (v1), the tree product create uses when it is not
        // given either; v2 (the US 7-level tree) would have to be sent on both calls together.
        var data = await api.ReadAsync(new TikTokCall(HttpMethod.Get, Path, "category read") { Query = [new("locale", locale)] }, cancellationToken);

        // UNCONFIRMED shape: data.categories[] { id, parent_id ("0" for roots), local_name, is_leaf, permission_statuses[] }.
        var tree = MarketplaceCategories.Tree(
            MarketplaceCategories.List(data, "categories", TikTokShopApi.Vendor, "category read").Select(category => new RawCategory(
                MarketplaceCategories.Id(category, "id"),
                MarketplaceCategories.Id(category, "parent_id"),
                category.GetString("local_name"),
                MarketplaceCategories.Bool(category, "is_leaf"),
                TikTokShopListing.Items(category, "permission_statuses").All(status => status.ValueKind == JsonValueKind.String && status.GetString() == Available))),
            rootParent: "0",
            locale,
            complete: true);
        logger.LogInformation("TikTok Shop category tree read for connection {ConnectionId}: {Count} categories ({Locale})", session.ConnectionId, tree.Nodes.Count, locale);
        return tree;
    }
}
