using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Http;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Marketplaces.Shopify;

/// <summary>
/// One connection's Admin API for one operation (external-apis.md section 7): the shop's address, its token (a static
/// Admin API token, or a client-credentials grant cached in the session), GraphQL calls that wait out Shopify's cost
/// throttle, and the byte uploads to staged targets. Every call here is safe to repeat: reads, upserts keyed by our
/// listing key, a token request and a staged upload to the same target.
/// </summary>
internal sealed partial class ShopifyAdmin
{
    public const string ShopField = "shop";
    public const string AccessTokenField = "access_token";
    public const string ClientIdField = "client_id";
    public const string ClientSecretField = "client_secret";

    /// <summary>Session keys (not form fields) of the client-credentials token and its expiry, renewed through the session.</summary>
    public const string GrantTokenKey = "grant_access_token";
    public const string GrantExpiresKey = "grant_expires_at";

    private const string Vendor = "Shopify";
    private const string DomainSuffix = ".myshopify.com";

    /// <summary>Section 7.2: client-credentials tokens live 24 h; renewed a minute early so no call carries one about to lapse.</summary>
    private static readonly TimeSpan GrantLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly HttpClient _client;
    private readonly ShopifyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MarketplaceSession _session;
    private readonly string _base;

    private ShopifyAdmin(HttpClient client, ShopifyOptions options, TimeProvider time, ILogger logger, MarketplaceSession session, string shop)
    {
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _session = session;
        Shop = shop;
        var template = options.ShopUrlTemplate.Replace("{shop}", shop, StringComparison.Ordinal);
        _base = MarketplaceHttp.BaseUri(template, $"{ShopifyOptions.Section}:ShopUrlTemplate").AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The full <c>name.myshopify.com</c> domain.</summary>
    public string Shop { get; }

    /// <summary>The shop's handle, as in <c>admin.shopify.com/store/{name}</c>.</summary>
    public string ShopName => Shop[..^DomainSuffix.Length];

    /// <summary>Client credentials win over a static token when both are entered: they can always mint a fresh token.</summary>
    private bool UsesGrant => _session[ClientIdField] is not null && _session[ClientSecretField] is not null;

    public static ShopifyAdmin Open(HttpClient client, ShopifyOptions options, TimeProvider time, ILogger logger, MarketplaceSession session)
    {
        var shop = NormalizeShop(session.Required(ShopField))
            ?? throw new ProviderException(ProviderFailure.Misconfigured, "The Shopify shop must be a myshopify.com domain (name.myshopify.com or just name).");
        session.Renew(ShopField, shop);
        if (session[AccessTokenField] is null && (session[ClientIdField] is null || session[ClientSecretField] is null))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, "The Shopify connection needs an access_token, or a client_id with its client_secret.");
        }

        return new ShopifyAdmin(client, options, time, logger, session, shop);
    }

    /// <summary><c>Name</c>, <c>name.myshopify.com</c> or <c>https://name.myshopify.com/</c> → <c>name.myshopify.com</c>; null for anything else (no other host is ever addressed).</summary>
    public static string? NormalizeShop(string value)
    {
        var shop = value.Trim().ToLowerInvariant();
        if (shop.StartsWith("https://", StringComparison.Ordinal))
        {
            shop = shop["https://".Length..];
        }

        shop = shop.TrimEnd('/');
        if (!shop.Contains('.', StringComparison.Ordinal))
        {
            shop += DomainSuffix;
        }

        return ShopPattern().IsMatch(shop) ? shop : null;
    }

    /// <summary>
    /// Runs one GraphQL operation and returns its <c>data</c>. A 401 on a granted token renews it once; THROTTLED (HTTP
    /// 200 or 429, section 7.7) waits <c>(requestedQueryCost − currentlyAvailable) / restoreRate</c> seconds on the clock
    /// and sends the same request again when that is within <see cref="MarketplaceOptions.MaxRetryAfter"/>.
    /// </summary>
    public async Task<JsonElement> GraphQlAsync(string operation, string query, JsonObject variables, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["query"] = query, ["variables"] = variables, ["operationName"] = operation }.ToJsonString());
        var uri = new Uri($"{_base}/admin/api/{_options.ApiVersion}/graphql.json");
        var token = await TokenAsync(renew: false, cancellationToken);
        var renewed = false;
        var waits = 0;
        while (true)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content }.AsRepeatable();
            request.Headers.TryAddWithoutValidation("X-Shopify-Access-Token", token);
            using var response = await MarketplaceHttp.SendAsync(_client, request, Vendor, operation, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Unauthorized && UsesGrant && !renewed)
            {
                // The cached grant may have been revoked or outlived its stated lifetime: one fresh token, one more try.
                renewed = true;
                token = await TokenAsync(renew: true, cancellationToken);
                continue;
            }

            if (status is 401 or 402 or 403 or 404 or 423)
            {
                throw Refused(status, operation);
            }

            if (response.StatusCode == HttpStatusCode.RequestTimeout || status >= 500)
            {
                throw new ProviderException(ProviderFailure.Transient, $"Shopify {operation}: HTTP {status}.");
            }

            var text = await ProviderHttp.ReadTextAsync(response, cancellationToken);
            var root = Parse(text);
            var throttled = response.StatusCode == HttpStatusCode.TooManyRequests || HasErrorCode(root, "THROTTLED");
            if (throttled)
            {
                var wait = (response.StatusCode == HttpStatusCode.TooManyRequests ? VendorRetry.RetryAfter(response, _time) : null)
                    ?? CostWait(root)
                    ?? _options.RetryBaseDelay;
                if (wait <= _options.MaxRetryAfter && waits < _options.MaxRetries)
                {
                    waits++;
                    _logger.LogDebug("Shopify throttled {Operation} on {Shop}; waiting {Wait}", operation, Shop, wait);
                    await Task.Delay(wait, _time, cancellationToken);
                    continue;
                }

                throw new ProviderException(ProviderFailure.RateLimited, $"Shopify {operation}: throttled (query cost bucket empty).", wait);
            }

            if (root is null)
            {
                throw new ProviderException(ProviderFailure.Transient, $"Shopify {operation} returned malformed JSON (HTTP {status}).");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ProviderException(ProviderFailure.Misconfigured, $"Shopify {operation} answered {status}: {ProviderHttp.ErrorDetail(text)}");
            }

            ThrowForErrors(root.Value, operation);
            if (!root.Value.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new ProviderException(ProviderFailure.Transient, $"Shopify {operation} answered without a data object.");
            }

            return data;
        }
    }

    /// <summary>A mutation's payload object in <c>data</c>; a missing one is a broken answer, tried again later.</summary>
    public static JsonElement Payload(JsonElement data, string mutation) =>
        data.TryGetProperty(mutation, out var payload) && payload.ValueKind == JsonValueKind.Object
            ? payload
            : throw new ProviderException(ProviderFailure.Transient, $"Shopify answered without a {mutation} object.");

    /// <summary>
    /// Section 7.4 step 2: a multipart POST of every target parameter, in order, then the bytes as <c>file</c>. The
    /// target is another host (cloud storage): no Shopify token goes there. Returns null when stored, else the
    /// storage's refusal of the file itself (too large, wrong type), which is about the listing's image.
    /// </summary>
    public async Task<string?> UploadAsync(string? url, IReadOnlyList<KeyValuePair<string, string>> parameters, byte[] bytes, string fileName, string contentType, CancellationToken cancellationToken)
    {
        var target = ProviderHttp.VendorUrl(url, Vendor, "staged upload url");
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in parameters)
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = form }.AsRepeatable();
        using var response = await MarketplaceHttp.SendAsync(_client, request, Vendor, "staged upload", cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, "staged upload", _time);
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // A signed policy that expired before the bytes arrived: a new publish stages new targets.
            throw new ProviderException(ProviderFailure.Transient, $"Shopify's staged upload target refused the upload ({status}).");
        }

        var text = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        return $"{status}: {ProviderHttp.Truncate(text.Trim())}";
    }

    /// <summary>The granted token from the session while it has more than a minute left, else a new one (section 7.2).</summary>
    private async Task<string> TokenAsync(bool renew, CancellationToken cancellationToken)
    {
        if (!UsesGrant)
        {
            return _session.Required(AccessTokenField);
        }

        if (!renew && _session[GrantTokenKey] is { } cached
            && DateTimeOffset.TryParse(_session[GrantExpiresKey], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            && _time.GetUtcNow() < expires - RenewBefore)
        {
            return cached;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_base}/admin/oauth/access_token"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new(ClientIdField, _session.Required(ClientIdField)),
                new(ClientSecretField, _session.Required(ClientSecretField)),
            ]),
        }.AsRepeatable();
        using var response = await MarketplaceHttp.SendAsync(_client, request, Vendor, "token request", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, "token request", _time);
            // UNCONFIRMED: the status of a refused grant (400 or 401 with {"error":"invalid_client"}); any 4xx is a refusal.
            var text = await ProviderHttp.ReadTextAsync(response, cancellationToken);
            throw new ProviderException(
                ProviderFailure.Misconfigured,
                $"Shopify refused the client credentials ({(int)response.StatusCode}: {ProviderHttp.ErrorDetail(text)}): check client_id, client_secret and that the app is installed on {Shop}.");
        }

        var json = await MarketplaceHttp.ReadJsonAsync(response, Vendor, "token request", cancellationToken);
        var token = json.GetString("access_token");
        if (string.IsNullOrEmpty(token))
        {
            throw new ProviderException(ProviderFailure.Transient, "Shopify token request answered without an access_token.");
        }

        // expires_in is documented as about 86399 s; a missing one is taken as the documented 24 h.
        var lifetime = json.GetInt64("expires_in") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : GrantLifetime;
        _session.Renew(GrantTokenKey, token);
        _session.Renew(GrantExpiresKey, (_time.GetUtcNow() + lifetime).ToString("O", CultureInfo.InvariantCulture));
        _logger.LogInformation("Shopify granted a token for {Shop}, valid for {Lifetime}", Shop, lifetime);
        return token;
    }

    private ProviderException Refused(int status, string operation) => new(
        ProviderFailure.Misconfigured,
        status switch
        {
            401 => $"Shopify refused the access token on {operation} (401): check access_token, or client_id and client_secret.",
            402 => $"Shopify {operation}: the shop {Shop} is frozen or unpaid (402).",
            403 => $"Shopify {operation}: the app lacks a scope (403); it needs read_products, write_products, read_files, write_files, read_locations and write_inventory.",
            404 => $"Shopify {operation}: no shop {Shop} or no API version {_options.ApiVersion} (404).",
            _ => $"Shopify {operation}: the shop {Shop} is locked ({status}).",
        });

    /// <summary>Top-level <c>errors</c> that are not throttling (section 7.7): a permission, a query Shopify cannot run.</summary>
    private static void ThrowForErrors(JsonElement root, string operation)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
        {
            return;
        }

        var first = errors[0];
        var message = ProviderHttp.Truncate(first.GetString("message") ?? "no message");
        var code = first.TryGetProperty("extensions", out var extensions) ? extensions.GetString("code") : null;
        throw code switch
        {
            "ACCESS_DENIED" => new ProviderException(ProviderFailure.Misconfigured, $"Shopify denied {operation} (ACCESS_DENIED): {message}"),
            "INTERNAL_SERVER_ERROR" => new ProviderException(ProviderFailure.Transient, $"Shopify {operation} failed inside Shopify: {message}"),
            // MAX_COST_EXCEEDED, a field this API version lacks: the request itself must change.
            _ => new ProviderException(ProviderFailure.Misconfigured, $"Shopify {operation} failed ({code ?? "no code"}): {message}"),
        };
    }

    private static bool HasErrorCode(JsonElement? root, string code) =>
        root is { } value
        && value.TryGetProperty("errors", out var errors)
        && errors.ValueKind == JsonValueKind.Array
        && errors.EnumerateArray().Any(error => error.TryGetProperty("extensions", out var extensions) && extensions.GetString("code") == code);

    /// <summary>Section 7.7: <c>(requestedQueryCost − currentlyAvailable) / restoreRate</c> seconds; null without a usable cost.</summary>
    internal static TimeSpan? CostWait(JsonElement? root)
    {
        if (root is not { } value
            || !value.TryGetProperty("extensions", out var extensions)
            || !extensions.TryGetProperty("cost", out var cost)
            || !cost.TryGetProperty("throttleStatus", out var bucket)
            || !TryNumber(cost, "requestedQueryCost", out var requested)
            || !TryNumber(bucket, "currentlyAvailable", out var available)
            || !TryNumber(bucket, "restoreRate", out var rate)
            || rate <= 0)
        {
            return null;
        }

        var seconds = Math.Max(0, (requested - available) / rate);
        return TimeSpan.FromMilliseconds(Math.Ceiling(seconds * 1000));
    }

    private static bool TryNumber(JsonElement element, string name, out double number)
    {
        number = 0;
        return element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number);
    }

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.myshopify\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex ShopPattern();
}
