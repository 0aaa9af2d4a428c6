using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Shopify;

/// <summary>
/// Publishes to a Shopify shop through the Admin GraphQL API (external-apis.md section 7). One <c>productSet</c> per
/// publish, identified by our listing key as a custom ID (a product metafield of type <c>id</c>), so a retried or
/// duplicated publish updates the product it made instead of creating a second one (security-privacy.md row J1).
/// Images go by public URL, or through staged uploads when CommerceOS has none; Shopify processes them afterwards,
/// which makes such a publish <see cref="PublishOutcome.Pending"/> until every image is READY.
/// </summary>
internal sealed class ShopifyPublisher(
    IHttpClientFactory httpClientFactory,
    IOptions<ShopifyOptions> options,
    TimeProvider timeProvider,
    ILogger<ShopifyPublisher> logger) : IMarketplacePublisher
{
    internal const string ClientName = "CommerceOS.Publishing.Shopify";

    /// <summary>Session keys of what the adapter learns once per connection (not form fields).</summary>
    internal const string LocationKey = "location_id";
    internal const string CurrencyKey = "shop_currency";
    internal const string DefinitionKey = "listing_key_definition";

    private const string ShopQuery = "query CommerceOSShop { shop { name myshopifyDomain currencyCode } }";

    // UNCONFIRMED: location without an id answers the shop's primary location (not in the reference; Shopify's docs).
    private const string ContextQuery = "query CommerceOSContext { shop { currencyCode } location { id } }";

    // UNCONFIRMED: custom IDs need an id-typed metafield definition first (Shopify's "working with custom IDs" guide,
    // not in the reference); a second create answers the userError code TAKEN.
    private const string DefinitionMutation =
        "mutation CommerceOSListingKey($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) { createdDefinition { id } userErrors { field message code } } }";

    private const string StageMutation =
        "mutation CommerceOSStage($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }";

    private const string SetMutation =
        "mutation CommerceOSProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers, $synchronous: Boolean) { productSet(input: $input, identifier: $identifier, synchronous: $synchronous) { product { id handle status media(first: 250) { nodes { id status mediaErrors { code message } } } } userErrors { field message code } } }";

    // UNCONFIRMED: productByIdentifier (API 2025-04+) is not in the reference; Shopify's docs list it with customId.
    private const string LookupQuery =
        "query CommerceOSLookup($identifier: ProductIdentifierInput!) { productByIdentifier(identifier: $identifier) { id status } }";

    private const string MediaQuery =
        "query CommerceOSMedia($id: ID!) { product(id: $id) { id status media(first: 250) { nodes { id status mediaErrors { code message } } } } }";

    private ShopifyOptions Options => options.Value;

    public string Platform => Platforms.Shopify;

    public IReadOnlyList<CredentialField> Fields { get; } =
    [
        new(ShopifyAdmin.ShopField, Secret: false, Required: true, Pattern: @"^\s*(https://)?[A-Za-z0-9][A-Za-z0-9-]*(\.myshopify\.com)?/?\s*$"),
        new(ShopifyAdmin.AccessTokenField, Secret: true, Required: false),
        new(ShopifyAdmin.ClientIdField, Secret: false, Required: false),
        new(ShopifyAdmin.ClientSecretField, Secret: true, Required: false),
    ];

    /// <summary>Shopify itself needs only a title; a product without a price would sell for nothing.</summary>
    public IReadOnlyList<string> RequiredFields { get; } = [ListingFields.Title, ListingFields.Price];

    /// <summary>UNCONFIRMED (section 7.4): at most 250 media per product.</summary>
    public int MaxImages => 250;

    public async Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        var admin = Open(session);
        var data = await admin.GraphQlAsync("CommerceOSShop", ShopQuery, [], cancellationToken);
        var shop = data.TryGetProperty("shop", out var value) ? value : default;
        var name = shop.GetString("name") ?? throw new ProviderException(ProviderFailure.Transient, "Shopify shop query answered without shop.name.");
        if (shop.GetString("currencyCode") is { } currency)
        {
            session.Renew(CurrencyKey, currency);
        }

        logger.LogInformation("Shopify connection to {Shop} checked", admin.Shop);
        return new ConnectionCheck(name);
    }

    public async Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var admin = Open(session);
        var (locationId, currency) = await ContextAsync(admin, session, cancellationToken);
        if (ShopifyListingInput.CurrencyIssues(listing, currency) is { Count: > 0 } mismatch)
        {
            return Rejected(listing.ExternalId, mismatch);
        }

        await EnsureListingKeyAsync(admin, session, cancellationToken);
        var (files, refused) = await FilesAsync(admin, listing, cancellationToken);
        if (refused.Count > 0)
        {
            return Rejected(listing.ExternalId, refused);
        }

        var known = ShopifyListingInput.IsProductGid(listing.ExternalId);
        var input = ShopifyListingInput.Product(listing, files, locationId, currency, withKey: !known);
        var answer = await SetAsync(admin, input, known ? ShopifyListingInput.ById(listing.ExternalId!) : ShopifyListingInput.ByKey(listing), cancellationToken);
        if (answer.Gone && known)
        {
            // Deleted on Shopify since the last publish: the listing key makes it again, once.
            logger.LogInformation("Shopify product {ProductId} on {Shop} is gone; publishing it again by listing key", listing.ExternalId, admin.Shop);
            answer = await SetAsync(admin, ShopifyListingInput.Product(listing, files, locationId, currency, withKey: true), ShopifyListingInput.ByKey(listing), cancellationToken);
        }

        if (answer.Gone)
        {
            return Rejected(listing.ExternalId, [new PlatformIssue(ListingFields.Listing, "PRODUCT_DOES_NOT_EXIST", "Shopify no longer has the product.", PlatformIssueSeverity.Error)]);
        }

        if (answer.Issues.Count > 0 || answer.Product is not { } product)
        {
            return Rejected(listing.ExternalId, answer.Issues);
        }

        var id = product.GetString("id")!;
        logger.LogInformation("Shopify productSet on {Shop} holds product {ProductId}", admin.Shop, id);
        return MediaResult(admin, id, product);
    }

    public async Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken)
    {
        if (!ShopifyListingInput.IsProductGid(receipt))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, "A Shopify receipt is a product gid (gid://shopify/Product/…).");
        }

        var admin = Open(session);
        var data = await admin.GraphQlAsync("CommerceOSMedia", MediaQuery, new JsonObject { ["id"] = receipt }, cancellationToken);
        if (!data.TryGetProperty("product", out var product) || product.ValueKind != JsonValueKind.Object)
        {
            return Rejected(null, [new PlatformIssue(ListingFields.Listing, "PRODUCT_GONE", "The product was deleted on Shopify while its media were processing.", PlatformIssueSeverity.Error)]);
        }

        return MediaResult(admin, receipt, product);
    }

    public async Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var admin = Open(session);
        var (locationId, currency) = await ContextAsync(admin, session, cancellationToken);
        if (ShopifyListingInput.CurrencyIssues(listing, currency) is { Count: > 0 } mismatch)
        {
            return Rejected(listing.ExternalId, mismatch);
        }

        // By id, never an upsert: a sync must not create a product that carries only variants.
        var id = await FindAsync(admin, listing, cancellationToken);
        var answer = id is null ? null : await SetAsync(admin, ShopifyListingInput.Offers(listing, locationId, currency), ShopifyListingInput.ById(id), cancellationToken);
        if (answer is null || answer.Gone)
        {
            return Rejected(listing.ExternalId, [new PlatformIssue(ListingFields.Listing, "NOT_PUBLISHED", "The product is not on the Shopify shop; publish it first.", PlatformIssueSeverity.Error)]);
        }

        if (answer.Issues.Count > 0)
        {
            return Rejected(id, answer.Issues);
        }

        logger.LogInformation("Shopify offers of product {ProductId} on {Shop} synced", id, admin.Shop);
        return new PublishResult(PublishOutcome.Live, id, AdminUrl(admin, id!), null, []);
    }

    public async Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var admin = Open(session);

        // Archived, not deleted: the seller can bring it back, and it keeps its orders' history. Looked up first, because
        // an upsert by listing key of a product that is gone would create an archived one.
        var id = await FindAsync(admin, listing, cancellationToken);
        var answer = id is null ? null : await SetAsync(admin, ShopifyListingInput.Archive(), ShopifyListingInput.ById(id), cancellationToken);
        if (answer is null || answer.Gone)
        {
            logger.LogInformation("Shopify listing on {Shop} was already gone", admin.Shop);
            return new PublishResult(PublishOutcome.Removed, listing.ExternalId, null, null, []);
        }

        if (answer.Issues.Count > 0)
        {
            return Rejected(id, answer.Issues);
        }

        logger.LogInformation("Shopify product {ProductId} on {Shop} archived", id, admin.Shop);
        return new PublishResult(PublishOutcome.Removed, id, AdminUrl(admin, id!), null, []);
    }

    /// <summary>
    /// Shopify documents no token revocation in the reference. Uninstalling the app (REST <c>api_permissions/current</c>)
    /// would remove the seller's own app from the shop, far more than disconnecting CommerceOS, and a granted token
    /// lapses within 24 h anyway: nothing is revoked, the credentials are only deleted on our side.
    /// </summary>
    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken) => Task.FromResult(false);

    private ShopifyAdmin Open(MarketplaceSession session) =>
        ShopifyAdmin.Open(httpClientFactory.CreateClient(ClientName), Options, timeProvider, logger, session);

    /// <summary>The primary location (where stock is set) and the shop's currency, asked once per connection.</summary>
    private static async Task<(string? LocationId, string? Currency)> ContextAsync(ShopifyAdmin admin, MarketplaceSession session, CancellationToken cancellationToken)
    {
        if (session[LocationKey] is null || session[CurrencyKey] is null)
        {
            var data = await admin.GraphQlAsync("CommerceOSContext", ContextQuery, [], cancellationToken);
            if (data.TryGetProperty("location", out var location) && location.GetString("id") is { } locationId)
            {
                session.Renew(LocationKey, locationId);
            }

            if (data.TryGetProperty("shop", out var shop) && shop.GetString("currencyCode") is { } currency)
            {
                session.Renew(CurrencyKey, currency);
            }
        }

        return (session[LocationKey], session[CurrencyKey]);
    }

    private static async Task EnsureListingKeyAsync(ShopifyAdmin admin, MarketplaceSession session, CancellationToken cancellationToken)
    {
        var marker = $"{ShopifyListingInput.KeyNamespace}.{ShopifyListingInput.KeyName}";
        if (session[DefinitionKey] == marker)
        {
            return;
        }

        var definition = new JsonObject
        {
            ["name"] = "CommerceOS listing key",
            ["namespace"] = ShopifyListingInput.KeyNamespace,
            ["key"] = ShopifyListingInput.KeyName,
            ["type"] = "id",
            ["ownerType"] = "PRODUCT",
        };
        var data = await admin.GraphQlAsync("CommerceOSListingKey", DefinitionMutation, new JsonObject { ["definition"] = definition }, cancellationToken);
        var errors = ShopifyAdmin.Payload(data, "metafieldDefinitionCreate").TryGetProperty("userErrors", out var list) ? ShopifyListingInput.Issues(list) : [];
        if (errors.FirstOrDefault(error => error.Code != "TAKEN") is { } refused)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Shopify refused the listing-key metafield definition ({refused.Code}): {refused.Message}");
        }

        session.Renew(DefinitionKey, marker);
    }

    /// <summary>
    /// The listing's images as <c>files</c>: public URLs as they are, the others staged (section 7.4: one
    /// stagedUploadsCreate, then each file posted to its target) and attached by <c>resourceUrl</c>.
    /// </summary>
    private async Task<(JsonArray Files, List<PlatformIssue> Refused)> FilesAsync(ShopifyAdmin admin, ListingDraft listing, CancellationToken cancellationToken)
    {
        var images = listing.Images.Take(MaxImages).ToList();
        var sources = images.Select(image => image.PublicUrl).ToArray();
        var staged = images.Select((image, index) => (image, index)).Where(item => item.image.PublicUrl is null).ToList();
        var refused = new List<PlatformIssue>();
        if (staged.Count > 0)
        {
            var bytes = new List<byte[]>();
            foreach (var (image, _) in staged)
            {
                bytes.Add(await MarketplaceHttp.ReadImageAsync(image, cancellationToken));
            }

            var input = new JsonArray([.. staged.Select((item, i) => (JsonNode)new JsonObject
            {
                ["filename"] = item.image.FileName,
                ["mimeType"] = item.image.ContentType,
                ["resource"] = "IMAGE",
                ["httpMethod"] = "POST",
                ["fileSize"] = bytes[i].LongLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })]);
            var data = await admin.GraphQlAsync("CommerceOSStage", StageMutation, new JsonObject { ["input"] = input }, cancellationToken);
            var result = ShopifyAdmin.Payload(data, "stagedUploadsCreate");
            if (result.TryGetProperty("userErrors", out var userErrors) && ShopifyListingInput.Issues(userErrors, ListingFields.Images) is { Count: > 0 } issues)
            {
                return ([], [.. issues.Select(issue => issue with { Field = ListingFields.Images })]);
            }

            var targets = result.TryGetProperty("stagedTargets", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
            if (targets.Count != staged.Count)
            {
                throw new ProviderException(ProviderFailure.Transient, $"Shopify stagedUploadsCreate answered {targets.Count} targets for {staged.Count} images.");
            }

            for (var i = 0; i < staged.Count; i++)
            {
                var parameters = targets[i].TryGetProperty("parameters", out var pairs) && pairs.ValueKind == JsonValueKind.Array
                    ? pairs.EnumerateArray().Select(pair => KeyValuePair.Create(pair.GetString("name") ?? "", pair.GetString("value") ?? "")).ToList()
                    : [];
                var image = staged[i].image;
                if (await admin.UploadAsync(targets[i].GetString("url"), parameters, bytes[i], image.FileName, image.ContentType, cancellationToken) is { } refusal)
                {
                    refused.Add(new PlatformIssue(ListingFields.Images, "UPLOAD_REFUSED", refusal, PlatformIssueSeverity.Error, image.FileName));
                    continue;
                }

                sources[staged[i].index] = ProviderHttp.VendorUrl(targets[i].GetString("resourceUrl"), "Shopify", "staged resourceUrl").AbsoluteUri;
            }
        }

        return (new JsonArray([.. images.Select((image, index) => (JsonNode)ShopifyListingInput.File(listing, image, sources[index]!))]), refused);
    }

    /// <summary>The lookup for unpublish and sync: the known product id, else the product holding our listing key.</summary>
    private static async Task<string?> FindAsync(ShopifyAdmin admin, ListingDraft listing, CancellationToken cancellationToken)
    {
        if (ShopifyListingInput.IsProductGid(listing.ExternalId))
        {
            return listing.ExternalId;
        }

        var data = await admin.GraphQlAsync("CommerceOSLookup", LookupQuery, new JsonObject { ["identifier"] = ShopifyListingInput.ByKey(listing) }, cancellationToken);
        return data.TryGetProperty("productByIdentifier", out var product) && product.ValueKind == JsonValueKind.Object ? product.GetString("id") : null;
    }

    /// <summary>One synchronous productSet (section 7.3 A); <see cref="SetAnswer.Gone"/> when the id it names no longer exists.</summary>
    private static async Task<SetAnswer> SetAsync(ShopifyAdmin admin, JsonObject input, JsonObject identifier, CancellationToken cancellationToken)
    {
        var variables = new JsonObject { ["input"] = input, ["identifier"] = identifier, ["synchronous"] = true };
        var data = await admin.GraphQlAsync("CommerceOSProductSet", SetMutation, variables, cancellationToken);
        var set = ShopifyAdmin.Payload(data, "productSet");
        var issues = set.TryGetProperty("userErrors", out var userErrors) ? ShopifyListingInput.Issues(userErrors) : [];

        // UNCONFIRMED: the code of an update by id whose product was deleted (ProductSetUserErrorCode PRODUCT_DOES_NOT_EXIST).
        if (issues.Any(issue => issue.Code is "PRODUCT_DOES_NOT_EXIST" or "NOT_FOUND"))
        {
            return new SetAnswer(null, [], Gone: true);
        }

        var product = set.TryGetProperty("product", out var value) && value.ValueKind == JsonValueKind.Object ? value : (JsonElement?)null;
        if (issues.Count == 0 && product?.GetString("id") is null)
        {
            throw new ProviderException(ProviderFailure.Transient, "Shopify productSet answered neither a product nor userErrors.");
        }

        return new SetAnswer(product, issues, Gone: false);
    }

    /// <summary>Section 7.4 step 4: media are processed after the product is saved; Live once every one is READY.</summary>
    private PublishResult MediaResult(ShopifyAdmin admin, string productId, JsonElement product)
    {
        var media = ShopifyListingInput.Media(product).ToList();
        if (media.FirstOrDefault(item => item.Status == "FAILED") is { Status: not null } failed)
        {
            return Rejected(productId, [new PlatformIssue(ListingFields.Images, failed.Code ?? "FAILED", failed.Message ?? "Shopify could not process an image.", PlatformIssueSeverity.Error, "media")]);
        }

        if (media.Any(item => item.Status != "READY"))
        {
            logger.LogDebug("Shopify product {ProductId} on {Shop} has media processing", productId, admin.Shop);
            return new PublishResult(PublishOutcome.Pending, productId, AdminUrl(admin, productId), productId, [], Options.MediaPollInterval);
        }

        return new PublishResult(PublishOutcome.Live, productId, AdminUrl(admin, productId), null, []);
    }

    private static string AdminUrl(ShopifyAdmin admin, string productId) =>
        $"https://admin.shopify.com/store/{admin.ShopName}/products/{ShopifyListingInput.NumericId(productId)}";

    private static PublishResult Rejected(string? externalId, IReadOnlyList<PlatformIssue> issues) =>
        new(PublishOutcome.Rejected, externalId, null, null, issues);

    private sealed record SetAnswer(JsonElement? Product, IReadOnlyList<PlatformIssue> Issues, bool Gone);
}
