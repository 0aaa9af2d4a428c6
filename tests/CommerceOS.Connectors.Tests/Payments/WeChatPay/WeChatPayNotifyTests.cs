using System.Text;
using System.Text.Json;
using CommerceOS.Core.Billing.Payments;

namespace CommerceOS.Connectors.Tests.Payments.WeChatPay;

/// <summary>Notification verification (external-apis.md §13.2, security-privacy.md §3: W1–W5) against signed, encrypted fixtures.</summary>
public sealed class WeChatPayNotifyTests : IAsyncDisposable
{
    private readonly WeChatPayScope _scope = new(TimeProvider.System, WeChatPayScope.Settings());

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    private IPaymentGateway Gateway => _scope.Gateway;

    [Fact]
    public void Valid_PaidNotification_IsAccepted_WithTheDecryptedTransaction()
    {
        var result = Gateway.Verify(new WeChatNotify().Delivery());

        Assert.True(result.Accepted, result.Refusal);
        var verified = result.Event!;
        Assert.Equal(PaymentGateways.WeChatPay, verified.Gateway);
        Assert.Equal("EV-2018022511223320873", verified.EventId);
        Assert.Equal("TRANSACTION.SUCCESS", verified.Type);
        Assert.Equal(PaymentEventKind.OrderPaid, verified.Kind);
        Assert.Equal(WeChatPayOrders.OrderId, verified.OrderId);
        Assert.Equal(9900, verified.AmountMinor);
        Assert.Equal("CNY", verified.Currency);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 9, 0, 5, TimeSpan.Zero), verified.OccurredAt);
        Assert.Equal(new WebhookReply(204, null, null), Gateway.Reply(true));
    }

    [Fact]
    public async Task HeaderNames_AreCaseInsensitive_AndTheRotationKeyIsAccepted()
    {
        var settings = WeChatPayScope.Settings();
        settings["Billing:WeChatPay:PlatformPublicKeyPem2"] = WeChatPayKeys.PublicPem(WeChatPayKeys.Stranger);
        settings["Billing:WeChatPay:PlatformPublicKeyId2"] = "PUB_KEY_ID_NEXT";
        await using var rotating = new WeChatPayScope(TimeProvider.System, settings);
        var delivery = new WeChatNotify { SigningKey = WeChatPayKeys.Stranger, Serial = "PUB_KEY_ID_NEXT" }.Delivery();
        var lowerCased = delivery with { Headers = delivery.Headers.ToDictionary(pair => pair.Key.ToLowerInvariant(), pair => pair.Value, StringComparer.Ordinal) };

        Assert.True(rotating.Gateway.Verify(lowerCased).Accepted);
        Assert.True(rotating.Gateway.Verify(new WeChatNotify().Delivery()).Accepted);
        // The rotation key is only trusted under its own id.
        Assert.False(rotating.Gateway.Verify(new WeChatNotify { SigningKey = WeChatPayKeys.Stranger }.Delivery()).Accepted);
    }

    public static readonly Dictionary<string, Action<WeChatNotify>> Refusals = new()
    {
        ["wrong signature key"] = n => n.SigningKey = WeChatPayKeys.Stranger,
        ["signature probe"] = n => n.TamperSignature = s => "WECHATPAY/SIGNTEST/" + s,
        ["signature not base64"] = n => n.TamperSignature = _ => "%%%not-base64%%%",
        ["signature empty"] = n => n.TamperSignature = _ => "",
        ["unknown serial"] = n => n.Serial = "PUB_KEY_ID_0000000000000000000000000000000000",
        ["stale timestamp"] = n => n.ReceivedAt = n.SignedAt.AddSeconds(301),
        ["future timestamp"] = n => n.ReceivedAt = n.SignedAt.AddSeconds(-301),
        ["body changed after signing"] = n => n.TamperAfterSigning = body => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("EV-", "EW-", StringComparison.Ordinal)),
        ["gcm tag tampered"] = n => n.TamperSealed = bytes => Flip(bytes, bytes.Length - 1),
        ["ciphertext tampered"] = n => n.TamperSealed = bytes => Flip(bytes, 0),
        ["ciphertext truncated below a tag"] = n => n.TamperSealed = bytes => bytes[..15],
        ["wrong associated_data"] = n => n.ClaimedAssociatedData = "certificate",
        ["wrong v3 key"] = n => n.ApiV3Key = "ZZZZZZZZZZabcdefghijABCDEFGHIJ01",
        ["nonce of the wrong length"] = n => n.ClaimedNonce = "short",
        ["other nonce"] = n => n.ClaimedNonce = "fdasflkja485",
        ["wrong mchid"] = n => n.Transaction["mchid"] = "1900000110",
        ["wrong appid"] = n => n.Transaction["appid"] = "wx0000000000000000",
        ["missing appid"] = n => n.Transaction.Remove("appid"),
        ["non-hex out_trade_no"] = n => n.Transaction["out_trade_no"] = "ORDER-20261129-0001",
        ["out_trade_no of 32 non-hex"] = n => n.Transaction["out_trade_no"] = "zz92f3b47c1e7a008e115d2c6a9b0f42",
        ["missing amount"] = n => n.Transaction.Remove("amount"),
        ["amount as text"] = n => n.Transaction["amount"]!["total"] = "9900",
        ["malformed json body"] = n => n.BodyOverride = _ => "{\"id\":\"EV-1\",\"resource\":{"u8.ToArray(),
        ["json array body"] = n => n.BodyOverride = _ => "[1,2,3]"u8.ToArray(),
        ["not utf8 body"] = n => n.BodyOverride = _ => [0xff, 0xfe, 0x00, 0x7b],
        ["malformed base64 ciphertext"] = n => n.TamperCiphertext = _ => "!!!!not base64!!!!",
        ["other algorithm"] = n => n.BodyOverride = body => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("AEAD_AES_256_GCM", "AEAD_AES_128_GCM", StringComparison.Ordinal)),
        ["missing event id"] = n => n.EventId = "",
        ["transaction without fields"] = n => n.Transaction = new System.Text.Json.Nodes.JsonObject { ["x"] = 1 },
    };

    public static TheoryData<string> RefusalNames => [.. Refusals.Keys];

    [Theory]
    [MemberData(nameof(RefusalNames))]
    public void Tampered_Forged_Or_Malformed_Notifications_AreRefused(string name)
    {
        var notify = new WeChatNotify();
        Refusals[name](notify);

        var result = Gateway.Verify(notify.Delivery());

        Assert.False(result.Accepted, name);
        Assert.False(string.IsNullOrWhiteSpace(result.Refusal));
        // The reason is for logs: short, and never the body or a key.
        Assert.True(result.Refusal!.Length < 80);
        Assert.DoesNotContain(WeChatPayKeys.ApiV3Key, result.Refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeWeChatPayServer.MchId, result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingHeaders_AreRefused()
    {
        var delivery = new WeChatNotify().Delivery();
        foreach (var name in (string[])["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"])
        {
            var headers = delivery.Headers.Where(pair => pair.Key != name).ToDictionary(StringComparer.OrdinalIgnoreCase);
            Assert.False(Gateway.Verify(delivery with { Headers = headers }).Accepted, name);
        }
    }

    [Fact]
    public void Refusal_IsAnswered400_WithTheFailJson()
    {
        var reply = Gateway.Reply(false);

        Assert.Equal(400, reply.StatusCode);
        Assert.Equal("application/json", reply.ContentType);
        using var json = JsonDocument.Parse(reply.Body!);
        Assert.Equal("FAIL", json.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public void EightIdenticalDeliveries_VerifyToOneEventId()
    {
        var delivery = new WeChatNotify().Delivery();

        var results = Enumerable.Range(0, 8).AsParallel().Select(_ => Gateway.Verify(delivery)).ToList();

        Assert.All(results, result => Assert.True(result.Accepted));
        Assert.Single(results.Select(result => result.Event!.EventId).Distinct());
    }

    [Theory]
    [InlineData("TRANSACTION.SUCCESS", "SUCCESS", PaymentEventKind.OrderPaid)]
    [InlineData("TRANSACTION.SUCCESS", "NOTPAY", PaymentEventKind.Ignored)]
    [InlineData("TRANSACTION.CLOSED", "CLOSED", PaymentEventKind.OrderClosed)]
    [InlineData("TRANSACTION.REVOKED", "REVOKED", PaymentEventKind.OrderClosed)]
    [InlineData("TRANSACTION.PAYERROR", "PAYERROR", PaymentEventKind.OrderClosed)]
    [InlineData("TRANSACTION.USERPAYING", "USERPAYING", PaymentEventKind.Ignored)]
    public void TradeStates_MapToKinds(string eventType, string tradeState, PaymentEventKind kind)
    {
        var notify = new WeChatNotify { EventType = eventType, Transaction = WeChatNotify.Paid(WeChatPayOrders.OrderId.ToString("N"), tradeState: tradeState) };

        var result = Gateway.Verify(notify.Delivery());

        Assert.True(result.Accepted, result.Refusal);
        Assert.Equal(kind, result.Event!.Kind);
    }

    [Fact]
    public void HostileBytes_UnderAValidSignature_NeverThrow()
    {
        var valid = new WeChatNotify().Body();
        var random = new Random(8);
        for (var i = 0; i < 300; i++)
        {
            var body = valid.ToArray();
            body[random.Next(body.Length)] = (byte)random.Next(256);
            var cut = body[..random.Next(1, body.Length + 1)];

            var result = Gateway.Verify(new WeChatNotify { BodyOverride = _ => cut }.Delivery());

            Assert.True(result.Accepted || !string.IsNullOrEmpty(result.Refusal));
        }
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
