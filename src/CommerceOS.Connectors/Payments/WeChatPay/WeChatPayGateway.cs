using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.WeChatPay;

/// <summary>
/// WeChat Pay API v3 (external-apis.md §13.2): one Native (QR) order per payment, keyed by our order id as
/// <c>out_trade_no</c>, and the payment notification checked against the platform key, then decrypted with the APIv3
/// key. Nothing renews by itself: each billing period is a new order.
/// </summary>
internal sealed class WeChatPayGateway(
    IHttpClientFactory httpClientFactory,
    IOptions<WeChatPayOptions> options,
    TimeProvider timeProvider,
    ILogger<WeChatPayGateway> logger) : IPaymentGateway
{
    internal const string ClientName = "CommerceOS.Billing.WeChatPay";

    private const string Vendor = "WeChat Pay";
    private const string Cny = "CNY";
    private const int MaxDescriptionChars = 127;
    private const int MaxEventIdChars = 128;
    private const int TagBytes = 16;
    private const int NonceBytes = 12;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    // Read at resolution, so a v3 key of the wrong length fails where the gateway is built, not at the first payment.
    private readonly WeChatPayOptions _settings = options.Value;

    public string Id => PaymentGateways.WeChatPay;

    public IReadOnlyList<string> Currencies { get; } = [Cny];

    public bool Recurring => false;

    public async Task<CheckoutStart> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Currency, Cny, StringComparison.Ordinal))
        {
            throw new ArgumentException($"WeChat Pay charges in CNY only, not {request.Currency}.", nameof(request));
        }

        var settings = _settings;
        var outTradeNo = request.OrderId.ToString("N");
        var body = JsonSerializer.SerializeToUtf8Bytes(new NativeOrder(
            settings.AppId!,
            settings.MchId!,
            Description(request.Description),
            outTradeNo,
            request.ExpiresAt.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            request.NotifyUrl,
            new NativeAmount(request.AmountMinor, Cny)));

        // The same out_trade_no with the same fields is answered with the same code_url (UNCONFIRMED: the vendor's
        // "repeat order" behaviour), so a 5xx or a lost answer may be retried.
        var (status, answer) = await CallAsync(HttpMethod.Post, "/v3/pay/transactions/native", body, "native order", repeatable: true, cancellationToken);
        if (status == HttpStatusCode.OK && answer.GetString("code_url") is { Length: > 0 } codeUrl)
        {
            logger.LogInformation("WeChat Pay native order {OrderId} created", request.OrderId);
            return new CheckoutStart(codeUrl, CheckoutPresentation.QrCode, outTradeNo);
        }

        var code = answer.GetString("code");
        if (code is "ORDERPAID" or "OUT_TRADE_NO_USED")
        {
            // A retry of an order that already exists: its state is the answer, not the error.
            logger.LogInformation("WeChat Pay native order {OrderId} exists ({Code}); reading it", request.OrderId, code);
            var state = await FetchAsync(new GatewayObject(null, request.OrderId), cancellationToken);
            if (state.Status == GatewayStatuses.Paid)
            {
                return new CheckoutStart(request.SuccessUrl, CheckoutPresentation.Redirect, outTradeNo);
            }

            throw new ProviderException(ProviderFailure.Rejected, $"{Vendor} native order {outTradeNo}: {code} and the order is {state.Status}; its QR code cannot be shown again.");
        }

        if (status == HttpStatusCode.OK)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} native order {outTradeNo}: the answer has no code_url.");
        }

        throw Refused(status, code, "native order");
    }

    public WebhookVerification Verify(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        try
        {
            return VerifyCore(delivery);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or CryptographicException or ArgumentException or OverflowException)
        {
            // Belt and braces: every parse below is guarded, but a hostile body must never become a 500.
            return WebhookVerification.Refuse("malformed notification");
        }
    }

    private WebhookVerification VerifyCore(WebhookDelivery delivery)
    {
        var settings = _settings;
        var body = delivery.Body.Span;
        if (WeChatPaySignature.Check(
                settings,
                Header(delivery, "Wechatpay-Timestamp"),
                Header(delivery, "Wechatpay-Nonce"),
                Header(delivery, "Wechatpay-Signature"),
                Header(delivery, "Wechatpay-Serial"),
                body,
                delivery.ReceivedAt) is { } refusal)
        {
            return WebhookVerification.Refuse(refusal);
        }

        if (!TryParse(delivery.Body, out var envelope))
        {
            return WebhookVerification.Refuse("malformed notification JSON");
        }

        using (envelope)
        {
            var root = envelope.RootElement;
            var eventId = root.GetString("id");
            var eventType = root.GetString("event_type");
            if (string.IsNullOrEmpty(eventId) || eventId.Length > MaxEventIdChars || string.IsNullOrEmpty(eventType))
            {
                return WebhookVerification.Refuse("notification without id or event_type");
            }

            if (!DateTimeOffset.TryParse(root.GetString("create_time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var occurredAt))
            {
                return WebhookVerification.Refuse("notification without a valid create_time");
            }

            if (!root.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.Object)
            {
                return WebhookVerification.Refuse("notification without resource");
            }

            if (Decrypt(settings, resource) is not { } plaintext)
            {
                return WebhookVerification.Refuse("resource did not decrypt");
            }

            if (!TryParse(plaintext, out var transaction))
            {
                return WebhookVerification.Refuse("malformed resource JSON");
            }

            using (transaction)
            {
                return Transaction(settings, transaction.RootElement, eventId, eventType, occurredAt);
            }
        }
    }

    private WebhookVerification Transaction(WeChatPayOptions settings, JsonElement transaction, string eventId, string eventType, DateTimeOffset occurredAt)
    {
        var isTransaction = eventType.StartsWith("TRANSACTION.", StringComparison.Ordinal);
        if (!string.Equals(transaction.GetString("mchid"), settings.MchId, StringComparison.Ordinal))
        {
            return WebhookVerification.Refuse("mchid does not match");
        }

        // UNCONFIRMED: other resources (refunds) carry no appid; only a transaction is required to name ours.
        var appId = transaction.GetString("appid");
        if ((isTransaction || appId is not null) && !string.Equals(appId, settings.AppId, StringComparison.Ordinal))
        {
            return WebhookVerification.Refuse("appid does not match");
        }

        if (!TryOrderId(transaction.GetString("out_trade_no"), out var orderId))
        {
            return WebhookVerification.Refuse("out_trade_no is not one of our order ids");
        }

        var hasAmount = transaction.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Object;
        var total = hasAmount ? amount.GetInt64("total") : null;
        if (isTransaction && total is not >= 0)
        {
            return WebhookVerification.Refuse("transaction without amount.total");
        }

        var tradeState = transaction.GetString("trade_state");
        var kind = (eventType, tradeState) switch
        {
            ("TRANSACTION.SUCCESS", "SUCCESS") => PaymentEventKind.OrderPaid,
            (_, "CLOSED" or "REVOKED" or "PAYERROR") => PaymentEventKind.OrderClosed,
            _ => PaymentEventKind.Ignored,
        };
        logger.LogInformation("WeChat Pay notification {EventId} ({EventType}) for order {OrderId} verified", eventId, eventType, orderId);
        return WebhookVerification.Accept(new VerifiedPaymentEvent(
            PaymentGateways.WeChatPay,
            eventId,
            eventType,
            kind,
            occurredAt,
            orderId,
            null,
            null,
            total,
            hasAmount ? amount.GetString("currency") : null));
    }

    /// <summary>AEAD_AES_256_GCM with the APIv3 key (external-apis.md §13.2, CONFIRMED: the tag is the last 16 bytes).</summary>
    private static byte[]? Decrypt(WeChatPayOptions settings, JsonElement resource)
    {
        if (resource.GetString("algorithm") != "AEAD_AES_256_GCM" || !settings.ApiV3KeyValid)
        {
            return null;
        }

        var ciphertext = resource.GetString("ciphertext");
        var nonceText = resource.GetString("nonce");
        if (ciphertext is null || nonceText is null)
        {
            return null;
        }

        var nonce = Encoding.UTF8.GetBytes(nonceText);
        var data = new byte[ciphertext.Length];
        if (nonce.Length != NonceBytes || !Convert.TryFromBase64String(ciphertext, data, out var length) || length < TagBytes)
        {
            return null;
        }

        var associated = Encoding.UTF8.GetBytes(resource.GetString("associated_data") ?? "");
        var plaintext = new byte[length - TagBytes];
        try
        {
            using var aes = new AesGcm(Encoding.UTF8.GetBytes(settings.ApiV3Key!), TagBytes);
            aes.Decrypt(nonce, data.AsSpan(0, plaintext.Length), data.AsSpan(plaintext.Length, TagBytes), plaintext, associated);
            return plaintext;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public WebhookReply Reply(bool accepted) => accepted
        ? new WebhookReply(204, null, null)
        : new WebhookReply(400, "application/json", """{"code":"FAIL","message":"notification refused"}""");

    public async Task<GatewayState> FetchAsync(GatewayObject target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.OrderId is not { } orderId)
        {
            throw new NotSupportedException("WeChat Pay has no subscriptions; only orders can be read.");
        }

        var settings = _settings;
        var outTradeNo = orderId.ToString("N");
        var (status, answer) = await CallAsync(
            HttpMethod.Get,
            $"/v3/pay/transactions/out-trade-no/{outTradeNo}?mchid={Uri.EscapeDataString(settings.MchId!)}",
            null,
            "order query",
            repeatable: true,
            cancellationToken);
        if (status == HttpStatusCode.NotFound && answer.GetString("code") is "ORDER_NOT_EXIST" or "RESOURCE_NOT_EXISTS")
        {
            // UNCONFIRMED: an order the QR code was never scanned for may be unknown to the query; it is still open on our side.
            return Order(GatewayStatuses.Pending, orderId, null, null, null);
        }

        if (status != HttpStatusCode.OK)
        {
            throw Refused(status, answer.GetString("code"), "order query");
        }

        if (!string.Equals(answer.GetString("mchid"), settings.MchId, StringComparison.Ordinal)
            || !string.Equals(answer.GetString("out_trade_no"), outTradeNo, StringComparison.OrdinalIgnoreCase))
        {
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} order query for {outTradeNo} answered about another order or merchant.");
        }

        var tradeState = answer.GetString("trade_state");
        var state = tradeState switch
        {
            "SUCCESS" => GatewayStatuses.Paid,
            "NOTPAY" or "USERPAYING" => GatewayStatuses.Pending,
            "CLOSED" or "REVOKED" or "PAYERROR" or "REFUND" => GatewayStatuses.Closed,
            _ => throw new ProviderException(ProviderFailure.Transient, $"{Vendor} order {outTradeNo} has an unknown trade_state."),
        };
        var hasAmount = answer.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Object;
        DateTimeOffset? paidAt = DateTimeOffset.TryParse(answer.GetString("success_time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var success) ? success : null;
        logger.LogInformation("WeChat Pay order {OrderId} is {TradeState}", orderId, tradeState);
        return Order(state, orderId, hasAmount ? amount.GetInt64("total") : null, hasAmount ? amount.GetString("currency") ?? Cny : Cny, paidAt);
    }

    private static GatewayState Order(string status, Guid orderId, long? amount, string? currency, DateTimeOffset? paidAt) =>
        new(status, orderId, null, null, null, null, amount, currency, null, null, null, false, paidAt);

    public Task<IReadOnlyList<VerifiedPaymentEvent>> ListUndeliveredAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VerifiedPaymentEvent>>([]);

    public Task<GatewayState> ChangeSubscriptionAsync(SubscriptionChange change, CancellationToken cancellationToken) =>
        throw new NotSupportedException("WeChat Pay orders do not renew by themselves; each period is a new order.");

    public Task<string?> PortalUrlAsync(string customerId, string returnUrl, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task DeleteCustomerAsync(string customerId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One signed call (the signing handler signs each attempt). 429, 401/403 and 5xx are mapped by status alone; every
    /// other answer is used only once its <c>Wechatpay-Signature</c> verified. Returns the status and the JSON body
    /// (an empty object for none).
    /// </summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpMethod method, string pathAndQuery, byte[]? body, string what, bool repeatable, CancellationToken cancellationToken)
    {
        var settings = _settings;
        var client = httpClientFactory.CreateClient(ClientName);
        using var request = new HttpRequestMessage(method, new Uri(MarketplaceHttp.BaseUri(settings.ApiBase, $"{WeChatPayOptions.Section}:ApiBase"), pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("CommerceOS", "1.0"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (repeatable)
        {
            request.AsRepeatable();
        }

        using var response = await MarketplaceHttp.SendAsync(client, request, Vendor, what, cancellationToken);
        var status = response.StatusCode;
        if (status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout || (int)status >= 500)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, what, timeProvider);
        }

        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} {what}: the answer was cut off.", inner: ex);
        }

        var json = Json(bytes);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // UNCONFIRMED: whether refusals of our own signature are signed. Not needed: acting on one only reports a
            // misconfiguration, and ORDERPAID / OUT_TRADE_NO_USED only lead to a verified re-read.
            return json is { } refusal && refusal.GetString("code") is "ORDERPAID" or "OUT_TRADE_NO_USED"
                ? (status, refusal)
                : throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} {what}: the merchant credentials were refused ({(int)status} {json?.GetString("code")}).");
        }

        var headers = response.Headers;
        if (WeChatPaySignature.Check(settings, First(headers, "Wechatpay-Timestamp"), First(headers, "Wechatpay-Nonce"), First(headers, "Wechatpay-Signature"), First(headers, "Wechatpay-Serial"), bytes, timeProvider.GetUtcNow()) is { } failed)
        {
            logger.LogWarning("WeChat Pay {What} answer ({Status}) failed verification: {Reason}", what, (int)status, failed);
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} {what}: the answer failed signature verification ({failed}).");
        }

        if (json is null && bytes.Length > 0)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} {what} returned malformed JSON.");
        }

        return (status, json ?? EmptyObject);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static JsonElement? Json(byte[] bytes)
    {
        if (!TryParse(bytes, out var document))
        {
            return null;
        }

        using (document)
        {
            return document.RootElement.Clone();
        }
    }

    private static bool TryParse(ReadOnlyMemory<byte> bytes, out JsonDocument document)
    {
        document = null!;
        try
        {
            document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            document.Dispose();
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private ProviderException Refused(HttpStatusCode status, string? code, string what)
    {
        logger.LogWarning("WeChat Pay {What} refused: {Status} {Code}", what, (int)status, code);
        return new ProviderException(
            status == HttpStatusCode.BadRequest ? ProviderFailure.Rejected : ProviderFailure.Transient,
            $"{Vendor} {what}: HTTP {(int)status} {code}.");
    }

    private static bool TryOrderId(string? value, out Guid orderId)
    {
        orderId = Guid.Empty;
        return value is { Length: 32 } && value.All(char.IsAsciiHexDigit) && Guid.TryParseExact(value, "N", out orderId);
    }

    /// <summary>At most 127 characters (UNCONFIRMED: characters, not bytes), never cutting a surrogate pair in half.</summary>
    internal static string Description(string description)
    {
        var text = string.IsNullOrWhiteSpace(description) ? "CommerceOS" : description.Trim();
        if (text.Length <= MaxDescriptionChars)
        {
            return text;
        }

        var cut = MaxDescriptionChars;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut];
    }

    private static string? Header(WebhookDelivery delivery, string name)
    {
        if (delivery.Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var pair in delivery.Headers)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed record NativeOrder(
        [property: System.Text.Json.Serialization.JsonPropertyName("appid")] string AppId,
        [property: System.Text.Json.Serialization.JsonPropertyName("mchid")] string MchId,
        [property: System.Text.Json.Serialization.JsonPropertyName("description")] string Description,
        [property: System.Text.Json.Serialization.JsonPropertyName("out_trade_no")] string OutTradeNo,
        [property: System.Text.Json.Serialization.JsonPropertyName("time_expire")] string TimeExpire,
        [property: System.Text.Json.Serialization.JsonPropertyName("notify_url")] string NotifyUrl,
        [property: System.Text.Json.Serialization.JsonPropertyName("amount")] NativeAmount Amount);

    private sealed record NativeAmount(
        [property: System.Text.Json.Serialization.JsonPropertyName("total")] long Total,
        [property: System.Text.Json.Serialization.JsonPropertyName("currency")] string Currency);
}
