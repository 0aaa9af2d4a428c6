using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.Alipay;

/// <summary>
/// Alipay through the classic open-API gateway (external-apis.md §13.1): a signed <c>alipay.trade.page.pay</c> URL
/// the browser is sent to, the asynchronous notification checked with rsaCheckV1 semantics, and
/// <c>alipay.trade.query</c> as the truth an event only triggers. One payment per period: Alipay's recurring
/// deduction is a separate contract product.
/// </summary>
internal sealed class AlipayGateway(
    IHttpClientFactory httpClientFactory,
    IOptions<AlipayOptions> options,
    TimeProvider timeProvider,
    ILogger<AlipayGateway> logger) : IPaymentGateway
{
    internal const string ClientName = "CommerceOS.Billing.Alipay";

    private const string Vendor = "Alipay";
    private const string Cny = "CNY";
    private const int MaxNotifyBytes = 64 * 1024;
    private const string QueryResponseKey = "alipay_trade_query_response";

    // UNCONFIRMED: a request refused before it reaches the method (bad app_id, bad signature) is answered under
    // error_response rather than the method's key, as the SDKs handle it.
    private const string ErrorResponseKey = "error_response";

    private AlipayOptions Options => options.Value;

    public string Id => PaymentGateways.Alipay;

    public IReadOnlyList<string> Currencies { get; } = [Cny];

    public bool Recurring => false;

    public Task<CheckoutStart> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Currency, Cny, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Alipay charges in CNY only, not {request.Currency}.", nameof(request));
        }

        if (request.AmountMinor is <= 0 or > AlipaySignature.MaxFen)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Alipay takes 0.01 to 100000000.00 yuan.");
        }

        if (string.IsNullOrWhiteSpace(request.Description) || request.Description.Length > 256)
        {
            throw new ArgumentException("The subject must be 1 to 256 characters.", nameof(request));
        }

        var orderId = request.OrderId.ToString("N");
        var biz = new JsonObject
        {
            ["out_trade_no"] = orderId,
            ["total_amount"] = AlipaySignature.FormatYuan(request.AmountMinor),
            ["subject"] = request.Description,
            ["product_code"] = "FAST_INSTANT_TRADE_PAY",
            // UNCONFIRMED: time_expire is read in Beijing time, like every other Alipay timestamp.
            ["time_expire"] = AlipaySignature.ChinaTime(request.ExpiresAt),
        };
        var fields = Common("alipay.trade.page.pay", biz);
        fields["notify_url"] = request.NotifyUrl;
        fields["return_url"] = request.SuccessUrl;
        fields["sign"] = AlipaySignature.Sign(AlipaySignature.Content(fields, includeSignType: true), Options.AppPrivateKeyPem!);

        var gateway = Options.Gateway;
        var url = gateway + (gateway.Contains('?', StringComparison.Ordinal) ? "&" : "?") + AlipaySignature.EncodeForm(fields);
        logger.LogInformation("Alipay page.pay URL signed for order {OrderId}.", orderId);
        return Task.FromResult(new CheckoutStart(url, CheckoutPresentation.Redirect, orderId));
    }

    /// <summary>
    /// rsaCheckV1 over the decoded form, then the source checks. No timestamp window: Alipay repeats the same
    /// notification for about 25 hours, and a replay changes nothing because the inbox is keyed by notify_id and the
    /// order is re-read with <see cref="FetchAsync"/> before anything is granted.
    /// </summary>
    public WebhookVerification Verify(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Body.Length == 0 || delivery.Body.Length > MaxNotifyBytes)
        {
            return WebhookVerification.Refuse("empty or oversized body");
        }

        if (delivery.ContentType is { } contentType
            && !contentType.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookVerification.Refuse("not a form body");
        }

        var fields = AlipaySignature.ParseForm(delivery.Body.Span, out var problem);
        if (fields is null)
        {
            return WebhookVerification.Refuse(problem ?? "malformed body");
        }

        if (fields.TryGetValue("charset", out var charset) && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookVerification.Refuse("charset is not utf-8");
        }

        if (fields.TryGetValue("sign_type", out var signType) && signType != "RSA2")
        {
            return WebhookVerification.Refuse("sign_type is not RSA2");
        }

        if (!fields.TryGetValue("sign", out var sign) || sign.Length == 0)
        {
            return WebhookVerification.Refuse("sign missing");
        }

        if (!AlipaySignature.Verify(AlipaySignature.Content(fields, includeSignType: false), sign, Options.AlipayPublicKeyPem!))
        {
            return WebhookVerification.Refuse("signature does not verify with the Alipay public key");
        }

        if (!Same(fields.GetValueOrDefault("app_id"), Options.AppId))
        {
            return WebhookVerification.Refuse("app_id is not ours");
        }

        if (!string.IsNullOrEmpty(Options.SellerId) && !Same(fields.GetValueOrDefault("seller_id"), Options.SellerId))
        {
            return WebhookVerification.Refuse("seller_id is not ours");
        }

        var notifyId = fields.GetValueOrDefault("notify_id");
        if (string.IsNullOrEmpty(notifyId) || notifyId.Length > 128)
        {
            return WebhookVerification.Refuse("notify_id missing");
        }

        if (!TryOrderId(fields.GetValueOrDefault("out_trade_no"), out var orderId))
        {
            return WebhookVerification.Refuse("out_trade_no is not one of our order ids");
        }

        if (AlipaySignature.ParseYuan(fields.GetValueOrDefault("total_amount")) is not { } amount)
        {
            return WebhookVerification.Refuse("total_amount is not a plain positive amount");
        }

        var status = fields.GetValueOrDefault("trade_status") ?? "";
        var kind = status switch
        {
            "TRADE_SUCCESS" or "TRADE_FINISHED" => PaymentEventKind.OrderPaid,
            "TRADE_CLOSED" => PaymentEventKind.OrderClosed,
            _ => PaymentEventKind.Ignored,
        };

        var occurred = fields.TryGetValue("gmt_payment", out var paid) && paid.Length > 0
            ? AlipaySignature.ParseChinaTime(paid)
            : AlipaySignature.ParseChinaTime(fields.GetValueOrDefault("notify_time"));
        if (occurred is null)
        {
            return WebhookVerification.Refuse("gmt_payment / notify_time missing or malformed");
        }

        return WebhookVerification.Accept(new VerifiedPaymentEvent(
            PaymentGateways.Alipay,
            notifyId,
            status.Length == 0 ? fields.GetValueOrDefault("notify_type") ?? "unknown" : status,
            kind,
            occurred.Value,
            orderId,
            SubscriptionId: null,
            CustomerId: null,
            amount,
            Cny));
    }

    /// <summary>Anything but exactly <c>success</c> makes Alipay deliver again.</summary>
    public WebhookReply Reply(bool accepted) =>
        accepted ? new WebhookReply(200, "text/plain", "success") : new WebhookReply(400, "text/plain", "fail");

    public async Task<GatewayState> FetchAsync(GatewayObject target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.OrderId is not { } orderId)
        {
            throw new NotSupportedException("Alipay has no subscriptions: re-read an order by its id.");
        }

        var outTradeNo = orderId.ToString("N");
        var fields = Common("alipay.trade.query", new JsonObject { ["out_trade_no"] = outTradeNo });
        fields["sign"] = AlipaySignature.Sign(AlipaySignature.Content(fields, includeSignType: true), Options.AppPrivateKeyPem!);

        var client = httpClientFactory.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, MarketplaceHttp.BaseUri(Options.Gateway, $"{AlipayOptions.Section}:Gateway"))
        {
            Content = new StringContent(AlipaySignature.EncodeForm(fields), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        // A query changes nothing at Alipay: safe to send again after a 5xx or a timeout.
        request.AsRepeatable();
        using var response = await MarketplaceHttp.SendAsync(client, request, Vendor, "trade.query", cancellationToken);
        MarketplaceHttp.ThrowForTransport(response, Vendor, "trade.query", timeProvider);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Alipay trade.query: HTTP {(int)response.StatusCode}.");
        }

        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query: the answer was cut off.", inner: ex);
        }

        var answer = QueryAnswer.Read(body) ?? throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query returned malformed JSON.");
        var signed = answer.Sign is not null;
        if (signed && !AlipaySignature.Verify(body.AsSpan(answer.Start, answer.Length), answer.Sign, Options.AlipayPublicKeyPem!))
        {
            // Transient rather than a verdict: a corrupted answer or a key rotation in progress should be read again
            // later (reconciliation does), and nothing is granted from an answer that did not verify.
            logger.LogWarning("Alipay trade.query answer for order {OrderId} did not verify with the Alipay public key.", outTradeNo);
            throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query: the answer's signature does not verify.");
        }

        using var document = JsonDocument.Parse(body.AsMemory(answer.Start, answer.Length));
        var result = document.RootElement;
        var code = result.GetString("code");
        var subCode = result.GetString("sub_code");
        switch (code)
        {
            case "10000" when signed:
                return Trade(result, orderId, outTradeNo);
            case "10000":
                // UNCONFIRMED: a success answer always carries sign; one without is never trusted.
                throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query: a success answer without a signature.");
            case "40004" when subCode == "ACQ.TRADE_NOT_EXIST":
                // The buyer has not opened the cashier yet, so Alipay has no trade under our number.
                // UNCONFIRMED: reported by integrators for page.pay; the reference names the sub_code only.
                return Order(GatewayStatuses.Pending, orderId, amount: null, paidAt: null);
            case "40004" when subCode == "ACQ.SYSTEM_ERROR":
            case "20000":
                throw new ProviderException(ProviderFailure.Transient, $"Alipay trade.query: service unavailable ({code} {subCode}).");
            case "20001" or "40001" or "40002" or "40006":
                logger.LogWarning("Alipay refused trade.query for order {OrderId}: {Code} {SubCode}.", outTradeNo, code, subCode);
                throw new ProviderException(ProviderFailure.Misconfigured, $"Alipay refused the app's call ({code} {subCode}): check {AlipayOptions.Section}.");
            case "40004":
                throw new ProviderException(ProviderFailure.Rejected, $"Alipay trade.query: business failure {subCode}.");
            default:
                throw new ProviderException(ProviderFailure.Transient, $"Alipay trade.query: unexpected code {code}.");
        }
    }

    public Task<IReadOnlyList<VerifiedPaymentEvent>> ListUndeliveredAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VerifiedPaymentEvent>>([]);

    public Task<GatewayState> ChangeSubscriptionAsync(SubscriptionChange change, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Alipay does not renew by itself: each period is one payment.");

    public Task<string?> PortalUrlAsync(string customerId, string returnUrl, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>Alipay keeps no customer record for us.</summary>
    public Task DeleteCustomerAsync(string customerId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The common parameters of §13.1 (sign comes last, over these).</summary>
    private Dictionary<string, string> Common(string method, JsonObject biz) => new(StringComparer.Ordinal)
    {
        ["app_id"] = Options.AppId!,
        ["method"] = method,
        ["format"] = "JSON",
        ["charset"] = "utf-8",
        ["sign_type"] = "RSA2",
        ["timestamp"] = AlipaySignature.ChinaTime(timeProvider.GetUtcNow()),
        ["version"] = "1.0",
        ["biz_content"] = biz.ToJsonString(),
    };

    private static GatewayState Trade(JsonElement result, Guid orderId, string outTradeNo)
    {
        if (!string.Equals(result.GetString("out_trade_no"), outTradeNo, StringComparison.OrdinalIgnoreCase))
        {
            throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query answered about another order.");
        }

        var status = result.GetString("trade_status") switch
        {
            "TRADE_SUCCESS" or "TRADE_FINISHED" => GatewayStatuses.Paid,
            "WAIT_BUYER_PAY" => GatewayStatuses.Pending,
            "TRADE_CLOSED" => GatewayStatuses.Closed,
            _ => throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query: unknown trade_status."),
        };
        var amount = AlipaySignature.ParseYuan(result.GetString("total_amount"))
            ?? throw new ProviderException(ProviderFailure.Transient, "Alipay trade.query: total_amount is not a plain amount.");
        var paidAt = status == GatewayStatuses.Paid ? AlipaySignature.ParseChinaTime(result.GetString("send_pay_date")) : null;
        return Order(status, orderId, amount, paidAt);
    }

    private static GatewayState Order(string status, Guid orderId, long? amount, DateTimeOffset? paidAt) =>
        new(status, orderId, SubscriptionId: null, CustomerId: null, PlanCode: null, Cycle: null, amount, Cny,
            PeriodStart: null, PeriodEnd: null, TrialEnd: null, CancelAtPeriodEnd: false, paidAt);

    private static bool TryOrderId(string? value, out Guid orderId)
    {
        orderId = default;
        return value is { Length: 32 } && value.All(char.IsAsciiHexDigit) && Guid.TryParseExact(value, "N", out orderId);
    }

    private static bool Same(string? given, string? expected) =>
        given is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>
    /// Where the response object sits in the raw bytes: the signature covers that exact text, so it is located with a
    /// reader rather than re-serialised (whitespace, key order and escapes must survive).
    /// </summary>
    private sealed record QueryAnswer(int Start, int Length, string? Sign)
    {
        public static QueryAnswer? Read(byte[] body)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                (int Start, int Length)? query = null, error = null;
                string? sign = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name is QueryResponseKey or ErrorResponseKey && reader.TokenType == JsonTokenType.StartObject)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        var span = (start, (int)reader.BytesConsumed - start);
                        if ((name == QueryResponseKey ? query : error) is not null)
                        {
                            // Two objects under one name: which one was signed is anyone's guess.
                            return null;
                        }

                        if (name == QueryResponseKey)
                        {
                            query = span;
                        }
                        else
                        {
                            error = span;
                        }
                    }
                    else if (name == "sign" && reader.TokenType == JsonTokenType.String)
                    {
                        sign = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                {
                    return null;
                }

                return (query ?? error) is { } found ? new QueryAnswer(found.Start, found.Length, sign) : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
