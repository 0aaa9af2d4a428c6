using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Shopee;

/// <summary>
/// Publishes to a Shopee shop through Open Platform v2 (external-apis.md §11): images into the media space, then
/// <c>add_item</c> or <c>update_item</c>, variants through <c>init_tier_variation</c>, prices and stock per model.
/// Shopee has no idempotency key, so <c>item_sku</c> (our SKU) is the key: before adding, the shop's items are
/// searched by it, and a publish retried after a lost answer updates the item the first attempt made. Shopee answers
/// synchronously: nothing is ever Pending.
/// </summary>
public sealed partial class ShopeePublisher(
    IHttpClientFactory httpClientFactory,
    IOptions<ShopeeOptions> options,
    TimeProvider timeProvider,
    ILogger<ShopeePublisher> logger) : IMarketplacePublisher
{
    internal const string ClientName = "CommerceOS.Publishing.Shopee";

    private const string Digits = "^[0-9]+$";

    public string Platform => Platforms.Shopee;

    public IReadOnlyList<CredentialField> Fields { get; } =
    [
        new("partner_id", Secret: false, Pattern: Digits),
        new("partner_key", Secret: true),
        new("shop_id", Secret: false, Pattern: Digits),
        // The code Shopee hands back after the seller authorises the app: exchanged (once) on the connection test.
        new("auth_code", Secret: true, Required: false),
        new("refresh_token", Secret: true, Required: false),
        // The shop's logistics channel (get_channel_list): add_item needs at least one enabled.
        new("logistic_id", Secret: false, Pattern: Digits),
    ];

    public IReadOnlyList<string> RequiredFields { get; } =
        [ListingFields.Title, ListingFields.Description, ListingFields.Images, ListingFields.Price, ListingFields.Stock, ListingFields.Category, ListingFields.Weight, ListingFields.Sku];

    /// <summary>Shopee's item gallery (UNCONFIRMED: 9 per item, as upload_image takes fewer than 9 per call).</summary>
    public int MaxImages => 9;

    private ShopeeApi Api(MarketplaceSession session) => ShopeeApi.Open(httpClientFactory, options.Value, timeProvider, logger, session);

    public async Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        var api = Api(session);
        // UNCONFIRMED: get_shop_info answers shop_name at the top level (some clients read it under response).
        var (envelope, error) = await api.CallAsync(HttpMethod.Get, "/api/v2/shop/get_shop_info", null, null, repeatable: true, cancellationToken);
        if (error is not null)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Shopee refused the shop read: {error.Error} {error.Message}");
        }

        var name = envelope.GetString("shop_name") ?? (envelope.TryGetProperty("response", out var response) ? response.GetString("shop_name") : null);
        return new ConnectionCheck(string.IsNullOrEmpty(name) ? $"Shopee shop {api.ShopId}" : name);
    }

    public async Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Api(session);
        var logisticId = long.TryParse(session.Required("logistic_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var channel)
            ? channel
            : throw new ProviderException(ProviderFailure.Misconfigured, "The Shopee logistic_id must be digits.");
        if (listing.Variants.Count > 1 && listing.OptionNames.Count is 0 or > 2)
        {
            return Rejected(listing.ExternalId, new PlatformIssue(ListingFields.Variants, "tier_variation", $"Shopee variants have one or two options; this listing has {listing.OptionNames.Count}.", PlatformIssueSeverity.Error, "tier_variation"));
        }

        var imageIds = new List<string>();
        foreach (var image in listing.Images.Take(MaxImages))
        {
            var (imageId, imageError) = await UploadImageAsync(api, image, cancellationToken);
            if (imageError is not null)
            {
                return Rejected(listing.ExternalId, imageError.ToIssue() with { Field = ListingFields.Images });
            }

            imageIds.Add(imageId!);
        }

        var item = ItemBody(listing, imageIds, logisticId);
        var warnings = new List<PlatformIssue>();
        var itemId = ParseId(listing.ExternalId) ?? await FindBySkuAsync(api, listing.Sku, cancellationToken);
        var created = false;
        if (itemId is { } known)
        {
            item["item_id"] = known;
            var json = item.ToJsonString();
            var (updated, updateError) = await api.CallAsync(HttpMethod.Post, "/api/v2/product/update_item", null, () => ProviderHttp.JsonBody(json), repeatable: true, cancellationToken);
            if (updateError is { ItemGone: true } && listing.ExternalId is not null)
            {
                // The item we made earlier was deleted in Seller Centre: a new one is the seller's intent.
                logger.LogInformation("Shopee item {ItemId} is gone; adding it again", known);
                item.Remove("item_id");
                itemId = null;
            }
            else if (updateError is not null)
            {
                return Rejected(Text(known), updateError.ToIssue());
            }
            else
            {
                AddWarning(updated, warnings);
            }
        }

        if (itemId is null)
        {
            // Not repeatable: a lost answer is recovered by the item_sku search of the next attempt.
            var json = item.ToJsonString();
            var (added, addError) = await api.CallAsync(HttpMethod.Post, "/api/v2/product/add_item", null, () => ProviderHttp.JsonBody(json), repeatable: false, cancellationToken);
            if (addError is not null)
            {
                return Rejected(null, addError.ToIssue());
            }

            itemId = added.TryGetProperty("response", out var response) ? response.GetInt64("item_id") : null;
            if (itemId is null)
            {
                throw new ProviderException(ProviderFailure.Transient, "Shopee add_item answered without response.item_id.");
            }

            created = true;
            AddWarning(added, warnings);
            logger.LogInformation("Shopee item {ItemId} added", itemId);
        }

        // A new item without variants already carries its price and stock from add_item.
        if (!created || listing.Variants.Count > 1)
        {
            var offerIssues = await SyncModelsAsync(api, itemId.Value, listing, cancellationToken);
            if (offerIssues.Any(i => i.Severity == PlatformIssueSeverity.Error))
            {
                return new PublishResult(PublishOutcome.Rejected, Text(itemId.Value), null, null, [.. offerIssues, .. warnings]);
            }

            warnings.AddRange(offerIssues);
        }

        return Live(itemId.Value, warnings);
    }

    /// <summary>Shopee answers synchronously, so a receipt is never handed out; one that comes back is the item id.</summary>
    public Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken) =>
        Task.FromResult(ParseId(receipt) is { } itemId
            ? Live(itemId, [])
            : throw new ProviderException(ProviderFailure.Misconfigured, "Shopee publishes synchronously; there is nothing to follow."));

    public async Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Api(session);
        if ((ParseId(listing.ExternalId) ?? await FindBySkuAsync(api, listing.Sku, cancellationToken)) is not { } itemId)
        {
            return Rejected(null, new PlatformIssue(ListingFields.Listing, "not_found", $"Shopee has no item with item_sku {listing.Sku}; publish it first.", PlatformIssueSeverity.Error, "item_sku"));
        }

        var issues = await SyncModelsAsync(api, itemId, listing, cancellationToken);
        return issues.Any(i => i.Severity == PlatformIssueSeverity.Error)
            ? new PublishResult(PublishOutcome.Rejected, Text(itemId), null, null, issues)
            : Live(itemId, issues);
    }

    public async Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Api(session);
        if ((ParseId(listing.ExternalId) ?? await FindBySkuAsync(api, listing.Sku, cancellationToken)) is not { } itemId)
        {
            return new PublishResult(PublishOutcome.Removed, null, null, null, []);
        }

        // UNCONFIRMED: unlist_item {item_list: [{item_id, unlist}]} answers response.failure_list for items it could not unlist.
        var json = new JsonObject { ["item_list"] = new JsonArray(new JsonObject { ["item_id"] = itemId, ["unlist"] = true }) }.ToJsonString();
        var (envelope, error) = await api.CallAsync(HttpMethod.Post, "/api/v2/product/unlist_item", null, () => ProviderHttp.JsonBody(json), repeatable: true, cancellationToken);
        var failure = error is null && envelope.TryGetProperty("response", out var response) ? Failures(response, "failure_list").FirstOrDefault() : null;
        var reason = error?.Message ?? failure?.Reason;
        if ((error is not null && !error.ItemGone) || (failure is not null && !ShopeeError.Gone(failure.Reason)))
        {
            return Rejected(Text(itemId), new PlatformIssue(ListingFields.Listing, error?.Error ?? "unlist_failed", reason ?? "unlist failed", PlatformIssueSeverity.Error, "item_id"));
        }

        logger.LogInformation("Shopee item {ItemId} unlisted (already gone: {Gone})", itemId, reason is not null);
        return new PublishResult(PublishOutcome.Removed, Text(itemId), null, null, []);
    }

    /// <summary>Shopee gives an app nothing to call on disconnect: the seller cancels the authorisation in Seller Centre.</summary>
    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken) => Task.FromResult(false);

    private static async Task<(string? ImageId, ShopeeError? Error)> UploadImageAsync(ShopeeApi api, ListingImage image, CancellationToken cancellationToken)
    {
        var bytes = await MarketplaceHttp.ReadImageAsync(image, cancellationToken);

        // UNCONFIRMED: whether upload_image is signed as a shop API (here: yes, as the docs-generated SDK does).
        // Repeatable: an orphan copy in the media space is harmless, a lost image_id is not.
        var (envelope, error) = await api.CallAsync(
            HttpMethod.Post,
            "/api/v2/media_space/upload_image",
            null,
            () =>
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new(image.ContentType);
                return new MultipartFormDataContent { { file, "image", image.FileName }, { new StringContent("normal"), "scene" } };
            },
            repeatable: true,
            cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        var id = envelope.TryGetProperty("response", out var response) && response.TryGetProperty("image_info", out var info) ? info.GetString("image_id") : null;
        return string.IsNullOrEmpty(id)
            ? throw new ProviderException(ProviderFailure.Transient, "Shopee upload_image answered without response.image_info.image_id.")
            : (id, null);
    }

    /// <summary>
    /// UNCONFIRMED: <c>GET /api/v2/product/search_item?item_sku=</c> answers <c>response.item_id_list</c>. A failed search
    /// is thrown, never taken as "not there": that would make a second item.
    /// </summary>
    private static async Task<long?> FindBySkuAsync(ShopeeApi api, string sku, CancellationToken cancellationToken)
    {
        var (envelope, error) = await api.CallAsync(
            HttpMethod.Get,
            "/api/v2/product/search_item",
            [new("offset", "0"), new("page_size", "10"), new("item_sku", sku)],
            null,
            repeatable: true,
            cancellationToken);
        if (error is not null)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Shopee could not search items by item_sku: {error.Error} {error.Message}");
        }

        return envelope.TryGetProperty("response", out var response) && response.TryGetProperty("item_id_list", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(id => id.TryGetInt64(out var value) ? value : (long?)null).FirstOrDefault(id => id is not null)
            : null;
    }

    /// <summary>
    /// Prices and stock per model: an item without variants is model 0 (UNCONFIRMED); one with variants gets its
    /// tier variation on first sight (<c>init_tier_variation</c>, fields UNCONFIRMED) and is matched by model_sku after.
    /// </summary>
    private async Task<List<PlatformIssue>> SyncModelsAsync(ShopeeApi api, long itemId, ListingDraft listing, CancellationToken cancellationToken)
    {
        var models = new List<(long ModelId, ListingVariant Variant)>();
        if (listing.Variants.Count == 1)
        {
            models.Add((0, listing.Variants[0]));
        }
        else
        {
            var (list, listError) = await api.CallAsync(HttpMethod.Get, "/api/v2/product/get_model_list", [new("item_id", Text(itemId))], null, repeatable: true, cancellationToken);
            if (listError is not null)
            {
                return [listError.ToIssue() with { Field = ListingFields.Variants }];
            }

            var known = list.TryGetProperty("response", out var response) && response.TryGetProperty("model", out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Select(m => (Id: m.GetInt64("model_id"), Sku: m.GetString("model_sku"))).Where(m => m.Id is not null && m.Sku is not null).ToDictionary(m => m.Sku!, m => m.Id!.Value, StringComparer.Ordinal)
                : [];
            if (known.Count == 0)
            {
                var json = TierVariation(itemId, listing).ToJsonString();
                var (_, initError) = await api.CallAsync(HttpMethod.Post, "/api/v2/product/init_tier_variation", null, () => ProviderHttp.JsonBody(json), repeatable: false, cancellationToken);
                logger.LogInformation("Shopee item {ItemId}: tier variation initialised with {Count} models", itemId, listing.Variants.Count);
                return initError is null ? [] : [initError.ToIssue() with { Field = ListingFields.Variants }];
            }

            var unmatched = new List<PlatformIssue>();
            foreach (var variant in listing.Variants)
            {
                if (known.TryGetValue(variant.Sku, out var modelId))
                {
                    models.Add((modelId, variant));
                }
                else
                {
                    unmatched.Add(new PlatformIssue(ListingFields.Variants, "model_not_found", $"Shopee item {itemId} has no model with model_sku {variant.Sku}.", PlatformIssueSeverity.Warning, "model_sku"));
                }
            }

            if (models.Count == 0)
            {
                return unmatched;
            }

            var offerIssues = await UpdateOffersAsync(api, itemId, models, cancellationToken);
            return [.. unmatched, .. offerIssues];
        }

        return await UpdateOffersAsync(api, itemId, models, cancellationToken);
    }

    /// <summary>UNCONFIRMED bodies: update_price {price_list[{model_id, original_price}]}, update_stock {stock_list[{model_id, seller_stock[{stock}]}]}.</summary>
    private static async Task<List<PlatformIssue>> UpdateOffersAsync(ShopeeApi api, long itemId, List<(long ModelId, ListingVariant Variant)> models, CancellationToken cancellationToken)
    {
        var issues = new List<PlatformIssue>();
        var priced = models.Where(m => m.Variant.PriceMinor is not null).ToList();
        if (priced.Count > 0)
        {
            var prices = new JsonObject
            {
                ["item_id"] = itemId,
                ["price_list"] = new JsonArray([.. priced.Select(m => (JsonNode)new JsonObject { ["model_id"] = m.ModelId, ["original_price"] = Price(m.Variant) })]),
            }.ToJsonString();
            issues.AddRange(await OfferCallAsync(api, "/api/v2/product/update_price", prices, ListingFields.Price, cancellationToken));
        }

        var stock = new JsonObject
        {
            ["item_id"] = itemId,
            ["stock_list"] = new JsonArray([.. models.Select(m => (JsonNode)new JsonObject { ["model_id"] = m.ModelId, ["seller_stock"] = SellerStock(m.Variant.Stock) })]),
        }.ToJsonString();
        issues.AddRange(await OfferCallAsync(api, "/api/v2/product/update_stock", stock, ListingFields.Stock, cancellationToken));
        return issues;
    }

    private static async Task<IEnumerable<PlatformIssue>> OfferCallAsync(ShopeeApi api, string path, string json, string field, CancellationToken cancellationToken)
    {
        // Repeatable: setting a price or a stock level twice lands the same.
        var (envelope, error) = await api.CallAsync(HttpMethod.Post, path, null, () => ProviderHttp.JsonBody(json), repeatable: true, cancellationToken);
        if (error is not null)
        {
            return [error.ToIssue() with { Field = field }];
        }

        return envelope.TryGetProperty("response", out var response)
            ? Failures(response, "failure_list").Select(f => new PlatformIssue(field, "failure_list", f.Reason, PlatformIssueSeverity.Error, $"model_id {f.Id}"))
            : [];
    }

    /// <summary>add_item's body (§11.6) from the draft.</summary>
    private static JsonObject ItemBody(ListingDraft listing, List<string> imageIds, long logisticId)
    {
        var first = listing.Variants[0];
        var item = new JsonObject
        {
            ["item_name"] = listing.Title,
            ["description"] = listing.DescriptionText ?? PlainText(listing.DescriptionHtml ?? ""),
            ["item_sku"] = listing.Sku,
            ["condition"] = "NEW",
            ["item_status"] = "NORMAL",
            ["seller_stock"] = SellerStock(listing.Variants.Sum(v => v.Stock)),
            ["image"] = new JsonObject { ["image_id_list"] = new JsonArray([.. imageIds.Select(id => (JsonNode)id)]) },
            ["logistic_info"] = new JsonArray(new JsonObject { ["logistic_id"] = logisticId, ["enabled"] = true }),
            // brand_id 0 = no registered brand (UNCONFIRMED); the seller's brand travels as its original name.
            ["brand"] = new JsonObject { ["brand_id"] = 0, ["original_brand_name"] = string.IsNullOrWhiteSpace(listing.Brand) ? "NoBrand" : listing.Brand },
        };
        if (first.PriceMinor is not null)
        {
            item["original_price"] = Price(first);
        }

        if (long.TryParse(listing.CategoryId, NumberStyles.None, CultureInfo.InvariantCulture, out var category))
        {
            item["category_id"] = category;
        }

        if (listing.WeightGrams is { } grams)
        {
            item["weight"] = grams / 1000m;
        }

        var attributes = new JsonArray();
        foreach (var (key, value) in listing.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var attributeId) && !string.IsNullOrWhiteSpace(value))
            {
                // A mapped value id, or free text as original_value_name with value_id 0.
                var attributeValue = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var valueId)
                    ? new JsonObject { ["value_id"] = valueId }
                    : new JsonObject { ["value_id"] = 0, ["original_value_name"] = value };
                attributes.Add(new JsonObject { ["attribute_id"] = attributeId, ["attribute_value_list"] = new JsonArray(attributeValue) });
            }
        }

        if (attributes.Count > 0)
        {
            item["attribute_list"] = attributes;
        }

        return item;
    }

    /// <summary>One tier per option name, its options in first-seen order; one model per variant pointing into them.</summary>
    private static JsonObject TierVariation(long itemId, ListingDraft listing)
    {
        var tiers = listing.OptionNames.Select((name, index) => (Name: name, Options: listing.Variants.Select(v => OptionValue(v, name, index)).Distinct(StringComparer.Ordinal).ToList())).ToList();
        return new JsonObject
        {
            ["item_id"] = itemId,
            ["tier_variation"] = new JsonArray([.. tiers.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["option_list"] = new JsonArray([.. t.Options.Select(o => (JsonNode)new JsonObject { ["option"] = o })]),
            })]),
            ["model"] = new JsonArray([.. listing.Variants.Select(v =>
            {
                var model = new JsonObject
                {
                    ["tier_index"] = new JsonArray([.. tiers.Select((t, index) => (JsonNode)t.Options.IndexOf(OptionValue(v, t.Name, index)))]),
                    ["model_sku"] = v.Sku,
                    ["seller_stock"] = SellerStock(v.Stock),
                };
                if (v.PriceMinor is not null)
                {
                    model["original_price"] = Price(v);
                }

                return (JsonNode)model;
            })]),
        };
    }

    private static string OptionValue(ListingVariant variant, string name, int index) =>
        variant.Options.FirstOrDefault(o => o.Key == name).Value ?? (index < variant.Options.Count ? variant.Options[index].Value : "");

    private static JsonArray SellerStock(int stock) => new(new JsonObject { ["stock"] = stock });

    /// <summary>Major units as Shopee wants them: currencies without minor units (VND, JPY, KRW, CLP) are whole.</summary>
    private static decimal Price(ListingVariant variant) =>
        variant.Currency?.ToUpperInvariant() is "VND" or "JPY" or "KRW" or "CLP" ? variant.PriceMinor!.Value : variant.PriceMinor!.Value / 100m;

    private static void AddWarning(JsonElement envelope, List<PlatformIssue> warnings)
    {
        if (envelope.GetString("warning") is { Length: > 0 } warning)
        {
            var (field, attribute) = ShopeeError.FieldOf(warning);
            warnings.Add(new PlatformIssue(field, "warning", warning, PlatformIssueSeverity.Warning, attribute));
        }
    }

    private sealed record Failure(string Id, string Reason);

    private static List<Failure> Failures(JsonElement response, string name) =>
        response.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(f => new Failure(
                (f.GetInt64("model_id") ?? f.GetInt64("item_id"))?.ToString(CultureInfo.InvariantCulture) ?? "",
                f.GetString("failed_reason") ?? f.GetString("fail_message") ?? f.GetString("fail_error") ?? "failed")).ToList()
            : [];

    private static PublishResult Live(long itemId, IReadOnlyList<PlatformIssue> issues) =>
        // No storefront link: the product page's domain depends on the shop's region, which the connection does not hold.
        new(PublishOutcome.Live, Text(itemId), null, null, issues);

    private static PublishResult Rejected(string? externalId, PlatformIssue issue) =>
        new(PublishOutcome.Rejected, externalId, null, null, [issue]);

    private static long? ParseId(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Shopee's normal description is plain text: paragraphs and list items become lines.</summary>
    private static string PlainText(string html) =>
        WebUtility.HtmlDecode(TagPattern().Replace(BreakPattern().Replace(html, "\n"), "")).Trim();

    [GeneratedRegex(@"<br\s*/?>|</p>|</li>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
