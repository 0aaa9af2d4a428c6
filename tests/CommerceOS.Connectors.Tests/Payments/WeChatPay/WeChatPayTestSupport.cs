using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Payments.WeChatPay;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Payments.WeChatPay;

/// <summary>Key pairs made for this test run (never committed): ours, the fake's platform key, and strangers.</summary>
public static class WeChatPayKeys
{
    public static readonly RSA Merchant = RSA.Create(2048);
    public static readonly RSA Platform = RSA.Create(2048);
    public static readonly RSA Stranger = RSA.Create(2048);

    public const string ApiV3Key = "0123456789abcdefghijABCDEFGHIJ01";

    public static string PrivatePem(RSA key) => key.ExportPkcs8PrivateKeyPem();

    public static string PublicPem(RSA key) => key.ExportSubjectPublicKeyInfoPem();
}

/// <summary>The WeChat Pay gateway built as the host builds it (AddWeChatPayGateway over configuration).</summary>
public sealed class WeChatPayScope : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public WeChatPayScope(TimeProvider clock, Dictionary<string, string?> settings)
    {
        _services = Providers.Build(clock, settings, (services, configuration) => services.AddWeChatPayGateway(configuration));
        Gateways = [.. _services.GetServices<IPaymentGateway>()];
    }

    public IReadOnlyList<IPaymentGateway> Gateways { get; }

    public IPaymentGateway Gateway => Gateways.Single(gateway => gateway.Id == PaymentGateways.WeChatPay);

    public static Dictionary<string, string?> Settings(string apiBase = "https://api.mch.weixin.qq.com") => new()
    {
        ["Billing:WeChatPay:MchId"] = FakeWeChatPayServer.MchId,
        ["Billing:WeChatPay:AppId"] = FakeWeChatPayServer.AppId,
        ["Billing:WeChatPay:MerchantSerialNo"] = FakeWeChatPayServer.MerchantSerial,
        ["Billing:WeChatPay:MerchantPrivateKeyPem"] = WeChatPayKeys.PrivatePem(WeChatPayKeys.Merchant),
        ["Billing:WeChatPay:ApiV3Key"] = WeChatPayKeys.ApiV3Key,
        ["Billing:WeChatPay:PlatformPublicKeyPem"] = WeChatPayKeys.PublicPem(WeChatPayKeys.Platform),
        ["Billing:WeChatPay:PlatformPublicKeyId"] = FakeWeChatPayServer.PlatformKeyId,
        ["Billing:WeChatPay:ApiBase"] = apiBase,
        // Far beyond any wait the scaled test clock runs through; the timeout test sets its own.
        ["Billing:WeChatPay:AttemptTimeout"] = "01:00:00",
    };

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class WeChatPayOrders
{
    public static readonly Guid OrderId = Guid.Parse("0192f3b4-7c1e-7a00-8e11-5d2c6a9b0f42");

    public static CheckoutRequest Checkout(Guid? orderId = null, long amount = 9900, string currency = "CNY", string description = "CommerceOS Creator – monthly") => new(
        orderId ?? OrderId,
        Guid.Parse("6d1f0b8e-0000-7000-8000-000000000001"),
        "creator",
        BillingCycle.Monthly,
        currency,
        amount,
        amount,
        description,
        0,
        null,
        null,
        "https://app.example.com/billing/done",
        "https://app.example.com/billing",
        "https://app.example.com/webhooks/wechatpay",
        "zh-CN",
        new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
}

/// <summary>
/// A payment notification as WeChat Pay sends it: the transaction encrypted with AEAD_AES_256_GCM under the APIv3 key,
/// wrapped in the event JSON and signed with the platform key. Each property is one thing a fixture can get wrong.
/// </summary>
public sealed class WeChatNotify
{
    public static readonly DateTimeOffset At = new(2026, 11, 29, 9, 0, 5, TimeSpan.Zero);

    public string EventId { get; set; } = "EV-2018022511223320873";

    public string EventType { get; set; } = "TRANSACTION.SUCCESS";

    public JsonObject Transaction { get; set; } = Paid(WeChatPayOrders.OrderId.ToString("N"));

    public string ApiV3Key { get; set; } = WeChatPayKeys.ApiV3Key;

    public string Nonce { get; set; } = "fdasflkja484";

    /// <summary>What the body says the nonce was (differs from <see cref="Nonce"/> to forge it).</summary>
    public string? ClaimedNonce { get; set; }

    public string AssociatedData { get; set; } = "transaction";

    /// <summary>What the body says the associated data was (differs from <see cref="AssociatedData"/> to forge it).</summary>
    public string? ClaimedAssociatedData { get; set; }

    public Func<byte[], byte[]> TamperSealed { get; set; } = sealedBytes => sealedBytes;

    public Func<string, string>? TamperCiphertext { get; set; }

    public Func<byte[], byte[]>? BodyOverride { get; set; }

    public Func<byte[], byte[]> TamperAfterSigning { get; set; } = body => body;

    public RSA SigningKey { get; set; } = WeChatPayKeys.Platform;

    public Func<string, string> TamperSignature { get; set; } = signature => signature;

    public string Serial { get; set; } = FakeWeChatPayServer.PlatformKeyId;

    public DateTimeOffset SignedAt { get; set; } = At;

    public DateTimeOffset ReceivedAt { get; set; } = At;

    public static JsonObject Paid(string outTradeNo, long total = 9900, string tradeState = "SUCCESS") => new()
    {
        ["mchid"] = FakeWeChatPayServer.MchId,
        ["appid"] = FakeWeChatPayServer.AppId,
        ["out_trade_no"] = outTradeNo,
        ["transaction_id"] = "1217752501201407033233368018",
        ["trade_type"] = "NATIVE",
        ["trade_state"] = tradeState,
        ["trade_state_desc"] = "支付成功",
        ["bank_type"] = "CMC",
        ["success_time"] = "2026-11-29T17:00:05+08:00",
        ["payer"] = new JsonObject { ["openid"] = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
        ["amount"] = new JsonObject { ["total"] = total, ["payer_total"] = total, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
    };

    public byte[] Body()
    {
        var plaintext = Encoding.UTF8.GetBytes(Transaction.ToJsonString());
        var sealedBytes = new byte[plaintext.Length + 16];
        using (var aes = new AesGcm(Encoding.UTF8.GetBytes(ApiV3Key), 16))
        {
            aes.Encrypt(Encoding.UTF8.GetBytes(Nonce), plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), Encoding.UTF8.GetBytes(AssociatedData));
        }

        var ciphertext = Convert.ToBase64String(TamperSealed(sealedBytes));
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = EventId,
            ["create_time"] = "2026-11-29T17:00:05+08:00",
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = EventType,
            ["summary"] = "支付成功",
            ["resource"] = new JsonObject
            {
                ["original_type"] = "transaction",
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = TamperCiphertext?.Invoke(ciphertext) ?? ciphertext,
                ["associated_data"] = ClaimedAssociatedData ?? AssociatedData,
                ["nonce"] = ClaimedNonce ?? Nonce,
            },
        }.ToJsonString());
        return BodyOverride?.Invoke(body) ?? body;
    }

    public WebhookDelivery Delivery()
    {
        var body = Body();
        var timestamp = SignedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        const string nonce = "593BEC0C930BF1AFEB40B4A08C8FB242";
        var message = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n").Concat(body).Append((byte)'\n').ToArray();
        var signature = Convert.ToBase64String(SigningKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Wechatpay-Timestamp"] = timestamp,
            ["Wechatpay-Nonce"] = nonce,
            ["Wechatpay-Signature"] = TamperSignature(signature),
            ["Wechatpay-Serial"] = Serial,
            ["Content-Type"] = "application/json",
        };
        return new WebhookDelivery(TamperAfterSigning(body), headers, "application/json", ReceivedAt);
    }
}
