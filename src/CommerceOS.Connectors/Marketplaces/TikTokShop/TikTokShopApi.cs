using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

/// <summary>The session keys of a TikTok Shop connection: what the seller enters, then what we renew.</summary>
internal static class TikTokShopKeys
{
    public const string AppKey = "app_key";
    public const string AppSecret = "app_secret";
    public const string AuthCode = "auth_code";
    public const string RefreshToken = "refresh_token";
    public const string WarehouseId = "warehouse_id";
    public const string AccessToken = "access_token";
    public const string AccessTokenExpiresAt = "access_token_expires_at";
    public const string ShopCipher = "shop_cipher";
}

/// <summary>
/// Envelope codes we act on. UNCONFIRMED: section 9.3 documents no code table; these values are our choice (the fake
/// answers with the same ones), and messages are matched too where a code is unknown.
/// </summary>
internal static class TikTokShopCodes
{
    public const long InvalidSignature = 106001;
    public const long TimestampOutOfWindow = 106002;
    public const long AccessTokenInvalid = 105001;
    public const long AccessTokenExpired = 105002;
    public const long TooManyRequests = 36009003;
    public const long ProductNotFound = 12052048;

    public static bool IsTokenRejected(long code) => code is AccessTokenInvalid or AccessTokenExpired;
}

/// <summary>One Shop API call. <see cref="Json"/> is signed and sent as is; a multipart body is built anew per attempt and never signed.</summary>
internal sealed record TikTokCall(HttpMethod Method, string Path, string What)
{
    public string? Json { get; init; }

    public Func<HttpContent>? Multipart { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    /// <summary>Carries <c>shop_cipher</c> (every product call; not the shop list itself).</summary>
    public bool ShopScoped { get; init; } = true;

    /// <summary>A POST that is safe to repeat after a 5xx or a timeout (searches, absolute price/stock sets, deactivation).</summary>
    public bool Repeatable { get; init; }
}

/// <summary>The envelope <c>{code, message, request_id, data}</c> of an answer; <see cref="Code"/> 0 is success.</summary>
internal readonly record struct TikTokReply(long Code, string Message, JsonElement Data, HttpStatusCode Status)
{
    public bool Ok => Code == 0;
}

/// <summary>
/// The signed transport of one operation on one connection: tokens (get, refresh, cached in the session until a minute
/// before expiry, refreshed once more after an expired-token answer), the shop cipher, signing (section 9.4) and the
/// envelope. Failures that are not about the listing become <see cref="ProviderException"/>s here; the listing's own
/// errors come back as a non-zero <see cref="TikTokReply.Code"/> for the publisher to map to fields.
/// </summary>
internal sealed class TikTokShopApi(HttpClient client, TikTokShopOptions options, TimeProvider time, ILogger logger, MarketplaceSession session)
{
    public const string Vendor = "TikTok Shop";

    /// <summary>The transport of one operation, on the adapter's named client (shared by the publisher and the category source).</summary>
    public static TikTokShopApi Open(IHttpClientFactory httpClientFactory, TikTokShopOptions options, TimeProvider time, ILogger logger, MarketplaceSession session) =>
        new(httpClientFactory.CreateClient(TikTokShopPublisher.ClientName), options, time, logger, session);

    /// <summary>A token that lapses within this margin is renewed before the call rather than refused during it.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    /// <summary>Sends a signed call; an expired or invalid token is renewed once and the call sent once more.</summary>
    public async Task<TikTokReply> SendAsync(TikTokCall call, CancellationToken cancellationToken)
    {
        var token = await AccessTokenAsync(cancellationToken);
        var cipher = call.ShopScoped ? await ShopCipherAsync(cancellationToken) : null;
        var reply = await SendOnceAsync(call, token, cipher, cancellationToken);
        if (TikTokShopCodes.IsTokenRejected(reply.Code))
        {
            logger.LogInformation("TikTok Shop refused the access token on {What} (code {Code}); renewing it once", call.What, reply.Code);
            token = await RenewTokensAsync(preferAuthCode: false, cancellationToken);
            reply = await SendOnceAsync(call, token, cipher, cancellationToken);
            if (TikTokShopCodes.IsTokenRejected(reply.Code))
            {
                throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} {call.What}: a freshly renewed access token was refused (code {reply.Code}): {Detail(reply)}");
            }
        }

        return reply;
    }

    /// <summary>The data of a successful call; any other code means the connection (not the listing) is wrong.</summary>
    public async Task<JsonElement> ReadAsync(TikTokCall call, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(call, cancellationToken);
        return reply.Ok ? reply.Data : throw Refused(call.What, reply);
    }

    /// <summary>A read refused with a code we do not know: 5xx never gets here, so it is the connection (scope, shop), not a passing fault.</summary>
    public static ProviderException Refused(string what, TikTokReply reply) =>
        new(ProviderFailure.Misconfigured, $"{Vendor} {what} failed with code {reply.Code}: {Detail(reply)}");

    /// <summary>
    /// Gets tokens: by the auth code when there is one and <paramref name="preferAuthCode"/> (the seller just entered it),
    /// else by the refresh token. Writes the access token, its expiry and a rotated refresh token to the session; an auth
    /// code is single-use, so it is cleared once exchanged.
    /// </summary>
    public async Task<string> RenewTokensAsync(bool preferAuthCode, CancellationToken cancellationToken)
    {
        var authCode = session[TikTokShopKeys.AuthCode];
        var refreshToken = session[TikTokShopKeys.RefreshToken];
        var exchange = authCode is not null && (preferAuthCode || refreshToken is null);
        if (!exchange && refreshToken is null)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"The {Vendor} connection has neither an {TikTokShopKeys.AuthCode} nor a {TikTokShopKeys.RefreshToken}: authorize the app again.");
        }

        var appKey = session.Required(TikTokShopKeys.AppKey);
        var appSecret = session.Required(TikTokShopKeys.AppSecret);
        // UNCONFIRMED: section 9.2 says some clients POST these fields as JSON; GET is the documented form. The query
        // carries the app secret, which .NET's HttpClient logging redacts (query strings are not logged by default).
        var path = exchange ? "/api/v2/token/get" : "/api/v2/token/refresh";
        var query = exchange
            ? $"app_key={Escape(appKey)}&app_secret={Escape(appSecret)}&auth_code={Escape(authCode!)}&grant_type=authorized_code"
            : $"app_key={Escape(appKey)}&app_secret={Escape(appSecret)}&refresh_token={Escape(refreshToken!)}&grant_type=refresh_token";
        var what = exchange ? "token exchange" : "token refresh";
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint(options.AuthBaseUrl, "AuthBaseUrl", path, query));
        var reply = await ReceiveAsync(request, what, cancellationToken);
        if (!reply.Ok)
        {
            // A spent auth code or an expired refresh token: only the seller can authorize again.
            throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} {what} was refused with code {reply.Code}: {Detail(reply)}. Authorize the app again.");
        }

        var accessToken = reply.Data.GetString("access_token");
        var expiresAt = reply.Data.GetInt64("access_token_expire_in");
        if (string.IsNullOrEmpty(accessToken) || expiresAt is null)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} {what} answered without access_token and access_token_expire_in.");
        }

        session.Renew(TikTokShopKeys.AccessToken, accessToken);
        session.Renew(TikTokShopKeys.AccessTokenExpiresAt, expiresAt.Value.ToString(CultureInfo.InvariantCulture));
        if (reply.Data.GetString("refresh_token") is { Length: > 0 } rotated)
        {
            session.Renew(TikTokShopKeys.RefreshToken, rotated);
        }

        if (exchange)
        {
            session.Renew(TikTokShopKeys.AuthCode, "");
        }

        logger.LogInformation("TikTok Shop {What} succeeded; the access token expires at {ExpiresAt}", what, expiresAt);
        return accessToken;
    }

    /// <summary>
    /// <c>GET /authorization/202309/shops</c>: the first authorized shop's cipher (kept in the session for shop-scoped
    /// calls) and name. UNCONFIRMED: an app authorized for several shops uses the first one listed.
    /// </summary>
    public async Task<(string Cipher, string Name)> LoadShopAsync(CancellationToken cancellationToken)
    {
        var data = await ReadAsync(new TikTokCall(HttpMethod.Get, "/authorization/202309/shops", "shop list") { ShopScoped = false }, cancellationToken);
        var shop = data.TryGetProperty("shops", out var shops) && shops.ValueKind == JsonValueKind.Array && shops.GetArrayLength() > 0 ? shops[0] : default;
        var cipher = shop.GetString("cipher");
        if (string.IsNullOrEmpty(cipher))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} lists no shop authorized for this app.");
        }

        session.Renew(TikTokShopKeys.ShopCipher, cipher);
        return (cipher, shop.GetString("name") ?? shop.GetString("code") ?? shop.GetString("id") ?? cipher);
    }

    private async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var token = session[TikTokShopKeys.AccessToken];
        var expiresAt = long.TryParse(session[TikTokShopKeys.AccessTokenExpiresAt], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        return token is not null && time.GetUtcNow() < expiresAt - RenewBefore ? token : await RenewTokensAsync(preferAuthCode: false, cancellationToken);
    }

    private async Task<string> ShopCipherAsync(CancellationToken cancellationToken) =>
        session[TikTokShopKeys.ShopCipher] ?? (await LoadShopAsync(cancellationToken)).Cipher;

    private async Task<TikTokReply> SendOnceAsync(TikTokCall call, string accessToken, string? cipher, CancellationToken cancellationToken)
    {
        var appSecret = session.Required(TikTokShopKeys.AppSecret);
        List<KeyValuePair<string, string>> query =
        [
            new("app_key", session.Required(TikTokShopKeys.AppKey)),
            new("timestamp", time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ];
        if (cipher is not null)
        {
            query.Add(new("shop_cipher", cipher));
        }

        query.AddRange(call.Query);
        query.Add(new("sign", TikTokShopSignature.Compute(call.Path, query, call.Json, appSecret)));
        using var request = new HttpRequestMessage(call.Method, Endpoint(options.ApiBaseUrl, "ApiBaseUrl", call.Path, string.Join('&', query.Select(p => $"{Escape(p.Key)}={Escape(p.Value)}"))));
        request.Headers.TryAddWithoutValidation("x-tts-access-token", accessToken);
        // The signed text and the sent bytes are the same string (section 0.1): never re-serialized on the way out.
        request.Content = call.Json is not null ? new StringContent(call.Json, Encoding.UTF8, "application/json") : call.Multipart?.Invoke();
        if (call.Repeatable)
        {
            request.AsRepeatable();
        }

        var reply = await ReceiveAsync(request, call.What, cancellationToken);
        switch (reply.Code)
        {
            case TikTokShopCodes.InvalidSignature:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} {call.What}: the signature was refused (code {reply.Code}); check the {TikTokShopKeys.AppSecret}. {Detail(reply)}");
            case TikTokShopCodes.TimestampOutOfWindow:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} {call.What}: the timestamp was refused (code {reply.Code}); check the server clock. {Detail(reply)}");
            case TikTokShopCodes.TooManyRequests:
                throw new ProviderException(ProviderFailure.RateLimited, $"{Vendor} {call.What}: rate limited (code {reply.Code}).", TimeSpan.FromSeconds(1));
        }

        if (reply.Code != 0)
        {
            logger.LogWarning("TikTok Shop {What} answered code {Code} (HTTP {Status})", call.What, reply.Code, (int)reply.Status);
        }

        return reply;
    }

    /// <summary>Sends through the pipeline and opens the envelope; statuses without a usable envelope are mapped by <see cref="MarketplaceHttp.ThrowForTransport"/>.</summary>
    private async Task<TikTokReply> ReceiveAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using var response = await MarketplaceHttp.SendAsync(client, request, Vendor, what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, what, time);
        }

        JsonElement envelope;
        try
        {
            envelope = await MarketplaceHttp.ReadJsonAsync(response, Vendor, what, cancellationToken);
        }
        catch (ProviderException) when (!response.IsSuccessStatusCode)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, what, time);
            throw;
        }

        if (envelope.GetInt64("code") is not { } code)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, what, time);
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} {what} answered without an envelope code (HTTP {(int)response.StatusCode}).");
        }

        if (code == 0 && !response.IsSuccessStatusCode)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, what, time);
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} {what} answered HTTP {(int)response.StatusCode} with code 0.");
        }

        var data = envelope.TryGetProperty("data", out var value) ? value : default;
        return new TikTokReply(code, envelope.GetString("message") ?? "", data, response.StatusCode);
    }

    private static Uri Endpoint(string baseUrl, string setting, string path, string query) =>
        new($"{MarketplaceHttp.BaseUri(baseUrl, $"{TikTokShopOptions.Section}:{setting}").AbsoluteUri.TrimEnd('/')}{path}?{query}");

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Detail(TikTokReply reply) => ProviderHttp.Truncate(reply.Message.Length > 0 ? reply.Message : "no message");
}
