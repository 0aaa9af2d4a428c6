using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

/// <summary>
/// TikTok Shop's Partner API, 202309 generation (external-apis.md section 9). Images are uploaded first (their
/// <c>uri</c> goes into the product); a product is updated by its id when known, else found by seller SKU before any
/// create, so a retried publish never makes a second product. New and edited products go through TikTok's audit, so a
/// write answers <see cref="PublishOutcome.Pending"/> with the product id as receipt and <see cref="FollowAsync"/> reads
/// the audit status.
/// </summary>
public sealed class TikTokShopPublisher(
    IHttpClientFactory httpClientFactory,
    IOptions<TikTokShopOptions> options,
    TimeProvider timeProvider,
    ILogger<TikTokShopPublisher> logger) : IMarketplacePublisher
{
    internal const string ClientName = "CommerceOS.Publishing.TikTokShop";

    private const string ProductsPath = "/product/202309/products";

    public string Platform => Platforms.TikTokShop;

    public IReadOnlyList<CredentialField> Fields { get; } =
    [
        new(TikTokShopKeys.AppKey, Secret: false),
        new(TikTokShopKeys.AppSecret, Secret: true),
        new(TikTokShopKeys.AuthCode, Secret: true, Required: false),
        new(TikTokShopKeys.RefreshToken, Secret: true, Required: false),
        new(TikTokShopKeys.WarehouseId, Secret: false),
    ];

    public IReadOnlyList<string> RequiredFields { get; } =
    [
        ListingFields.Title, ListingFields.Description, ListingFields.Images, ListingFields.Price, ListingFields.Stock,
        ListingFields.Category, ListingFields.Weight,
    ];

    public int MaxImages => TikTokShopListing.MaxImages;

    public async Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        var api = Api(session);
        await api.RenewTokensAsync(preferAuthCode: true, cancellationToken);
        var (_, name) = await api.LoadShopAsync(cancellationToken);
        return new ConnectionCheck(name);
    }

    public async Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var problems = TikTokShopListing.Check(listing);
        if (problems.Count > 0)
        {
            return Rejected(listing.ExternalId, problems);
        }

        var warehouseId = session.Required(TikTokShopKeys.WarehouseId);
        var api = Api(session);
        var issues = new List<PlatformIssue>();
        if (listing.Images.Count > MaxImages)
        {
            issues.Add(new PlatformIssue(ListingFields.Images, "TOO_MANY_IMAGES", $"main_images takes at most {MaxImages} images; the rest were left out.", PlatformIssueSeverity.Warning));
        }

        var uris = new List<string>();
        foreach (var image in listing.Images.Take(MaxImages))
        {
            var upload = await UploadAsync(api, image, cancellationToken);
            if (!upload.Ok)
            {
                return Rejected(listing.ExternalId, [TikTokShopListing.FromReply(upload) with { Field = ListingFields.Images, PlatformAttribute = "main_images" }]);
            }

            uris.Add(upload.Data.GetString("uri") ?? throw new ProviderException(ProviderFailure.Transient, "TikTok Shop image upload answered without data.uri."));
        }

        var body = TikTokShopListing.Body(listing, uris, warehouseId);
        var productId = listing.ExternalId ?? await FindBySellerSkuAsync(api, listing, cancellationToken);
        var reply = await WriteAsync(api, productId, body, cancellationToken);
        if (!reply.Ok && productId is not null && TikTokShopListing.IsNotFound(reply.Code, reply.Message))
        {
            // The seller deleted the product on TikTok since: the listing is made again, never left unpublished.
            logger.LogInformation("TikTok Shop product {ProductId} no longer exists; publishing the listing anew", productId);
            productId = await FindBySellerSkuAsync(api, listing, cancellationToken);
            reply = await WriteAsync(api, productId, body, cancellationToken);
        }

        var create = productId is null;
        if (!reply.Ok)
        {
            return Rejected(productId, [.. issues, TikTokShopListing.FromReply(reply)]);
        }

        productId ??= reply.Data.GetString("product_id") ?? throw new ProviderException(ProviderFailure.Transient, "TikTok Shop product create answered without data.product_id.");
        logger.LogInformation("TikTok Shop product {ProductId} {Action}; awaiting audit", productId, create ? "created" : "updated");
        return new PublishResult(PublishOutcome.Pending, productId, null, productId, [.. issues, .. TikTokShopListing.Warnings(reply.Data)], options.Value.AuditPollInterval);
    }

    public async Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken)
    {
        var reply = await Api(session).SendAsync(new TikTokCall(HttpMethod.Get, ProductPath(receipt), "product status"), cancellationToken);
        if (!reply.Ok)
        {
            return TikTokShopListing.IsNotFound(reply.Code, reply.Message) ? Removed(receipt) : throw TikTokShopApi.Refused("product status", reply);
        }

        var status = reply.Data.GetString("status");
        logger.LogInformation("TikTok Shop product {ProductId} is {Status}", receipt, status);
        // UNCONFIRMED status values (Get Product): DRAFT, PENDING, FAILED, ACTIVATE, SELLER_DEACTIVATED, PLATFORM_DEACTIVATED, FREEZE, DELETED.
        return status switch
        {
            "PENDING" => new PublishResult(PublishOutcome.Pending, receipt, null, receipt, [], options.Value.AuditPollInterval),
            "ACTIVATE" or "DRAFT" => new PublishResult(PublishOutcome.Live, receipt, null, null, []),
            "FAILED" => Rejected(receipt, TikTokShopListing.AuditReasons(reply.Data)),
            "PLATFORM_DEACTIVATED" or "FREEZE" => Rejected(receipt, [new PlatformIssue(ListingFields.Listing, status, $"TikTok Shop set the product to {status}.", PlatformIssueSeverity.Error)]),
            "SELLER_DEACTIVATED" or "DELETED" => Removed(receipt),
            _ => throw new ProviderException(ProviderFailure.Transient, $"TikTok Shop product {receipt} has an unknown status '{status}'."),
        };
    }

    public async Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var warehouseId = session.Required(TikTokShopKeys.WarehouseId);
        var api = Api(session);
        var productId = listing.ExternalId ?? await FindBySellerSkuAsync(api, listing, cancellationToken);
        if (productId is null)
        {
            return Rejected(null, [new PlatformIssue(ListingFields.Listing, "NOT_PUBLISHED", "The product is not on TikTok Shop; publish it first.", PlatformIssueSeverity.Error)]);
        }

        // Price and stock updates address TikTok's SKU ids, which only the product itself tells.
        var product = await api.ReadAsync(new TikTokCall(HttpMethod.Get, ProductPath(productId), "product read"), cancellationToken);
        var skuIds = TikTokShopListing.Items(product, "skus")
            .Where(sku => sku.GetString("seller_sku") is not null && sku.GetString("id") is not null)
            .ToDictionary(sku => sku.GetString("seller_sku")!, sku => sku.GetString("id")!, StringComparer.Ordinal);
        var issues = new List<PlatformIssue>();
        var prices = new JsonArray();
        var stock = new JsonArray();
        foreach (var variant in listing.Variants)
        {
            if (!skuIds.TryGetValue(variant.Sku, out var skuId))
            {
                issues.Add(new PlatformIssue(ListingFields.Variants, "SKU_NOT_LISTED", $"seller_sku {variant.Sku} is not on the TikTok Shop product; publish the listing again to add it.", PlatformIssueSeverity.Warning, "seller_sku"));
                continue;
            }

            if (variant.PriceMinor is not null && !string.IsNullOrEmpty(variant.Currency))
            {
                prices.Add(new JsonObject { ["id"] = skuId, ["price"] = TikTokShopListing.Price(variant) });
            }

            stock.Add(new JsonObject { ["id"] = skuId, ["inventory"] = new JsonArray(TikTokShopListing.Inventory(variant, warehouseId)) });
        }

        // UNCONFIRMED paths (section 9 does not document them). Both set absolute values, so a repeat is harmless.
        foreach (var (path, items, what) in new[] { ("prices/update", prices, "price update"), ("inventory/update", stock, "inventory update") })
        {
            if (items.Count == 0)
            {
                continue;
            }

            var reply = await api.SendAsync(new TikTokCall(HttpMethod.Post, $"{ProductPath(productId)}/{path}", what) { Json = new JsonObject { ["skus"] = items }.ToJsonString(), Repeatable = true }, cancellationToken);
            if (!reply.Ok)
            {
                return Rejected(productId, [.. issues, TikTokShopListing.FromReply(reply)]);
            }

            issues.AddRange(TikTokShopListing.Items(reply.Data, "errors").Select(error => error.GetString("message")).OfType<string>()
                .Select(message => new PlatformIssue(TikTokShopListing.FieldOf(message), "SKU_ERROR", message, PlatformIssueSeverity.Error)));
        }

        logger.LogInformation("TikTok Shop product {ProductId}: {Prices} prices and {Stock} stock levels sent", productId, prices.Count, stock.Count);
        return issues.Any(issue => issue.Severity == PlatformIssueSeverity.Error)
            ? Rejected(productId, issues)
            : new PublishResult(PublishOutcome.Live, productId, null, null, issues);
    }

    public async Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Api(session);
        var productId = listing.ExternalId ?? await FindBySellerSkuAsync(api, listing, cancellationToken);
        if (productId is null)
        {
            return Removed(null);
        }

        // UNCONFIRMED: POST /product/202309/products/deactivate {product_ids} (delisting; the product stays restorable).
        var reply = await api.SendAsync(
            new TikTokCall(HttpMethod.Post, $"{ProductsPath}/deactivate", "product deactivate")
            {
                Json = new JsonObject { ["product_ids"] = new JsonArray(productId) }.ToJsonString(),
                Repeatable = true,
            },
            cancellationToken);
        var errors = TikTokShopListing.Items(reply.Data, "errors").ToList();
        if (reply.Ok && errors.Count == 0)
        {
            logger.LogInformation("TikTok Shop product {ProductId} deactivated", productId);
            return Removed(productId);
        }

        var (code, message) = reply.Ok ? (errors[0].GetInt64("code") ?? 0, errors[0].GetString("message") ?? "") : (reply.Code, reply.Message);
        if (TikTokShopListing.IsNotFound(code, message))
        {
            logger.LogInformation("TikTok Shop product {ProductId} was already gone", productId);
            return Removed(productId);
        }

        return Rejected(productId, [TikTokShopListing.FromReply(reply with { Code = code, Message = message })]);
    }

    /// <summary>TikTok Shop documents no way for an app to revoke a seller's authorization: the credentials are only deleted on our side.</summary>
    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Creates the product, or edits it when its id is known. UNCONFIRMED: Edit Product is PUT /product/202309/products/{product_id} with the create body.</summary>
    private static Task<TikTokReply> WriteAsync(TikTokShopApi api, string? productId, string body, CancellationToken cancellationToken) =>
        productId is null
            ? api.SendAsync(new TikTokCall(HttpMethod.Post, ProductsPath, "product create") { Json = body }, cancellationToken)
            : api.SendAsync(new TikTokCall(HttpMethod.Put, ProductPath(productId), "product update") { Json = body }, cancellationToken);

    private TikTokShopApi Api(MarketplaceSession session) => TikTokShopApi.Open(httpClientFactory, options.Value, timeProvider, logger, session);

    private static string ProductPath(string productId) => $"{ProductsPath}/{Uri.EscapeDataString(productId)}";

    /// <summary>Section 9.5: multipart <c>data</c> + <c>use_case</c>, not signed. Another upload of the same image only makes another uri, so it may be repeated.</summary>
    private static async Task<TikTokReply> UploadAsync(TikTokShopApi api, ListingImage image, CancellationToken cancellationToken)
    {
        var bytes = await MarketplaceHttp.ReadImageAsync(image, cancellationToken);

        return await api.SendAsync(
            new TikTokCall(HttpMethod.Post, "/product/202309/images/upload", "image upload")
            {
                Repeatable = true,
                Multipart = () =>
                {
                    var file = new ByteArrayContent(bytes);
                    file.Headers.ContentType = MediaTypeHeaderValue.Parse(image.ContentType);
                    return new MultipartFormDataContent { { file, "data", image.FileName }, { new StringContent("MAIN_IMAGE"), "use_case" } };
                },
            },
            cancellationToken);
    }

    /// <summary>
    /// The product that already holds one of the listing's seller SKUs (deleted ones aside), so a publish whose create
    /// answer was lost updates it instead of creating a second. UNCONFIRMED: POST /product/202309/products/search with
    /// <c>seller_skus</c> in the body and <c>page_size</c> in the query.
    /// </summary>
    private static async Task<string?> FindBySellerSkuAsync(TikTokShopApi api, ListingDraft listing, CancellationToken cancellationToken)
    {
        var skus = listing.Variants.Select(variant => variant.Sku).Append(listing.Sku).Distinct(StringComparer.Ordinal).ToList();
        var data = await api.ReadAsync(
            new TikTokCall(HttpMethod.Post, $"{ProductsPath}/search", "product search")
            {
                Json = new JsonObject { ["seller_skus"] = new JsonArray([.. skus.Select(sku => (JsonNode)sku)]) }.ToJsonString(),
                Query = [new("page_size", "20")],
                Repeatable = true,
            },
            cancellationToken);
        return TikTokShopListing.Items(data, "products")
            .Where(product => product.GetString("status") != "DELETED")
            .FirstOrDefault(product => TikTokShopListing.Items(product, "skus").Any(sku => skus.Contains(sku.GetString("seller_sku") ?? "", StringComparer.Ordinal)))
            .GetString("id");
    }

    private static PublishResult Rejected(string? productId, IReadOnlyList<PlatformIssue> issues) => new(PublishOutcome.Rejected, productId, null, null, issues);

    private static PublishResult Removed(string? productId) => new(PublishOutcome.Removed, productId, null, null, []);
}
