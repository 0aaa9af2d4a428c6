using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Amazon;

/// <summary>
/// Amazon through the Selling Partner API (external-apis.md §8): one <c>putListingsItem</c> per SKU, which creates or
/// fully replaces, so a retried or duplicated publish overwrites what the first one made. A product with variants is a
/// variation family: the parent SKU first (a child can only name a parent Amazon has), then each variant as a child.
/// The attributes are <see cref="AmazonListingJson"/>'s, the same as the offline export. <c>ACCEPTED</c> only means
/// queued: the result is Pending, and <see cref="FollowAsync"/> reads each SKU's summaries and issues until Amazon has
/// processed it.
/// </summary>
internal sealed class AmazonPublisher(
    IHttpClientFactory httpClientFactory,
    IOptions<AmazonOptions> options,
    TimeProvider timeProvider,
    ILogger<AmazonPublisher> logger) : IMarketplacePublisher
{
    internal const string ClientName = "CommerceOS.Amazon";

    public const string SellerIdField = "seller_id";
    public const string MarketplaceIdField = "marketplace_id";
    public const string RegionField = "region";
    public const string ClientIdField = "lwa_client_id";
    public const string ClientSecretField = "lwa_client_secret";
    public const string RefreshTokenField = "refresh_token";

    private const string ItemsPath = "/listings/2021-08-01/items";

    /// <summary>Only amazon.com's detail pages are linked: other marketplaces have their own domains.</summary>
    private const string UsDetailPage = "https://www.amazon.com/dp/";

    public string Platform => Platforms.Amazon;

    public IReadOnlyList<CredentialField> Fields { get; } =
    [
        new(SellerIdField, Secret: false),
        new(MarketplaceIdField, Secret: false, Pattern: "^[A-Z0-9]{10,14}$", Default: AmazonListingJson.DefaultMarketplaceId),
        new(RegionField, Secret: false, Pattern: "^(na|eu|fe)$", Default: "na"),
        new(ClientIdField, Secret: false),
        new(ClientSecretField, Secret: true),
        new(RefreshTokenField, Secret: true),
    ];

    public IReadOnlyList<string> RequiredFields { get; } =
        [ListingFields.Title, ListingFields.Brand, ListingFields.Bullets, ListingFields.Description, ListingFields.Images, ListingFields.Price, ListingFields.Sku];

    public int MaxImages => AmazonListingJson.MaxOtherImages + 1;

    public async Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        var api = Connect(session);
        // A fresh exchange, not the cached token: the point is to learn whether the credentials work now.
        await api.AccessTokenAsync(renew: true, cancellationToken);
        var (status, body) = await api.SendAsync(
            HttpMethod.Get,
            $"/definitions/2020-09-01/productTypes?marketplaceIds={Esc(api.MarketplaceId)}&keywords=product",
            null,
            "searchDefinitionsProductTypes",
            cancellationToken);
        if (status != HttpStatusCode.OK || !body.TryGetProperty("productTypes", out var types) || types.ValueKind != JsonValueKind.Array)
        {
            throw new ProviderException(
                status == HttpStatusCode.BadRequest ? ProviderFailure.Misconfigured : ProviderFailure.Transient,
                $"Amazon searchDefinitionsProductTypes answered {(int)status}: {AmazonSpApi.FirstError(body)}");
        }

        logger.LogInformation("Amazon connection {ConnectionId} checked for marketplace {MarketplaceId}", session.ConnectionId, api.MarketplaceId);
        return new ConnectionCheck($"{api.SellerId} · {api.MarketplaceId}");
    }

    public async Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Connect(session);
        var family = Listing(listing, api.MarketplaceId);
        var submissions = new List<AmazonSubmission>();
        foreach (var item in family.Items)
        {
            var (status, body) = await api.SendAsync(HttpMethod.Put, ItemPath(api, item.Sku, listing), item.Body.ToJsonString(), "putListingsItem", cancellationToken);
            var submission = Log(AmazonSubmission.Read(item.Sku, status, body, "putListingsItem", family.Variation), "putListingsItem");
            submissions.Add(submission);
            if (item.Parentage == AmazonParentage.Parent && submission.Status != AmazonSubmission.Accepted)
            {
                // Children naming a parent Amazon refused would be orphans on the catalog: none is sent.
                break;
            }
        }

        return Conclude(listing, submissions, VariationWarnings(family));
    }

    public async Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken)
    {
        var api = Connect(session);
        var issues = new List<PlatformIssue>();
        var live = 0;
        string? asin = null;
        var family = Listing(listing, api.MarketplaceId);
        var skus = ReceiptSkus(receipt) ?? [.. family.Items.Select(i => i.Sku)];
        foreach (var sku in skus)
        {
            var (status, body) = await api.SendAsync(
                HttpMethod.Get, $"{ItemPath(api, sku, listing)}&includedData=summaries,issues", null, "getListingsItem", cancellationToken);
            if (status == HttpStatusCode.NotFound)
            {
                // UNCONFIRMED: a 404 right after an ACCEPTED put means Amazon has not created the item yet.
                continue;
            }

            if (status != HttpStatusCode.OK)
            {
                throw new ProviderException(ProviderFailure.Transient, $"Amazon getListingsItem for SKU {sku} answered {(int)status}: {AmazonSpApi.FirstError(body)}");
            }

            issues.AddRange(AmazonIssues.Read(body, family.Variation));
            var summary = Summary(body, api.MarketplaceId);
            if (summary is { } found && IsLive(found))
            {
                live++;
                asin ??= found.GetString("asin");
            }
        }

        logger.LogInformation("Amazon listing {Sku}: {Live} of {Count} SKUs live", listing.Sku, live, skus.Count);
        var distinct = issues.Distinct().ToList();
        if (distinct.Any(i => i.Severity == PlatformIssueSeverity.Error))
        {
            return new PublishResult(PublishOutcome.Rejected, listing.Sku, null, null, distinct);
        }

        if (live == skus.Count)
        {
            var url = asin is not null && api.MarketplaceId == AmazonListingJson.DefaultMarketplaceId ? UsDetailPage + Uri.EscapeDataString(asin) : null;
            return new PublishResult(PublishOutcome.Live, listing.Sku, url, null, distinct);
        }

        return new PublishResult(PublishOutcome.Pending, listing.Sku, null, receipt, distinct);
    }

    public async Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Connect(session);
        var family = Listing(listing, api.MarketplaceId);
        var submissions = new List<AmazonSubmission>();
        // The parent of a family has no offer to sync.
        foreach (var item in family.Items.Where(i => i.Parentage != AmazonParentage.Parent))
        {
            var attributes = item.Body["attributes"]!.AsObject();
            var patches = new JsonArray();
            foreach (var name in (string[])["purchasable_offer", "fulfillment_availability"])
            {
                if (attributes[name] is { } value)
                {
                    patches.Add(new JsonObject { ["op"] = "replace", ["path"] = $"/attributes/{name}", ["value"] = value.DeepClone() });
                }
            }

            var body = new JsonObject { ["productType"] = item.Body["productType"]!.DeepClone(), ["patches"] = patches };
            // A replace of the same values is safe to send twice, so the pipeline may repeat it after a 5xx.
            var (status, answer) = await api.SendAsync(HttpMethod.Patch, ItemPath(api, item.Sku, listing), body.ToJsonString(), "patchListingsItem", cancellationToken, repeatable: true);
            submissions.Add(Log(AmazonSubmission.Read(item.Sku, status, answer, "patchListingsItem", family.Variation), "patchListingsItem"));
        }

        return Conclude(listing, submissions, []);
    }

    public async Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var api = Connect(session);
        var issues = new List<PlatformIssue>();
        var refused = false;
        var skus = listing.Variants.Select(v => v.Sku).ToList();
        // The parent last, once nothing names it; sent whether or not the options make a family today, so that a family
        // published before its options changed leaves no parent behind (a parent never made answers NOT_FOUND).
        if (skus.Count > 1 && !skus.Contains(listing.Sku, StringComparer.Ordinal))
        {
            skus.Add(listing.Sku);
        }

        foreach (var sku in skus)
        {
            var (status, body) = await api.SendAsync(HttpMethod.Delete, ItemPath(api, sku, listing), null, "deleteListingsItem", cancellationToken);
            var submission = Log(AmazonSubmission.Read(sku, status, body, "deleteListingsItem"), "deleteListingsItem");
            // NOT_FOUND: already gone, which is what we wanted.
            if (submission.Status == AmazonSubmission.Invalid)
            {
                refused = true;
                issues.AddRange(submission.Issues);
            }
        }

        return new PublishResult(refused ? PublishOutcome.Rejected : PublishOutcome.Removed, listing.Sku, null, null, [.. issues.Distinct()]);
    }

    /// <summary>LWA offers an app no revocation of a seller's refresh token (§8.2 documents none): the seller removes the app in Seller Central.</summary>
    // UNCONFIRMED: no LWA revoke endpoint is documented in the reference.
    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken) => Task.FromResult(false);

    private AmazonSpApi Connect(MarketplaceSession session) =>
        new(httpClientFactory.CreateClient(ClientName), options.Value, timeProvider, session);

    /// <summary>
    /// The put requests of every SKU, built by the export's <see cref="AmazonListingJson.Listing"/>; the seller's mapped
    /// attributes are added where the kit set nothing under that name.
    /// </summary>
    private static AmazonListing Listing(ListingDraft listing, string marketplaceId)
    {
        var source = new AmazonListingSource(
            listing.CategoryId ?? AmazonListingJson.DefaultProductType,
            listing.Language,
            listing.Title,
            listing.Brand,
            listing.Bullets,
            // Plain text: Amazon's product_description takes little or no HTML.
            listing.DescriptionText ?? listing.DescriptionHtml,
            listing.SearchTerms ?? (listing.Tags.Count > 0 ? string.Join(' ', listing.Tags) : null),
            [.. listing.Variants.Select(v => new AmazonOffer(v.Sku, v.PriceMinor, v.Currency, v.Stock, v.Options))],
            // Amazon fetches images itself (§8.6); an image without a public address cannot be sent.
            [.. listing.Images.Where(i => !string.IsNullOrWhiteSpace(i.PublicUrl)).Select(i => i.PublicUrl!)],
            listing.Sku);
        var family = AmazonListingJson.Listing(source, marketplaceId);
        foreach (var item in family.Items)
        {
            var attributes = item.Body["attributes"]!.AsObject();
            foreach (var (name, value) in listing.Attributes)
            {
                if (!string.IsNullOrWhiteSpace(name) && !attributes.ContainsKey(name))
                {
                    attributes[name] = new JsonArray(new JsonObject { ["value"] = value, ["marketplace_id"] = marketplaceId });
                }
            }
        }

        return family;
    }

    /// <summary>Variants whose options fit no variation theme go as flat SKUs; the seller learns why.</summary>
    private static IReadOnlyList<PlatformIssue> VariationWarnings(AmazonListing family) =>
        family.NoTheme
            ? [new PlatformIssue(
                ListingFields.Variants,
                "variation_theme",
                $"No Amazon variation theme fits the options ({string.Join(", ", family.Variation!.Unmapped)}): the variants are published as separate SKUs. Name the options Size, Color, Style, Material or Pattern to group them.",
                PlatformIssueSeverity.Warning,
                "variation_theme")]
            : [];

    /// <summary>All accepted: Pending with the submissions as the receipt. Any invalid: Rejected with every issue.</summary>
    private static PublishResult Conclude(ListingDraft listing, List<AmazonSubmission> submissions, IReadOnlyList<PlatformIssue> warnings)
    {
        var issues = warnings.Concat(submissions.SelectMany(s => s.Issues)).Distinct().ToList();
        if (submissions.Any(s => s.Status != AmazonSubmission.Accepted) || issues.Any(i => i.Severity == PlatformIssueSeverity.Error))
        {
            return new PublishResult(PublishOutcome.Rejected, listing.Sku, null, null, issues);
        }

        var receipt = new JsonObject
        {
            ["submissions"] = new JsonArray([.. submissions.Select(s => (JsonNode)new JsonObject { ["sku"] = s.Sku, ["submissionId"] = s.SubmissionId })]),
        };
        return new PublishResult(PublishOutcome.Pending, listing.Sku, null, receipt.ToJsonString(), issues);
    }

    /// <summary>The SKUs a receipt names; null when it is not one of ours (then the draft's variants are asked about).</summary>
    private static List<string>? ReceiptSkus(string receipt)
    {
        try
        {
            var skus = JsonNode.Parse(receipt)?["submissions"]?.AsArray().Select(s => s?["sku"]?.GetValue<string>()).OfType<string>().ToList();
            return skus is { Count: > 0 } ? skus : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The summary of our marketplace (the item may be listed in others of the region).</summary>
    private static JsonElement? Summary(JsonElement item, string marketplaceId) =>
        item.TryGetProperty("summaries", out var summaries) && summaries.ValueKind == JsonValueKind.Array
            ? summaries.EnumerateArray().Where(s => s.GetString("marketplaceId") == marketplaceId).Select(s => (JsonElement?)s).FirstOrDefault()
            : null;

    /// <summary><c>status</c> is a list in the 2021-08-01 model (<c>["BUYABLE", "DISCOVERABLE"]</c>); a plain string is read too.</summary>
    private static bool IsLive(JsonElement summary)
    {
        if (!summary.TryGetProperty("status", out var status))
        {
            return false;
        }

        IEnumerable<string?> values = status.ValueKind switch
        {
            JsonValueKind.Array => status.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : null),
            JsonValueKind.String => [status.GetString()],
            _ => [],
        };
        return values.Any(v => v is "BUYABLE" or "DISCOVERABLE");
    }

    private static string ItemPath(AmazonSpApi api, string sku, ListingDraft listing) =>
        $"{ItemsPath}/{Esc(api.SellerId)}/{Esc(sku)}?marketplaceIds={Esc(api.MarketplaceId)}&issueLocale={Esc(AmazonListingJson.LanguageTag(listing.Language))}";

    private static string Esc(string value) => Uri.EscapeDataString(value);

    private AmazonSubmission Log(AmazonSubmission submission, string operation)
    {
        logger.LogInformation("Amazon {Operation} for SKU {Sku}: {Status} (submission {SubmissionId}, {IssueCount} issues)",
            operation, submission.Sku, submission.Status, submission.SubmissionId, submission.Issues.Count);
        return submission;
    }
}
