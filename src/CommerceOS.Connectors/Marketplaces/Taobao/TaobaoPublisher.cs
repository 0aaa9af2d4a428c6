using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Taobao;

/// <summary>
/// Publishes to a Taobao C-store through the TOP router (external-apis.md §10): images into the seller's picture space,
/// then <c>taobao.item.add</c> or <c>taobao.item.update</c>. TOP has no idempotency key, so the item's <c>outer_id</c>
/// (our SKU) is the key: before adding, the seller's items are looked up by it, and a publish retried after a lost
/// answer updates the item the first attempt made. TOP answers synchronously: nothing is ever Pending.
/// </summary>
public sealed partial class TaobaoPublisher(
    IHttpClientFactory httpClientFactory,
    IOptions<TaobaoOptions> options,
    TimeProvider timeProvider,
    ILogger<TaobaoPublisher> logger) : IMarketplacePublisher
{
    internal const string ClientName = "CommerceOS.Publishing.Taobao";

    public string Platform => Platforms.Taobao;

    public IReadOnlyList<CredentialField> Fields { get; } =
    [
        new("app_key", Secret: false),
        new("app_secret", Secret: true),
        new("session", Secret: true),
        // item.add requires the seller's location (§10.4): a province and a city, in Chinese as Taobao lists them.
        new("location_state", Secret: false),
        new("location_city", Secret: false),
    ];

    public IReadOnlyList<string> RequiredFields { get; } =
        [ListingFields.Title, ListingFields.Description, ListingFields.Images, ListingFields.Price, ListingFields.Stock, ListingFields.Category, ListingFields.Sku];

    /// <summary>One main picture plus four more through item.img.upload (UNCONFIRMED: Taobao's five-picture gallery).</summary>
    public int MaxImages => 5;

    private TaobaoGateway Gateway => TaobaoGateway.Create(httpClientFactory, options.Value, timeProvider, logger);

    public async Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        // UNCONFIRMED: taobao.user.seller.get with fields=nick as the cheap read that needs the seller's session.
        var (response, error) = await Gateway.CallAsync(TopCredentials.From(session), "taobao.user.seller.get", [new("fields", "nick")], repeatable: true, cancellationToken);
        if (error is not null)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Taobao refused the seller read: {error.SubCode ?? error.Code.ToString(CultureInfo.InvariantCulture)} {error.SubMsg ?? error.Msg}");
        }

        var nick = response.TryGetProperty("user", out var user) ? user.GetString("nick") : null;
        return new ConnectionCheck(string.IsNullOrEmpty(nick) ? "Taobao seller" : nick);
    }

    public async Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var credentials = TopCredentials.From(session);
        var location = (State: session.Required("location_state"), City: session.Required("location_city"));
        if (CheckOffers(listing) is { } refused)
        {
            return refused;
        }

        var gateway = Gateway;
        var (skus, unmapped) = await SkusAsync(gateway, credentials, listing, cancellationToken);
        if (unmapped is not null)
        {
            return unmapped;
        }

        var pictures = new List<string>();
        foreach (var image in listing.Images.Take(MaxImages))
        {
            var (picture, pictureError) = await UploadPictureAsync(gateway, credentials, image, cancellationToken);
            if (pictureError is not null)
            {
                return Rejected(listing.ExternalId, pictureError.ToIssue() with { Field = ListingFields.Images });
            }

            pictures.Add(picture!);
        }

        var item = ItemArguments(listing, location, pictures.FirstOrDefault(), skus);
        var numIid = ParseNumIid(listing.ExternalId) ?? await FindByOuterIdAsync(gateway, credentials, listing.Sku, cancellationToken);
        if (numIid is { } known)
        {
            // UNCONFIRMED: item.update takes the same arguments as item.add (pic_path, sku_* arrays, approve_status).
            var (_, updateError) = await gateway.CallAsync(credentials, "taobao.item.update", [new("num_iid", Id(known)), .. item], repeatable: true, cancellationToken);
            if (updateError is { ItemGone: true } && listing.ExternalId is not null)
            {
                // The item we made earlier was deleted on Taobao: a new one is the seller's intent.
                logger.LogInformation("Taobao item {NumIid} is gone; adding it again", known);
                numIid = null;
            }
            else if (updateError is not null)
            {
                return Rejected(Id(known), updateError.ToIssue());
            }
        }

        if (numIid is null)
        {
            // Not repeatable: a lost answer is recovered by the outer_id lookup of the next attempt.
            var (added, addError) = await gateway.CallAsync(credentials, "taobao.item.add", item, repeatable: false, cancellationToken);
            if (addError is not null)
            {
                return Rejected(null, addError.ToIssue());
            }

            numIid = added.TryGetProperty("item", out var created) ? TaobaoGateway.Number(created, "num_iid") : null;
            if (numIid is null)
            {
                throw new ProviderException(ProviderFailure.Transient, "Taobao item.add answered without item.num_iid.");
            }

            logger.LogInformation("Taobao item {NumIid} added", numIid);
        }

        var warnings = new List<PlatformIssue>();
        for (var position = 1; position < pictures.Count; position++)
        {
            // UNCONFIRMED: item.img.upload with url = a picture-space path, and a position that replaces what is there.
            var (_, imageError) = await gateway.CallAsync(
                credentials,
                "taobao.item.img.upload",
                [new("num_iid", Id(numIid.Value)), new("url", pictures[position]), new("position", Id(position)), new("is_major", "false")],
                repeatable: true,
                cancellationToken);
            if (imageError is not null)
            {
                warnings.Add(imageError.ToIssue() with { Field = ListingFields.Images, Severity = PlatformIssueSeverity.Warning });
            }
        }

        return Live(numIid.Value, warnings);
    }

    /// <summary>TOP answers synchronously, so a receipt is never handed out; one that comes back is the num_iid.</summary>
    public Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken) =>
        Task.FromResult(ParseNumIid(receipt) is { } numIid
            ? Live(numIid, [])
            : throw new ProviderException(ProviderFailure.Misconfigured, "Taobao publishes synchronously; there is nothing to follow."));

    public async Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var credentials = TopCredentials.From(session);
        if (CheckOffers(listing) is { } refused)
        {
            return refused;
        }

        var gateway = Gateway;
        var (skus, unmapped) = await SkusAsync(gateway, credentials, listing, cancellationToken);
        if (unmapped is not null)
        {
            return unmapped;
        }

        if ((ParseNumIid(listing.ExternalId) ?? await FindByOuterIdAsync(gateway, credentials, listing.Sku, cancellationToken)) is not { } numIid)
        {
            return Rejected(null, new PlatformIssue(ListingFields.Listing, "not_found", $"Taobao has no item with outer_id {listing.Sku}; publish it first.", PlatformIssueSeverity.Error, "outer_id"));
        }

        // UNCONFIRMED: item.update with only num, price and the sku_* arrays changes nothing else (instead of
        // item.quantity.update per SKU plus item.price.update).
        var (_, error) = await gateway.CallAsync(credentials, "taobao.item.update", [new("num_iid", Id(numIid)), .. OfferArguments(listing, skus)], repeatable: true, cancellationToken);
        return error is null ? Live(numIid, []) : Rejected(Id(numIid), error.ToIssue());
    }

    public async Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        var credentials = TopCredentials.From(session);
        var gateway = Gateway;
        if ((ParseNumIid(listing.ExternalId) ?? await FindByOuterIdAsync(gateway, credentials, listing.Sku, cancellationToken)) is not { } numIid)
        {
            return new PublishResult(PublishOutcome.Removed, null, null, null, []);
        }

        var (_, error) = await gateway.CallAsync(credentials, "taobao.item.update.delisting", [new("num_iid", Id(numIid))], repeatable: true, cancellationToken);
        if (error is not null && !error.ItemGone)
        {
            return Rejected(Id(numIid), error.ToIssue());
        }

        logger.LogInformation("Taobao item {NumIid} delisted (already gone: {Gone})", numIid, error is not null);
        return new PublishResult(PublishOutcome.Removed, Id(numIid), ItemUrl(numIid), null, []);
    }

    /// <summary>TOP offers an app no way to give up a seller's session: it lapses on its own.</summary>
    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken) => Task.FromResult(false);

    private static async Task<(string? Path, TopError? Error)> UploadPictureAsync(TaobaoGateway gateway, TopCredentials credentials, ListingImage image, CancellationToken cancellationToken)
    {
        var bytes = await MarketplaceHttp.ReadImageAsync(image, cancellationToken);

        // Repeatable: a second copy in the picture space is harmless, a lost picture_path is not.
        var (response, error) = await gateway.CallAsync(
            credentials,
            "taobao.picture.upload",
            [new("picture_category_id", "0"), new("image_input_title", image.FileName), new("title", image.FileName)],
            repeatable: true,
            cancellationToken,
            new TopFile("img", image.FileName, image.ContentType, bytes));
        if (error is not null)
        {
            return (null, error);
        }

        var path = response.TryGetProperty("picture", out var picture) ? picture.GetString("picture_path") : null;
        return string.IsNullOrEmpty(path)
            ? throw new ProviderException(ProviderFailure.Transient, "Taobao picture.upload answered without picture.picture_path.")
            : (path, null);
    }

    /// <summary>The variants' options as sale property values, or the listing rejected with what could not be mapped.</summary>
    private static async Task<(SkuProperties? Skus, PublishResult? Rejected)> SkusAsync(TaobaoGateway gateway, TopCredentials credentials, ListingDraft listing, CancellationToken cancellationToken)
    {
        var (skus, issues) = await new TaobaoSaleProperties(gateway, credentials).MapAsync(listing, cancellationToken);
        return issues.Count == 0 ? (skus, null) : (null, new PublishResult(PublishOutcome.Rejected, listing.ExternalId, null, null, issues));
    }

    /// <summary>
    /// UNCONFIRMED: <c>taobao.items.custom.get</c> (outer_id, fields) lists the seller's items with that outer_id as
    /// <c>items.item[]</c>. A failed lookup is thrown, never taken as "not there": that would make a second item.
    /// </summary>
    private static async Task<long?> FindByOuterIdAsync(TaobaoGateway gateway, TopCredentials credentials, string sku, CancellationToken cancellationToken)
    {
        var (response, error) = await gateway.CallAsync(
            credentials,
            "taobao.items.custom.get",
            [new("outer_id", sku), new("fields", "num_iid,outer_id,approve_status")],
            repeatable: true,
            cancellationToken);
        if (error is not null)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Taobao could not look items up by outer_id: {error.SubCode ?? error.Code.ToString(CultureInfo.InvariantCulture)} {error.SubMsg ?? error.Msg}");
        }

        if (!response.TryGetProperty("items", out var items) || !items.TryGetProperty("item", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null; // TOP leaves empty lists out
        }

        return list.EnumerateArray().Where(i => i.GetString("outer_id") is null || i.GetString("outer_id") == sku).Select(i => TaobaoGateway.Number(i, "num_iid")).FirstOrDefault(n => n is not null);
    }

    /// <summary>taobao.item.add's arguments (§10.4) from the draft.</summary>
    private static List<KeyValuePair<string, string>> ItemArguments(ListingDraft listing, (string State, string City) location, string? mainPicture, SkuProperties? skus)
    {
        var arguments = new List<KeyValuePair<string, string>>
        {
            new("type", "fixed"),
            new("stuff_status", "new"),
            new("approve_status", "onsale"),
            // Not shortened: TOP's own error about the 60-byte limit (UNCONFIRMED) reaches the seller under "title".
            new("title", listing.Title),
            new("desc", listing.DescriptionHtml ?? listing.DescriptionText ?? ""),
            new("location.state", location.State),
            new("location.city", location.City),
            new("cid", listing.CategoryId ?? ""),
            new("pic_path", mainPicture ?? ""),
            new("outer_id", listing.Sku),
        };
        arguments.AddRange(OfferArguments(listing, skus));
        arguments.AddRange(PropertyArguments(listing.Attributes));
        return arguments;
    }

    /// <summary>
    /// num and price (yuan), and the sku_* arrays of a listing with variants (comma-separated, in order) with the
    /// seller's names for the values they took. The aliases go with every update so the buyer never sees Taobao's
    /// stand-in names (UNCONFIRMED: item.update keeps aliases it is not sent).
    /// </summary>
    private static List<KeyValuePair<string, string>> OfferArguments(ListingDraft listing, SkuProperties? skus)
    {
        var prices = listing.Variants.Where(v => v.PriceMinor is not null).Select(v => v.PriceMinor!.Value).ToList();
        var arguments = new List<KeyValuePair<string, string>>
        {
            new("num", Id(listing.Variants.Sum(v => (long)v.Stock))),
            // Taobao wants the item price inside the SKUs' range: the lowest.
            new("price", prices.Count > 0 ? Yuan(prices.Min()) : ""),
        };
        if (listing.Variants.Count > 1 && skus is not null)
        {
            arguments.Add(new("sku_properties", string.Join(',', skus.PerVariant)));
            arguments.Add(new("property_alias", skus.PropertyAlias));
            arguments.Add(new("sku_quantities", string.Join(',', listing.Variants.Select(v => Id(v.Stock)))));
            arguments.Add(new("sku_prices", string.Join(',', listing.Variants.Select(v => v.PriceMinor is { } p ? Yuan(p) : ""))));
            arguments.Add(new("sku_outer_ids", string.Join(',', listing.Variants.Select(v => v.Sku))));
        }

        return arguments;
    }

    /// <summary>
    /// Category properties from the seller's attribute mapping: <c>pid → vid</c> pairs become <c>props</c>
    /// ("pid:vid;pid:vid"); a pid with free text becomes <c>input_pids</c>/<c>input_str</c>; other keys are not TOP's.
    /// </summary>
    private static List<KeyValuePair<string, string>> PropertyArguments(IReadOnlyDictionary<string, string> attributes)
    {
        var props = new List<string>();
        var inputPids = new List<string>();
        var inputValues = new List<string>();
        foreach (var (key, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!IsDigits(key) || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (PropertyValuePattern().IsMatch(value))
            {
                props.Add($"{key}:{value}");
            }
            else if (!value.Contains(',', StringComparison.Ordinal))
            {
                inputPids.Add(key);
                inputValues.Add(value);
            }
        }

        return
        [
            new("props", string.Join(';', props)),
            new("input_pids", string.Join(',', inputPids)),
            new("input_str", string.Join(',', inputValues)),
        ];
    }

    /// <summary>
    /// What TOP cannot take and would refuse with a less helpful message: prices in another currency than yuan. Variant
    /// options are checked when they are mapped to sale properties.
    /// </summary>
    private static PublishResult? CheckOffers(ListingDraft listing)
    {
        var issues = new List<PlatformIssue>();
        if (listing.Variants.FirstOrDefault(v => v.PriceMinor is not null && v.Currency is { } c && !c.Equals("CNY", StringComparison.OrdinalIgnoreCase)) is { } foreign)
        {
            issues.Add(new PlatformIssue(ListingFields.Price, "currency", $"Taobao prices are in yuan (CNY); variant {foreign.Sku} is priced in {foreign.Currency}.", PlatformIssueSeverity.Error, "price"));
        }

        return issues.Count == 0 ? null : new PublishResult(PublishOutcome.Rejected, listing.ExternalId, null, null, issues);
    }

    private static PublishResult Live(long numIid, IReadOnlyList<PlatformIssue> issues) =>
        new(PublishOutcome.Live, Id(numIid), ItemUrl(numIid), null, issues);

    private static PublishResult Rejected(string? externalId, PlatformIssue issue) =>
        new(PublishOutcome.Rejected, externalId, null, null, [issue]);

    private static string ItemUrl(long numIid) => $"https://item.taobao.com/item.htm?id={Id(numIid)}";

    private static long? ParseNumIid(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex PropertyValuePattern();
}
