using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Payments.Alipay;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Generation;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Payments.Alipay;

public sealed class AlipayGatewayTests
{
    private static readonly Guid OrderId = Guid.Parse("7d0c6a2e-5b1f-4c3a-9e8d-0f1a2b3c4d5e");
    private static readonly string OutTradeNo = OrderId.ToString("N");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 16, 30, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static CheckoutRequest Checkout(string currency = "CNY", long amount = 8800) => new(
        OrderId, Guid.NewGuid(), "creator", BillingCycle.Monthly, currency, amount, amount, "CommerceOS Creator – 月付", 0, null, null,
        "https://app.example.com/billing/done", "https://app.example.com/billing", "https://app.example.com/webhooks/alipay", "zh-CN",
        Now.AddMinutes(30));

    private static List<KeyValuePair<string, string>> PaidNotice(string? amount = "88.00", string appId = FakeAlipayServer.AppId, string seller = FakeAlipayServer.SellerId,
        string outTradeNo = "", string status = "TRADE_SUCCESS", string? gmtPayment = "2026-11-30 00:31:07") =>
    [
        new("gmt_create", "2026-11-30 00:30:40"),
        new("charset", "utf-8"),
        new("seller_email", "shop@example.com"),
        new("subject", "CommerceOS Creator – 月付"),
        new("buyer_id", "2088102177000000"),
        new("invoice_amount", amount ?? ""),
        new("notify_id", "2026113000222003107000000000000001"),
        new("fund_bill_list", """[{"amount":"88.00","fundChannel":"ALIPAYACCOUNT"}]"""),
        new("notify_type", "trade_status_sync"),
        new("trade_status", status),
        new("receipt_amount", amount ?? ""),
        new("app_id", appId),
        new("buyer_pay_amount", amount ?? ""),
        new("notify_time", "2026-11-30 00:31:08"),
        new("point_amount", "0.00"),
        new("total_amount", amount ?? ""),
        new("gmt_payment", gmtPayment ?? ""),
        new("trade_no", "2026113022001400000000000001"),
        new("auth_app_id", appId),
        new("seller_id", seller),
        new("version", "1.0"),
        new("out_trade_no", outTradeNo.Length == 0 ? OutTradeNo : outTradeNo),
        new("passback_params", ""),
    ];

    private static WebhookDelivery Delivery(byte[] body, string? contentType = "application/x-www-form-urlencoded; charset=utf-8") =>
        new(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), contentType, Now);

    [Fact]
    public async Task Registers_only_when_the_app_id_and_both_keys_are_set()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        var settings = AlipayKeys.Settings(fake);
        await using (var configured = new AlipayScope(TimeProvider.System, settings))
        {
            var gateway = configured.Gateway;
            Assert.Equal(["CNY"], gateway.Currencies);
            Assert.False(gateway.Recurring);
        }

        settings.Remove("Billing:Alipay:AlipayPublicKeyPem");
        await using var missing = new AlipayScope(TimeProvider.System, settings);
        Assert.Empty(missing.Services.GetServices<IPaymentGateway>());
    }

    [Fact]
    public async Task Start_fails_the_host_on_a_key_that_is_not_a_key()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        var settings = AlipayKeys.Settings(fake).With("Billing:Alipay:AppPrivateKeyPem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----");
        var message = await ConfiguredHost.StartFailureAsync(settings, (services, configuration) => services.AddAlipayGateway(configuration));
        Assert.Contains("AppPrivateKeyPem", message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Page_pay_url_is_signed_with_the_app_key_and_carries_every_parameter(bool pkcs1)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake, pkcs1: pkcs1));

        var start = await scope.Gateway.StartCheckoutAsync(Checkout(), Token);

        Assert.Equal(CheckoutPresentation.Redirect, start.Presentation);
        Assert.Equal(OutTradeNo, start.Reference);
        Assert.StartsWith($"{fake.BaseUrl}/gateway.do?", start.Url, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(start.Url).Query).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        Assert.True(fake.CheckRequest(query));
        Assert.Equal(
            ["app_id", "biz_content", "charset", "format", "method", "notify_url", "return_url", "sign", "sign_type", "timestamp", "version"],
            query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(FakeAlipayServer.AppId, query["app_id"]);
        Assert.Equal("alipay.trade.page.pay", query["method"]);
        Assert.Equal("JSON", query["format"]);
        Assert.Equal("utf-8", query["charset"]);
        Assert.Equal("RSA2", query["sign_type"]);
        Assert.Equal("2026-11-30 00:30:00", query["timestamp"]);
        Assert.Equal("1.0", query["version"]);
        Assert.Equal("https://app.example.com/webhooks/alipay", query["notify_url"]);
        Assert.Equal("https://app.example.com/billing/done", query["return_url"]);
        var biz = (JsonObject)JsonNode.Parse(query["biz_content"])!;
        Assert.Equal(["out_trade_no", "product_code", "subject", "time_expire", "total_amount"], biz.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal(OutTradeNo, biz["out_trade_no"]!.GetValue<string>());
        Assert.Equal("88.00", biz["total_amount"]!.GetValue<string>());
        Assert.Equal("CommerceOS Creator – 月付", biz["subject"]!.GetValue<string>());
        Assert.Equal("FAST_INSTANT_TRADE_PAY", biz["product_code"]!.GetValue<string>());
        Assert.Equal("2026-11-30 01:00:00", biz["time_expire"]!.GetValue<string>());

        // The cashier itself accepts it; a changed amount no longer verifies.
        var client = scope.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        Assert.Contains("收银台", await client.GetStringAsync(new Uri(start.Url), Token), StringComparison.Ordinal);
        query["biz_content"] = query["biz_content"].Replace("88.00", "0.01", StringComparison.Ordinal);
        Assert.False(fake.CheckRequest(query));
    }

    [Theory]
    [InlineData(1, "0.01")]
    [InlineData(12345, "123.45")]
    [InlineData(10000000000, "100000000.00")]
    public async Task Amounts_are_yuan_with_two_decimals(long fen, string yuan)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));
        var start = await scope.Gateway.StartCheckoutAsync(Checkout(amount: fen), Token);
        var biz = JsonNode.Parse(QueryHelpers.ParseQuery(new Uri(start.Url).Query)["biz_content"].ToString())!;
        Assert.Equal(yuan, biz["total_amount"]!.GetValue<string>());
    }

    [Fact]
    public async Task Checkout_in_another_currency_or_amount_is_refused()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));
        await Assert.ThrowsAsync<ArgumentException>(() => scope.Gateway.StartCheckoutAsync(Checkout(currency: "USD"), Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => scope.Gateway.StartCheckoutAsync(Checkout(amount: 0), Token));
    }

    [Fact]
    public async Task A_valid_notification_is_accepted_and_answered_success()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));

        var result = scope.Gateway.Verify(Delivery(fake.Notify(PaidNotice())));

        Assert.True(result.Accepted, result.Refusal);
        var verified = result.Event!;
        Assert.Equal(PaymentGateways.Alipay, verified.Gateway);
        Assert.Equal("2026113000222003107000000000000001", verified.EventId);
        Assert.Equal("TRADE_SUCCESS", verified.Type);
        Assert.Equal(PaymentEventKind.OrderPaid, verified.Kind);
        Assert.Equal(OrderId, verified.OrderId);
        Assert.Equal(8800, verified.AmountMinor);
        Assert.Equal("CNY", verified.Currency);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 16, 31, 7, TimeSpan.Zero), verified.OccurredAt);
        Assert.Null(verified.SubscriptionId);

        var reply = scope.Gateway.Reply(true);
        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("text/plain", reply.ContentType);
        Assert.Equal("success"u8.ToArray(), Encoding.UTF8.GetBytes(reply.Body!));
        var refused = scope.Gateway.Reply(false);
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("fail", refused.Body);
    }

    [Theory]
    [InlineData("TRADE_FINISHED", PaymentEventKind.OrderPaid)]
    [InlineData("TRADE_CLOSED", PaymentEventKind.OrderClosed)]
    [InlineData("WAIT_BUYER_PAY", PaymentEventKind.Ignored)]
    public async Task Trade_status_decides_the_kind(string status, PaymentEventKind kind)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));

        var result = scope.Gateway.Verify(Delivery(fake.Notify(PaidNotice(status: status, gmtPayment: null))));

        Assert.True(result.Accepted, result.Refusal);
        Assert.Equal(kind, result.Event!.Kind);
        Assert.Equal(status, result.Event.Type);
        // Without gmt_payment the notification time is when it happened.
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 16, 31, 8, TimeSpan.Zero), result.Event.OccurredAt);
    }

    [Fact]
    public async Task Eight_identical_deliveries_verify_to_one_event_id()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));
        var body = fake.Notify(PaidNotice());

        var ids = Enumerable.Range(0, 8).Select(_ => scope.Gateway.Verify(Delivery(body))).Select(result => result.Event?.EventId).ToList();

        Assert.All(ids, Assert.NotNull);
        Assert.Single(ids.Distinct());
    }

    public static TheoryData<string> Tampered() =>
    [
        "wrong signature", "signed with the app key", "amount changed after signing", "wrong app_id", "wrong seller_id", "missing sign",
        "non-hex out_trade_no", "amount 1e3", "amount -1", "amount 0.001", "amount 0", "duplicate total_amount", "percent garbage %zz",
        "percent truncated", "percent truncated utf-8", "not utf-8", "pair without equals", "json content type", "empty body", "sign_type RSA",
        "charset gbk", "missing notify_id", "missing notify_time",
    ];

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task Tampered_or_foreign_notifications_are_refused(string tampering)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));
        var contentType = "application/x-www-form-urlencoded; charset=utf-8";
        var valid = Encoding.UTF8.GetString(fake.Notify(PaidNotice()));
        var body = tampering switch
        {
            "wrong signature" => Encoding.UTF8.GetBytes(FlipSign(valid)),
            "signed with the app key" => fake.Notify(PaidNotice(), AlipayKeys.App),
            "amount changed after signing" => Encoding.UTF8.GetBytes(valid.Replace("total_amount=88.00", "total_amount=8800.00", StringComparison.Ordinal)),
            "wrong app_id" => fake.Notify(PaidNotice(appId: "2021004199999999")),
            "wrong seller_id" => fake.Notify(PaidNotice(seller: "2088109999999999")),
            "missing sign" => Encoding.UTF8.GetBytes(valid[..valid.IndexOf("&sign=", StringComparison.Ordinal)]),
            "non-hex out_trade_no" => fake.Notify(PaidNotice(outTradeNo: "7d0c6a2e5b1f4c3a9e8d0f1a2b3c4dzz")),
            "amount 1e3" => fake.Notify(PaidNotice(amount: "1e3")),
            "amount -1" => fake.Notify(PaidNotice(amount: "-1")),
            "amount 0.001" => fake.Notify(PaidNotice(amount: "0.001")),
            "amount 0" => fake.Notify(PaidNotice(amount: "0.00")),
            "duplicate total_amount" => fake.Notify([.. PaidNotice(), new("total_amount", "88.00")]),
            "percent garbage %zz" => Encoding.UTF8.GetBytes(valid.Replace("subject=", "subject=%zz", StringComparison.Ordinal)),
            "percent truncated" => Encoding.UTF8.GetBytes(valid + "&x=%4"),
            "percent truncated utf-8" => Encoding.UTF8.GetBytes(valid.Replace("subject=", "subject=%E4%B8", StringComparison.Ordinal)),
            "not utf-8" => [.. Encoding.UTF8.GetBytes(valid), (byte)'&', (byte)'x', (byte)'=', 0xFF, 0xFE],
            "pair without equals" => Encoding.UTF8.GetBytes(valid + "&orphan"),
            "json content type" => Encoding.UTF8.GetBytes(valid),
            "empty body" => [],
            "sign_type RSA" => Encoding.UTF8.GetBytes(valid.Replace("sign_type=RSA2", "sign_type=RSA", StringComparison.Ordinal)),
            "charset gbk" => fake.Notify([.. PaidNotice().Where(field => field.Key != "charset"), new("charset", "gbk")]),
            "missing notify_id" => fake.Notify([.. PaidNotice().Where(field => field.Key != "notify_id")]),
            "missing notify_time" => fake.Notify([.. PaidNotice(gmtPayment: null).Where(field => field.Key != "notify_time")]),
            _ => throw new ArgumentOutOfRangeException(nameof(tampering)),
        };
        if (tampering == "json content type")
        {
            contentType = "application/json";
        }

        var result = scope.Gateway.Verify(Delivery(body, contentType));

        Assert.False(result.Accepted);
        Assert.False(string.IsNullOrWhiteSpace(result.Refusal));
        Assert.DoesNotContain("2088", result.Refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(OutTradeNo, result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bytes_are_refused_without_throwing()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new FakeTimeProvider(Now), AlipayKeys.Settings(fake));
        var random = new Random(20261130);
        var valid = fake.Notify(PaidNotice());
        for (var i = 0; i < 300; i++)
        {
            var body = (byte[])valid.Clone();
            body[random.Next(body.Length)] = (byte)random.Next(256);
            var result = scope.Gateway.Verify(Delivery(body));
            Assert.False(result.Accepted && !body.AsSpan().SequenceEqual(valid) && result.Event!.AmountMinor != 8800);
        }

        var noise = new byte[512];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(noise);
            Assert.False(scope.Gateway.Verify(Delivery(noise)).Accepted);
        }
    }

    [Theory]
    [InlineData("TRADE_SUCCESS", GatewayStatuses.Paid)]
    [InlineData("TRADE_FINISHED", GatewayStatuses.Paid)]
    [InlineData("WAIT_BUYER_PAY", GatewayStatuses.Pending)]
    [InlineData("TRADE_CLOSED", GatewayStatuses.Closed)]
    public async Task Query_reads_the_trade(string tradeStatus, string status)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        fake.Trades[OutTradeNo] = new FakeTrade(tradeStatus, "88.00", tradeStatus.StartsWith("TRADE_S", StringComparison.Ordinal) || tradeStatus == "TRADE_FINISHED" ? "2026-11-30 00:31:07" : null);

        var state = await scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token);

        Assert.Equal(status, state.Status);
        Assert.Equal(OrderId, state.OrderId);
        Assert.Equal(8800, state.AmountMinor);
        Assert.Equal("CNY", state.Currency);
        Assert.Equal(status == GatewayStatuses.Paid ? new DateTimeOffset(2026, 11, 29, 16, 31, 7, TimeSpan.Zero) : null, state.PaidAt);
        var query = Assert.Single(fake.Queries);
        Assert.True(fake.CheckRequest(query));
        Assert.Equal("alipay.trade.query", query["method"]);
        Assert.Equal(OutTradeNo, JsonNode.Parse(query["biz_content"])!["out_trade_no"]!.GetValue<string>());
        Assert.False(query.ContainsKey("notify_url"));
    }

    [Fact]
    public async Task Query_of_a_trade_alipay_has_not_opened_is_pending()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));

        var state = await scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token);

        Assert.Equal(GatewayStatuses.Pending, state.Status);
        Assert.Equal(OrderId, state.OrderId);
        Assert.Null(state.AmountMinor);
    }

    [Fact]
    public async Task Query_answer_with_a_tampered_sign_is_transient()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        fake.Trades[OutTradeNo] = new FakeTrade("TRADE_SUCCESS", "88.00", "2026-11-30 00:31:07");
        fake.TamperResponseSign = true;

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task Query_signed_with_a_key_alipay_does_not_know_is_misconfigured()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        using var stranger = RSA.Create(2048);
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake, appKey: stranger));
        fake.Trades[OutTradeNo] = new FakeTrade("TRADE_SUCCESS", "88.00", "2026-11-30 00:31:07");

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
    }

    [Theory]
    [InlineData("20000", "Service Currently Unavailable", "isp.unknow-error", ProviderFailure.Transient)]
    [InlineData("40004", "Business Failed", "ACQ.SYSTEM_ERROR", ProviderFailure.Transient)]
    [InlineData("20001", "Insufficient Token Permissions", "aop.invalid-auth-token", ProviderFailure.Misconfigured)]
    [InlineData("40001", "Missing Required Arguments", "isv.missing-method", ProviderFailure.Misconfigured)]
    [InlineData("40006", "Insufficient Permissions", "isv.insufficient-isv-permissions", ProviderFailure.Misconfigured)]
    public async Task Query_codes_map_to_failures(string code, string msg, string subCode, ProviderFailure failure)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        fake.ForcedAnswers.Enqueue((code, msg, subCode));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token));

        Assert.Equal(failure, error.Failure);
    }

    [Fact]
    public async Task Query_goes_again_after_a_5xx_and_a_timeout()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        fake.Trades[OutTradeNo] = new FakeTrade("TRADE_SUCCESS", "88.00", "2026-11-30 00:31:07");
        fake.QueryFaults.Enqueue(Faults.Status(502, "<html>Bad Gateway</html>"));
        fake.QueryFaults.Enqueue(Hang);

        var state = await scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token);

        Assert.Equal(GatewayStatuses.Paid, state.Status);
        Assert.Equal(3, fake.Queries.Count);
    }

    [Fact]
    public async Task Query_that_never_answers_is_transient()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        fake.AlwaysOnQuery = Hang;

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Equal(4, fake.Queries.Count);
    }

    [Theory]
    [InlineData("""{"alipay_trade_query_response":{"code":"10000","msg":"Succ""")]
    [InlineData("<html><body>502</body></html>")]
    [InlineData("""{"sign":"abc"}""")]
    [InlineData("""{"alipay_trade_query_response":{"code":"10000"},"alipay_trade_query_response":{"code":"10000"},"sign":"abc"}""")]
    public async Task Malformed_query_answers_are_transient(string body)
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        fake.QueryFaults.Enqueue(Faults.Status(200, body));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, OrderId), Token));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task What_alipay_does_not_have_is_not_supported_or_empty()
    {
        await using var fake = await AlipayKeys.StartFakeAsync();
        await using var scope = new AlipayScope(new TestClock(), AlipayKeys.Settings(fake));
        var gateway = scope.Gateway;

        await Assert.ThrowsAsync<NotSupportedException>(() => gateway.FetchAsync(new GatewayObject("sub_1", null), Token));
        await Assert.ThrowsAsync<NotSupportedException>(() => gateway.ChangeSubscriptionAsync(new SubscriptionChange("sub_1", "business", BillingCycle.Monthly, "CNY", 100, null, Guid.NewGuid()), Token));
        Assert.Empty(await gateway.ListUndeliveredAsync(Now.AddDays(-30), Token));
        Assert.Null(await gateway.PortalUrlAsync("2088", "https://app.example.com", Token));
        await gateway.DeleteCustomerAsync("2088", Token);
        Assert.Empty(fake.Queries);
    }

    /// <summary>Holds the request far past the 5 s attempt deadline (50 ms of real time at the test clock's speed).</summary>
    private static async Task Hang(Microsoft.AspNetCore.Http.HttpContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as intended.
        }
    }

    private static string FlipSign(string body)
    {
        var at = body.IndexOf("&sign=", StringComparison.Ordinal) + 6;
        return string.Concat(body.AsSpan(0, at), body[at] == 'A' ? "B" : "A", body.AsSpan(at + 1));
    }
}
