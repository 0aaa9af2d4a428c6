using System.Globalization;
using System.Net;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Marketplaces.Amazon;

/// <summary>
/// One connection's view of SP-API for one operation: the region's host, the LWA access token (cached in the session,
/// renewed a minute before its hour is up and once more when Amazon refuses it), and sending with the headers §8.2 asks
/// for. SigV4 is not sent: Amazon stopped requiring it on 2023-10-02 (§8.2).
/// </summary>
internal sealed class AmazonSpApi
{
    public const string AccessTokenKey = "access_token";
    public const string AccessTokenExpiresKey = "access_token_expires";
    internal const string Vendor = "Amazon";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    /// <summary>§8.2: LWA access tokens live an hour; used when the answer leaves out <c>expires_in</c>.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly HttpClient _client;
    private readonly AmazonOptions _options;
    private readonly TimeProvider _time;
    private readonly MarketplaceSession _session;
    private readonly string _baseUrl;

    /// <summary>A token minted during this operation is not renewed again when Amazon refuses it: the refusal is real.</summary>
    private bool _minted;

    public AmazonSpApi(HttpClient client, AmazonOptions options, TimeProvider time, MarketplaceSession session)
    {
        _client = client;
        _options = options;
        _time = time;
        _session = session;
        SellerId = session.Required(AmazonPublisher.SellerIdField);
        MarketplaceId = session[AmazonPublisher.MarketplaceIdField] ?? Core.Exports.AmazonListingJson.DefaultMarketplaceId;
        var (url, setting) = (session[AmazonPublisher.RegionField] ?? "na").ToLowerInvariant() switch
        {
            "na" => (options.NaBaseUrl, nameof(AmazonOptions.NaBaseUrl)),
            "eu" => (options.EuBaseUrl, nameof(AmazonOptions.EuBaseUrl)),
            "fe" => (options.FeBaseUrl, nameof(AmazonOptions.FeBaseUrl)),
            _ => throw new ProviderException(ProviderFailure.Misconfigured, "The Amazon region must be na, eu or fe."),
        };
        _baseUrl = MarketplaceHttp.BaseUri(url, $"{AmazonOptions.Section}:{setting}").AbsoluteUri.TrimEnd('/');
    }

    public string SellerId { get; }

    public string MarketplaceId { get; }

    /// <summary>
    /// The cached access token while it has more than a minute left, else a new one from LWA (written back to the
    /// session, with a rotated refresh token if LWA sent one).
    /// </summary>
    public async Task<string> AccessTokenAsync(bool renew, CancellationToken cancellationToken)
    {
        if (!renew && _session[AccessTokenKey] is { } cached && _session[AccessTokenExpiresKey] is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            && _time.GetUtcNow() < expires - RenewBefore)
        {
            return cached;
        }

        var form = new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", _session.Required(AmazonPublisher.RefreshTokenField)),
            new("client_id", _session.Required(AmazonPublisher.ClientIdField)),
            new("client_secret", _session.Required(AmazonPublisher.ClientSecretField)),
        ]);
        // Exchanging the same refresh token twice is harmless, so a 5xx or a timeout may go again.
        using var request = new HttpRequestMessage(HttpMethod.Post, MarketplaceHttp.BaseUri(_options.LwaTokenUrl, $"{AmazonOptions.Section}:{nameof(AmazonOptions.LwaTokenUrl)}")) { Content = form }.AsRepeatable();
        using var response = await MarketplaceHttp.SendAsync(_client, request, Vendor, "token exchange", cancellationToken);
        // UNCONFIRMED: §8.2 documents 400; OAuth servers commonly answer invalid_client with 401, read the same way.
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            // §8.2: 400 {error: invalid_grant | invalid_client | ...}: the seller's credentials, never worth a retry.
            var refusal = await ReadLooseAsync(response, cancellationToken);
            var error = refusal.GetString("error") ?? $"HTTP {(int)response.StatusCode}";
            throw new ProviderException(
                ProviderFailure.Misconfigured,
                $"Login with Amazon refused the credentials ({error}): {ProviderHttp.Truncate(refusal.GetString("error_description") ?? "no description")}. Check lwa_client_id, lwa_client_secret and refresh_token.");
        }

        MarketplaceHttp.ThrowForTransport(response, Vendor, "token exchange", _time);
        if (!response.IsSuccessStatusCode)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Login with Amazon answered {(int)response.StatusCode} to the token exchange: check {AmazonOptions.Section}:{nameof(AmazonOptions.LwaTokenUrl)}.");
        }

        var body = await MarketplaceHttp.ReadJsonAsync(response, Vendor, "token exchange", cancellationToken);
        var token = body.GetString("access_token");
        if (string.IsNullOrEmpty(token))
        {
            throw new ProviderException(ProviderFailure.Transient, "Login with Amazon answered without an access_token.");
        }

        var lifetime = body.GetInt64("expires_in") is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
        _minted = true;
        _session.Renew(AccessTokenKey, token);
        _session.Renew(AccessTokenExpiresKey, (_time.GetUtcNow() + lifetime).ToString("O", CultureInfo.InvariantCulture));
        // UNCONFIRMED: LWA echoes the refresh token (§8.2 example); should it ever rotate, the new one is kept.
        if (body.GetString("refresh_token") is { Length: > 0 } rotated)
        {
            _session.Renew(AmazonPublisher.RefreshTokenField, rotated);
        }

        return token;
    }

    /// <summary>
    /// Sends one SP-API call metered by the seller's token bucket. 401/403 on a cached token renews it once and sends
    /// again (it may have been revoked or expired early); 429, 5xx and a refusal of a new token throw. Any other status comes
    /// back with its body (a submission response, an <c>ErrorList</c>) for the operation to read.
    /// </summary>
    /// <param name="repeatable">A PATCH that replaces values is safe to send twice; PUT, GET and DELETE always are.</param>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(
        HttpMethod method, string pathAndQuery, string? json, string what, CancellationToken cancellationToken, bool repeatable = false)
    {
        var token = await AccessTokenAsync(renew: false, cancellationToken);
        for (var renewed = false; ; renewed = true)
        {
            using var request = new HttpRequestMessage(method, new Uri(_baseUrl + pathAndQuery));
            request.Headers.TryAddWithoutValidation("x-amz-access-token", token);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            request.Headers.Accept.ParseAdd("application/json");
            request.Options.Set(AmazonRateLimits.Seller, SellerId);
            if (json is not null)
            {
                request.Content = ProviderHttp.JsonBody(json);
            }

            if (repeatable)
            {
                request.AsRepeatable();
            }

            using var response = await MarketplaceHttp.SendAsync(_client, request, Vendor, what, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                if (!renewed && !_minted)
                {
                    token = await AccessTokenAsync(renew: true, cancellationToken);
                    continue;
                }

                var refusal = FirstError(await ReadLooseAsync(response, cancellationToken));
                throw new ProviderException(
                    ProviderFailure.Misconfigured,
                    $"Amazon {what} refused the seller's authorization ({(int)response.StatusCode}): {refusal}. Check seller_id and that the app has the Product Listing role.");
            }

            MarketplaceHttp.ThrowForTransport(response, Vendor, what, _time);
            var body = response.IsSuccessStatusCode
                ? await MarketplaceHttp.ReadJsonAsync(response, Vendor, what, cancellationToken)
                : await ReadLooseAsync(response, cancellationToken);
            return (response.StatusCode, body);
        }
    }

    /// <summary>The first entry of an <c>ErrorList</c> (§8.5) as "code: message (details)".</summary>
    public static string FirstError(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            var details = first.GetString("details") is { Length: > 0 } d ? $" ({d})" : "";
            return ProviderHttp.Truncate($"{first.GetString("code") ?? "error"}: {first.GetString("message") ?? "no message"}{details}");
        }

        return "no details";
    }

    /// <summary>An error body as JSON when it is JSON, else an empty object (a proxy's HTML page says nothing we use).</summary>
    private static async Task<JsonElement> ReadLooseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
    }
}
