using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Marketplaces.Shopee;

/// <summary>
/// An error Shopee gave about the request's content (<c>error_param</c>, <c>error_busi</c>, <c>product.*</c>, ...): about
/// the listing, so the publisher reports it instead of throwing.
/// </summary>
internal sealed record ShopeeError(string Error, string? Message)
{
    /// <summary>UNCONFIRMED: how Shopee says an item id is unknown or deleted.</summary>
    public bool ItemGone => Gone(Error) || Gone(Message);

    /// <summary>About the item itself ("item not found", <c>error_item_not_found</c>), not an image or a category that is missing.</summary>
    public static bool Gone(string? text) =>
        text is not null && text.Contains("item", StringComparison.OrdinalIgnoreCase)
        && (text.Contains("not_found", StringComparison.OrdinalIgnoreCase) || text.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || text.Contains("not exist", StringComparison.OrdinalIgnoreCase) || text.Contains("deleted", StringComparison.OrdinalIgnoreCase));

    public PlatformIssue ToIssue(PlatformIssueSeverity severity = PlatformIssueSeverity.Error)
    {
        var (field, attribute) = FieldOf(Message ?? Error);
        return new PlatformIssue(field, Error, Message ?? Error, severity, attribute);
    }

    /// <summary>Shopee names the offending field in its message ("item_name length should be ..."); most specific first.</summary>
    public static (string Field, string? Attribute) FieldOf(string text)
    {
        foreach (var (word, field) in Keywords)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return (field, word.Contains('_', StringComparison.Ordinal) ? word : null);
            }
        }

        return (ListingFields.Listing, null);
    }

    private static readonly (string Word, string Field)[] Keywords =
    [
        ("item_sku", ListingFields.Sku), ("model_sku", ListingFields.Variants), ("tier_variation", ListingFields.Variants),
        ("item_name", ListingFields.Title), ("original_price", ListingFields.Price), ("seller_stock", ListingFields.Stock),
        ("category_id", ListingFields.Category), ("image_id", ListingFields.Images), ("attribute_list", ListingFields.Attributes),
        ("brand", ListingFields.Brand), ("description", ListingFields.Description), ("weight", ListingFields.Weight),
        ("dimension", ListingFields.Weight), ("category", ListingFields.Category), ("image", ListingFields.Images),
        ("attribute", ListingFields.Attributes), ("variation", ListingFields.Variants), ("model", ListingFields.Variants),
        ("price", ListingFields.Price), ("stock", ListingFields.Stock), ("title", ListingFields.Title), ("name", ListingFields.Title),
    ];
}

/// <summary>
/// Shopee Open Platform v2 for one connection (external-apis.md §11): the shop's tokens (exchanged from the auth code,
/// refreshed a minute before they lapse and once more after Shopee refuses one, written back to the session with the
/// rotated refresh token), signed calls and the envelope <c>{request_id, error, message, warning, response}</c>.
/// </summary>
internal sealed class ShopeeApi(HttpClient client, ShopeeOptions options, TimeProvider timeProvider, ILogger logger, MarketplaceSession session)
{
    public const string Vendor = "Shopee";
    public const string AccessTokenKey = "access_token";
    public const string ExpiresAtKey = "access_token_expires_at";
    public const string RefreshTokenKey = "refresh_token";
    public const string AuthCodeKey = "auth_code";

    /// <summary>The shop's API for one operation, on the adapter's named client (shared by the publisher and the category source).</summary>
    public static ShopeeApi Open(IHttpClientFactory httpClientFactory, ShopeeOptions options, TimeProvider timeProvider, ILogger logger, MarketplaceSession session) =>
        new(httpClientFactory.CreateClient(ShopeePublisher.ClientName), options, timeProvider, logger, session);

    private readonly long _partnerId = Digits(session, "partner_id");
    private readonly long _shopId = Digits(session, "shop_id");
    private readonly string _partnerKey = session.Required("partner_key");

    public long ShopId => _shopId;

    /// <summary>A shop API call: the envelope, or the business error it carried.</summary>
    /// <param name="body">Built for each attempt: a refused token means the call goes again with a new one.</param>
    /// <param name="repeatable">A read, or a write by item id that lands the same however often it runs.</param>
    public async Task<(JsonElement Envelope, ShopeeError? Error)> CallAsync(
        HttpMethod method,
        string path,
        IEnumerable<KeyValuePair<string, string>>? query,
        Func<HttpContent>? body,
        bool repeatable,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await AccessTokenAsync(force: attempt > 0, cancellationToken);
            var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
            var sign = ShopeeSignature.Sign(_partnerKey, ShopeeSignature.ShopBase(_partnerId, path, timestamp, token, _shopId));
            var parameters = new List<KeyValuePair<string, string>>
            {
                new("partner_id", Text(_partnerId)), new("timestamp", Text(timestamp)), new("access_token", token), new("shop_id", Text(_shopId)), new("sign", sign),
            };
            parameters.AddRange(query ?? []);
            var (envelope, error) = await SendAsync(method, path, parameters, body, repeatable, cancellationToken);
            if (error is not null && IsTokenRefused(error) && attempt == 0)
            {
                logger.LogInformation("Shopee refused the access token on {Path}; refreshing once", path);
                continue;
            }

            return (envelope, error is null ? null : Classify(error, path, tokenRefused: IsTokenRefused(error)));
        }
    }

    /// <summary>
    /// The cached access token while it has more than <see cref="ShopeeOptions.RenewBefore"/> left; else a new one from
    /// a pending auth code (the seller just connected, so it wins) or from the refresh token.
    /// </summary>
    public async Task<string> AccessTokenAsync(bool force, CancellationToken cancellationToken)
    {
        if (session[AuthCodeKey] is { } code)
        {
            var exchanged = await TokenAsync("/api/v2/auth/token/get", new JsonObject { ["code"] = code, ["shop_id"] = _shopId, ["partner_id"] = _partnerId }, cancellationToken);
            session.Renew(AuthCodeKey, ""); // an auth code is good for one exchange
            return exchanged;
        }

        if (!force && session[AccessTokenKey] is { } token
            && long.TryParse(session[ExpiresAtKey], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            && timeProvider.GetUtcNow() < DateTimeOffset.FromUnixTimeSeconds(expiresAt) - options.RenewBefore)
        {
            return token;
        }

        var refresh = session[RefreshTokenKey]
            ?? throw new ProviderException(ProviderFailure.Misconfigured, "The Shopee connection has neither an auth_code nor a refresh_token: authorise the shop again.");
        return await TokenAsync("/api/v2/auth/access_token/get", new JsonObject { ["refresh_token"] = refresh, ["shop_id"] = _shopId, ["partner_id"] = _partnerId }, cancellationToken);
    }

    /// <summary>§11.4 steps 2 and 3: public signing, tokens at the top level of the answer (no <c>response</c>).</summary>
    private async Task<string> TokenAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var sign = ShopeeSignature.Sign(_partnerKey, ShopeeSignature.PublicBase(_partnerId, path, timestamp));
        var json = body.ToJsonString();
        // Not repeatable: a code is single-use and a refresh token rotates, so a lost answer cannot be asked again.
        var (answer, error) = await SendAsync(
            HttpMethod.Post,
            path,
            [new("partner_id", Text(_partnerId)), new("timestamp", Text(timestamp)), new("sign", sign)],
            () => ProviderHttp.JsonBody(json),
            repeatable: false,
            cancellationToken);
        if (error is not null)
        {
            Classify(error, path, tokenRefused: false); // a bad signature, the clock, a server error: said as such
            throw new ProviderException(ProviderFailure.Misconfigured, $"Shopee refused the token request ({error.Error}: {error.Message}); authorise the shop again.");
        }

        var access = answer.GetString("access_token");
        var refresh = answer.GetString("refresh_token");
        var expiresIn = answer.GetInt64("expire_in");
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(refresh) || expiresIn is null)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Shopee {path} answered without access_token, refresh_token and expire_in.");
        }

        session.Renew(AccessTokenKey, access);
        session.Renew(RefreshTokenKey, refresh); // rotated: the old one is spent
        session.Renew(ExpiresAtKey, Text((timeProvider.GetUtcNow() + TimeSpan.FromSeconds(expiresIn.Value)).ToUnixTimeSeconds()));
        logger.LogInformation("Shopee tokens renewed for shop {ShopId} ({Path})", _shopId, path);
        return access;
    }

    private async Task<(JsonElement Envelope, ShopeeError? Error)> SendAsync(
        HttpMethod method,
        string path,
        List<KeyValuePair<string, string>> query,
        Func<HttpContent>? body,
        bool repeatable,
        CancellationToken cancellationToken)
    {
        var baseUri = MarketplaceHttp.BaseUri(options.BaseUrl, $"{ShopeeOptions.Section}:BaseUrl");
        var uri = new Uri($"{baseUri.GetLeftPart(UriPartial.Authority)}{path}?{string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"))}");
        using var request = new HttpRequestMessage(method, uri) { Content = body?.Invoke() };
        if (repeatable)
        {
            request.AsRepeatable();
        }

        using var response = await MarketplaceHttp.SendAsync(client, request, Vendor, path, cancellationToken);
        logger.LogDebug("Shopee {Path} answered {Status}", path, (int)response.StatusCode);
        var text = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        JsonElement envelope = default;
        try
        {
            using var document = JsonDocument.Parse(text);
            envelope = document.RootElement.Clone();
        }
        catch (JsonException ex) when (response.IsSuccessStatusCode)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Shopee {path} returned malformed JSON.", inner: ex);
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: only the status says something.
        }

        // The error string first: Shopee answers a refused token with 403 and error_auth, which is worth one refresh.
        if (envelope.ValueKind == JsonValueKind.Object && envelope.GetString("error") is { Length: > 0 } error)
        {
            logger.LogInformation("Shopee {Path} refused: {Error} (HTTP {Status}, request {RequestId})", path, error, (int)response.StatusCode, envelope.GetString("request_id"));
            if (error.Contains("too_many", StringComparison.OrdinalIgnoreCase) || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // UNCONFIRMED rate-limit string (error_too_many_request).
                throw new ProviderException(ProviderFailure.RateLimited, $"Shopee {path}: {error}.", ProviderHttp.RetryAfter(response, timeProvider));
            }

            return (envelope, new ShopeeError(error, envelope.GetString("message")));
        }

        if (!response.IsSuccessStatusCode)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, path, timeProvider);
            throw new ProviderException(ProviderFailure.Transient, $"Shopee {path}: HTTP {(int)response.StatusCode}.");
        }

        if (envelope.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Shopee {path} answered JSON that is not an object.");
        }

        return (envelope, null);
    }

    /// <summary>UNCONFIRMED strings: error_auth, invalid_access_token (and Shopee's own misspelling), "Invalid access_token".</summary>
    private static bool IsTokenRefused(ShopeeError error) =>
        error.Error is "error_auth" or "invalid_access_token" or "invalid_acceess_token" or "error_token"
        || (error.Message?.Contains("access_token", StringComparison.OrdinalIgnoreCase) == true
            && (error.Message.Contains("invalid", StringComparison.OrdinalIgnoreCase) || error.Message.Contains("expire", StringComparison.OrdinalIgnoreCase)));

    /// <summary>§11.5 (error list UNCONFIRMED): throws what is not about the listing, returns what is.</summary>
    private static ShopeeError Classify(ShopeeError error, string path, bool tokenRefused)
    {
        var detail = $"Shopee {path} failed with {error.Error}: {ProviderHttp.Truncate(error.Message ?? "no message")}";
        if (tokenRefused)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. The shop's authorisation is no longer valid: authorise it again.");
        }

        if (error.Error == "error_sign")
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. Shopee refused the signature: check partner_id and partner_key.");
        }

        if (error.Message?.Contains("timestamp", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. Shopee refused the timestamp: check the server clock.");
        }

        if (error.Error is "error_permission" or "error_shop" or "error_partner" or "error_not_authorized")
        {
            throw new ProviderException(ProviderFailure.Misconfigured, detail);
        }

        if (error.Error is "error_server" or "error_inner" or "error_system" or "error_network" || error.Error.EndsWith("error_server", StringComparison.Ordinal))
        {
            throw new ProviderException(ProviderFailure.Transient, detail);
        }

        return error;
    }

    private static long Digits(MarketplaceSession session, string name) =>
        long.TryParse(session.Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ProviderException(ProviderFailure.Misconfigured, $"The Shopee {name} must be digits.");

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
