using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Tests.Payments.WeChatPay;

/// <summary>The Native order and the order query against a fake WeChat Pay that checks our signatures and signs its answers.</summary>
public sealed partial class WeChatPayGatewayTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private FakeWeChatPayServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeWeChatPayServer.StartAsync(_clock, WeChatPayKeys.Merchant, WeChatPayKeys.Platform);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string OutTradeNo => WeChatPayOrders.OrderId.ToString("N");

    private WeChatPayScope Scope(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = WeChatPayScope.Settings(_fake.BaseUrl);
        configure?.Invoke(settings);
        return new WeChatPayScope(_clock, settings);
    }

    [Fact]
    public async Task Checkout_CreatesANativeOrder_SignedAsDocumented_AndAnswersItsQrCode()
    {
        await using var scope = Scope();

        var start = await scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(), Ct);

        Assert.Equal(CheckoutPresentation.QrCode, start.Presentation);
        Assert.Equal(OutTradeNo, start.Reference);
        Assert.Equal(_fake.Order(OutTradeNo)!.CodeUrl, start.Url);
        Assert.StartsWith("weixin://wxpay/", start.Url, StringComparison.Ordinal);
        var call = Assert.Single(_fake.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/v3/pay/transactions/native", call.Target);
        Assert.Equal("application/json", call.Accept);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        var body = JsonNode.Parse(call.Body)!.AsObject();
        Assert.Equal(
            ["appid", "mchid", "description", "out_trade_no", "time_expire", "notify_url", "amount"],
            body.Select(pair => pair.Key).ToArray());
        Assert.Equal(FakeWeChatPayServer.AppId, (string?)body["appid"]);
        Assert.Equal(FakeWeChatPayServer.MchId, (string?)body["mchid"]);
        Assert.Equal("CommerceOS Creator – monthly", (string?)body["description"]);
        Assert.Equal(OutTradeNo, (string?)body["out_trade_no"]);
        Assert.Equal("2026-11-29T18:00:00+08:00", (string?)body["time_expire"]);
        Assert.Equal("https://app.example.com/webhooks/wechatpay", (string?)body["notify_url"]);
        Assert.Equal(9900, (long?)body["amount"]!["total"]);
        Assert.Equal("CNY", (string?)body["amount"]!["currency"]);
        var authorization = AuthorizationShape().Match(call.Authorization);
        Assert.True(authorization.Success, call.Authorization);
        Assert.Equal(FakeWeChatPayServer.MchId, authorization.Groups["mchid"].Value);
        Assert.Equal(FakeWeChatPayServer.MerchantSerial, authorization.Groups["serial"].Value);
        Assert.InRange(long.Parse(authorization.Groups["timestamp"].Value, CultureInfo.InvariantCulture), _clock.GetUtcNow().ToUnixTimeSeconds() - 60, _clock.GetUtcNow().ToUnixTimeSeconds());
        Assert.Equal(0, _fake.Refused401);
    }

    [Fact]
    public async Task Checkout_Retried_AnswersTheSameQrCode_AndAPaidOrder_GoesToSuccess()
    {
        await using var scope = Scope();
        var first = await scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(), Ct);

        var again = await scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(), Ct);
        Assert.Equal(first, again);

        _fake.SetState(OutTradeNo, "SUCCESS");
        var paid = await scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(), Ct);
        Assert.Equal(new CheckoutStart("https://app.example.com/billing/done", CheckoutPresentation.Redirect, OutTradeNo), paid);
        Assert.Contains(_fake.Calls, call => call.Method == "GET" && call.Target.StartsWith($"/v3/pay/transactions/out-trade-no/{OutTradeNo}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checkout_OfAnOrderNumberUsedWithOtherFields_IsRejected()
    {
        await using var scope = Scope();
        await scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(), Ct);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(amount: 19900), Ct));

        Assert.Equal(ProviderFailure.Rejected, failure.Failure);
        Assert.Contains("OUT_TRADE_NO_USED", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkout_InAnotherCurrency_IsAnArgumentError_BeforeAnyCall()
    {
        await using var scope = Scope();

        await Assert.ThrowsAsync<ArgumentException>(() => scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(currency: "USD"), Ct));

        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task Checkout_ALongDescription_IsCutTo127_WithoutSplittingACharacter()
    {
        await using var scope = Scope();
        var description = new string('月', 126) + "😀" + new string('x', 40);

        await scope.Gateway.StartCheckoutAsync(WeChatPayOrders.Checkout(description: description), Ct);

        var sent = (string)JsonNode.Parse(_fake.Calls.Single().Body)!["description"]!;
        Assert.Equal(new string('月', 126), sent);
    }

    [Fact]
    public async Task Calls_SignedWithAnotherMerchantKey_AreMisconfigured()
    {
        await using var scope = Scope(settings => settings["Billing:WeChatPay:MerchantPrivateKeyPem"] = WeChatPayKeys.PrivatePem(WeChatPayKeys.Stranger));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, failure.Failure);
        Assert.Equal(1, _fake.Refused401);
    }

    [Theory]
    [InlineData("SUCCESS", GatewayStatuses.Paid)]
    [InlineData("NOTPAY", GatewayStatuses.Pending)]
    [InlineData("USERPAYING", GatewayStatuses.Pending)]
    [InlineData("CLOSED", GatewayStatuses.Closed)]
    [InlineData("REVOKED", GatewayStatuses.Closed)]
    [InlineData("PAYERROR", GatewayStatuses.Closed)]
    [InlineData("REFUND", GatewayStatuses.Closed)]
    public async Task Fetch_MapsTradeStates(string tradeState, string status)
    {
        await using var scope = Scope();
        _fake.SetState(OutTradeNo, tradeState, total: 12300);

        var state = await scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct);

        Assert.Equal(status, state.Status);
        Assert.Equal(WeChatPayOrders.OrderId, state.OrderId);
        Assert.Equal(12300, state.AmountMinor);
        Assert.Equal("CNY", state.Currency);
        Assert.Equal(tradeState == "SUCCESS" ? new DateTimeOffset(2026, 11, 29, 9, 0, 5, TimeSpan.Zero) : null, state.PaidAt);
        var call = Assert.Single(_fake.Calls);
        Assert.Equal($"/v3/pay/transactions/out-trade-no/{OutTradeNo}?mchid={FakeWeChatPayServer.MchId}", call.Target);
        Assert.Equal("", call.Body);
    }

    [Fact]
    public async Task Fetch_OfAnOrderWeChatDoesNotKnow_IsPending()
    {
        await using var scope = Scope();

        var state = await scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct);

        Assert.Equal(GatewayStatuses.Pending, state.Status);
        Assert.Null(state.AmountMinor);
    }

    [Fact]
    public async Task Fetch_WhoseAnswerSignatureIsTampered_IsTransient()
    {
        await using var scope = Scope();
        _fake.SetState(OutTradeNo, "SUCCESS");
        _fake.TamperSignatures = true;

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
        Assert.Contains("signature", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_WhoseAnswerIsSignedButMalformed_IsTransient()
    {
        await using var scope = Scope();
        _fake.AlwaysFault = context => _fake.SignedAnswer(context, 200, """{"mchid":"19000"""u8.ToArray());

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
    }

    [Fact]
    public async Task Fetch_RateLimitedForLong_IsRateLimited_WithTheWait()
    {
        await using var scope = Scope();
        _fake.AlwaysFault = Faults.Status(429, """{"code":"FREQUENCY_LIMITED","message":"频率超限"}""", ("Retry-After", "120"));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct));

        Assert.Equal(ProviderFailure.RateLimited, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task Fetch_After5xx_IsRetried_WithAFreshSignature_AndSucceeds()
    {
        await using var scope = Scope();
        _fake.SetState(OutTradeNo, "SUCCESS");
        _fake.Faults.Enqueue(Faults.Status(500, """{"code":"SYSTEM_ERROR","message":"系统错误"}"""));
        _fake.Faults.Enqueue(Faults.Status(503, """{"code":"SYSTEM_ERROR","message":"系统错误"}"""));

        var state = await scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct);

        Assert.Equal(GatewayStatuses.Paid, state.Status);
        Assert.Equal(3, _fake.Calls.Count);
        Assert.Equal(3, _fake.Calls.Select(call => AuthorizationShape().Match(call.Authorization).Groups["nonce"].Value).Distinct().Count());
    }

    [Fact]
    public async Task Fetch_AlwaysFailing5xx_IsTransient()
    {
        await using var scope = Scope();
        _fake.AlwaysFault = Faults.Status(500, """{"code":"SYSTEM_ERROR","message":"系统错误"}""");

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
        Assert.Equal(4, _fake.Calls.Count);
    }

    [Fact]
    public async Task Fetch_ThatNeverAnswers_TimesOut_AsTransient()
    {
        await using var scope = Scope(settings =>
        {
            settings["Billing:WeChatPay:AttemptTimeout"] = "00:00:30";
            settings["Billing:WeChatPay:MaxRetries"] = "1";
        });
        _fake.AlwaysFault = async context => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, WeChatPayOrders.OrderId), Ct));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
        Assert.Equal(2, _fake.Calls.Count);
    }

    [Fact]
    public async Task SubscriptionOperations_AreNotSupported_AndTheRestAreNoOps()
    {
        await using var scope = Scope();
        var gateway = scope.Gateway;

        Assert.Equal(["CNY"], gateway.Currencies);
        Assert.False(gateway.Recurring);
        await Assert.ThrowsAsync<NotSupportedException>(() => gateway.FetchAsync(new GatewayObject("sub_1", null), Ct));
        await Assert.ThrowsAsync<NotSupportedException>(() => gateway.ChangeSubscriptionAsync(new SubscriptionChange("sub_1", null, null, null, null, true, Guid.NewGuid()), Ct));
        Assert.Null(await gateway.PortalUrlAsync("cus", "https://app.example.com", Ct));
        Assert.Empty(await gateway.ListUndeliveredAsync(_clock.GetUtcNow().AddDays(-1), Ct));
        await gateway.DeleteCustomerAsync("cus", Ct);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task Gateway_IsOfferedOnlyWhenConfigured()
    {
        await using (var missingKey = Scope(settings => settings.Remove("Billing:WeChatPay:PlatformPublicKeyPem")))
        {
            Assert.Empty(missingKey.Gateways);
        }

        await using (var missingV3 = Scope(settings => settings.Remove("Billing:WeChatPay:ApiV3Key")))
        {
            Assert.Empty(missingV3.Gateways);
        }

        var shortKey = Assert.ThrowsAny<Exception>(() => Scope(settings => settings["Billing:WeChatPay:ApiV3Key"] = "too-short"));
        Assert.Contains("ApiV3Key", shortKey.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("""^WECHATPAY2-SHA256-RSA2048 mchid="(?<mchid>[^"]+)",nonce_str="(?<nonce>[0-9A-F]{32})",signature="(?<signature>[A-Za-z0-9+/=]{344})",timestamp="(?<timestamp>[0-9]{10})",serial_no="(?<serial>[^"]+)"$""")]
    private static partial Regex AuthorizationShape();
}
