using System.Text.Json.Nodes;
using CommerceOS.Connectors.Payments.Stripe;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Payments.Stripe;

public sealed class StripeGatewayTests : IAsyncLifetime
{
    private const string Sessions = "/v1/checkout/sessions";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeStripeServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeStripeServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StripeScope Scope(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = StripeScope.Settings(_fake);
        configure?.Invoke(settings);
        return new StripeScope(_clock, settings);
    }

    private long Unix(int days) => _clock.GetUtcNow().AddDays(days).ToUnixTimeSeconds();

    /// <summary>A subscription in the shape of API 2025-03-31.basil (period on the item) or older (period at the top).</summary>
    private JsonObject Subscription(string id, bool periodOnItem, bool cancel = false)
    {
        var item = new JsonObject
        {
            ["id"] = "si_" + id,
            ["object"] = "subscription_item",
            ["price"] = new JsonObject { ["id"] = "price_1", ["product"] = "prod_creator", ["currency"] = "usd", ["unit_amount"] = 1900, ["recurring"] = new JsonObject { ["interval"] = "month" } },
        };
        var subscription = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["status"] = "trialing",
            ["customer"] = "cus_42",
            ["cancel_at_period_end"] = cancel,
            ["trial_end"] = Unix(7),
            ["metadata"] = new JsonObject { ["order_id"] = "7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f", ["plan"] = "creator", ["cycle"] = "monthly" },
            ["items"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(item) },
        };
        var target = periodOnItem ? item : subscription;
        target["current_period_start"] = Unix(0);
        target["current_period_end"] = Unix(30);
        _fake.Subscriptions[id] = subscription;
        return subscription;
    }

    [Fact]
    public async Task Checkout_PostsTheSessionForm_WithIdempotencyKey_AndAnswersTheRedirect()
    {
        await using var scope = Scope();
        var request = StripeSigning.Checkout(_clock.GetUtcNow());

        var start = await scope.Gateway.StartCheckoutAsync(request, Ct);

        var call = Assert.Single(_fake.CallsTo("POST", Sessions));
        Assert.StartsWith("application/x-www-form-urlencoded", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("checkout-7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f", call.IdempotencyKey);
        Assert.Equal("2025-03-31.basil", call.StripeVersion);
        var expected = new Dictionary<string, string>
        {
            ["mode"] = "subscription",
            ["line_items[0][price_data][currency]"] = "usd",
            ["line_items[0][price_data][unit_amount]"] = "19188",
            ["line_items[0][price_data][recurring][interval]"] = "year",
            ["line_items[0][price_data][product_data][name]"] = "CommerceOS Creator – annual",
            ["line_items[0][quantity]"] = "1",
            ["subscription_data[trial_period_days]"] = "7",
            ["subscription_data[metadata][order_id]"] = "7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f",
            ["subscription_data[metadata][workspace_id]"] = "11111111222233334444555555555555",
            ["subscription_data[metadata][plan]"] = "creator",
            ["subscription_data[metadata][cycle]"] = "annual",
            ["metadata[order_id]"] = "7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f",
            ["client_reference_id"] = "7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f",
            ["customer_email"] = "seller@example.com",
            ["success_url"] = "https://app.example.com/billing/done?session={CHECKOUT_SESSION_ID}",
            ["cancel_url"] = "https://app.example.com/billing",
            ["locale"] = "zh",
            ["expires_at"] = _clock.GetUtcNow().AddHours(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.Equal(expected.OrderBy(pair => pair.Key), call.Form.OrderBy(pair => pair.Key));
        var session = Assert.Single(_fake.Sessions.Values);
        Assert.Equal(session["id"]!.GetValue<string>(), start.Reference);
        Assert.Equal(session["url"]!.GetValue<string>(), start.Url);
        Assert.Equal(CheckoutPresentation.Redirect, start.Presentation);
    }

    [Fact]
    public async Task Checkout_WithoutTrial_AndAKnownCustomer_SendsCustomerOnly_AndNoTrial()
    {
        await using var scope = Scope();

        await scope.Gateway.StartCheckoutAsync(StripeSigning.Checkout(_clock.GetUtcNow(), trialDays: 0, customerId: "cus_42") with { Locale = "en" }, Ct);

        var form = Assert.Single(_fake.CallsTo("POST", Sessions)).Form;
        Assert.Equal("cus_42", form["customer"]);
        Assert.False(form.ContainsKey("customer_email"));
        Assert.False(form.ContainsKey("subscription_data[trial_period_days]"));
        Assert.Equal("en", form["locale"]);
    }

    [Fact]
    public async Task Checkout_SameOrderTwice_IsReplayed_ButOtherParametersUnderTheSameKey_AreRejected()
    {
        await using var scope = Scope();
        var request = StripeSigning.Checkout(_clock.GetUtcNow());

        var first = await scope.Gateway.StartCheckoutAsync(request, Ct);
        var again = await scope.Gateway.StartCheckoutAsync(request, Ct);
        var changed = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.StartCheckoutAsync(request with { RecurringAmountMinor = 1 }, Ct));

        Assert.Equal(first, again);
        Assert.Single(_fake.Sessions);
        Assert.Equal(ProviderFailure.Rejected, changed.Failure);
        Assert.Contains("idempotency_error", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkout_WithAWrongKey_IsMisconfigured_AndACurrencyStripeIsNotSetUpFor_IsRejectedBeforeSending()
    {
        await using var scope = Scope(settings => settings["Billing:Stripe:SecretKey"] = "sk_test_wrong");
        await using var right = Scope();

        var refused = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.StartCheckoutAsync(StripeSigning.Checkout(_clock.GetUtcNow()), Ct));
        var currency = await Assert.ThrowsAsync<ProviderException>(() => right.Gateway.StartCheckoutAsync(StripeSigning.Checkout(_clock.GetUtcNow(), currency: "EUR"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, refused.Failure);
        Assert.DoesNotContain("sk_test_wrong", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderFailure.Rejected, currency.Failure);
        Assert.Single(_fake.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fetch_ReadsTheSubscription_WithThePeriodAtTheTopOrOnTheItem(bool periodOnItem)
    {
        await using var scope = Scope();
        Subscription("sub_F", periodOnItem);

        var state = await scope.Gateway.FetchAsync(new GatewayObject("sub_F", null), Ct);

        Assert.Equal(
            new GatewayState(
                "trialing",
                Guid.Parse("7d0c5a1e-3b2f-4c6d-8e9f-0a1b2c3d4e5f"),
                "sub_F",
                "cus_42",
                "creator",
                BillingCycle.Monthly,
                1900,
                "USD",
                DateTimeOffset.FromUnixTimeSeconds(Unix(0)),
                DateTimeOffset.FromUnixTimeSeconds(Unix(30)),
                DateTimeOffset.FromUnixTimeSeconds(Unix(7)),
                false,
                null),
            state);
        Assert.Equal("GET", Assert.Single(_fake.Calls).Method);
    }

    [Fact]
    public async Task Fetch_ByOrderOnly_IsNotSupported_AndAMissingSubscription_IsRejected()
    {
        await using var scope = Scope();

        await Assert.ThrowsAsync<NotSupportedException>(() => scope.Gateway.FetchAsync(new GatewayObject(null, Guid.NewGuid()), Ct));
        var missing = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject("sub_gone", null), Ct));

        Assert.Equal(ProviderFailure.Rejected, missing.Failure);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task ListUndelivered_FollowsPages_SkipsDeliveredAndOlder_AndReachesBackThirtyDaysAtMost()
    {
        await using var scope = Scope();
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < 130; i++)
        {
            var evt = new JsonObject
            {
                ["id"] = $"evt_{i:D4}",
                ["object"] = "event",
                ["type"] = i % 3 == 0 ? "invoice.paid" : "customer.subscription.updated",
                ["created"] = now - (i * 60),
                ["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = $"sub_{i}", ["subscription"] = $"sub_{i}", ["object"] = "x" } },
            };
            _fake.Events.Enqueue((evt, Delivered: i % 10 == 9));
        }

        _fake.Events.Enqueue((new JsonObject { ["id"] = "evt_old", ["type"] = "invoice.paid", ["created"] = now - (31 * 86400), ["data"] = new JsonObject { ["object"] = new JsonObject() } }, false));

        var events = await scope.Gateway.ListUndeliveredAsync(_clock.GetUtcNow().AddDays(-90), Ct);

        Assert.Equal(117, events.Count);
        Assert.Equal(events.Count, events.Select(evt => evt.EventId).Distinct().Count());
        Assert.DoesNotContain(events, evt => evt.EventId == "evt_old" || evt.EventId == "evt_0009");
        var calls = _fake.CallsTo("GET", "/v1/events").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Equal("false", call.Query["delivery_success"]));
        Assert.All(calls, call => Assert.Equal(_clock.GetUtcNow().AddDays(-30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), call.Query["created[gte]"]));
        Assert.Equal("100", calls[0].Query["limit"]);
        Assert.False(calls[0].Query.ContainsKey("starting_after"));
        Assert.Equal(events[99].EventId, calls[1].Query["starting_after"]);
        var invoice = events.Single(evt => evt.EventId == "evt_0003");
        Assert.Equal(PaymentEventKind.SubscriptionChanged, invoice.Kind);
        Assert.Equal("sub_3", invoice.SubscriptionId);
    }

    [Fact]
    public async Task ChangePrice_ReadsTheItem_PostsPriceDataWithProration_AndAnswersTheNewState()
    {
        await using var scope = Scope();
        Subscription("sub_C", periodOnItem: true);
        var key = Guid.Parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

        var state = await scope.Gateway.ChangeSubscriptionAsync(new SubscriptionChange("sub_C", "business", BillingCycle.Annual, "USD", 47_988, null, key), Ct);

        var post = Assert.Single(_fake.CallsTo("POST", "/v1/subscriptions/sub_C"));
        Assert.Equal("change-aaaaaaaabbbbccccddddeeeeeeeeeeee", post.IdempotencyKey);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["items[0][id]"] = "si_sub_C",
                ["items[0][price_data][currency]"] = "usd",
                ["items[0][price_data][unit_amount]"] = "47988",
                ["items[0][price_data][recurring][interval]"] = "year",
                ["items[0][price_data][product]"] = "prod_creator",
                ["proration_behavior"] = "always_invoice",
                ["metadata[plan]"] = "business",
                ["metadata[cycle]"] = "annual",
            }.OrderBy(pair => pair.Key),
            post.Form.OrderBy(pair => pair.Key));
        Assert.Single(_fake.CallsTo("GET", "/v1/subscriptions/sub_C"));
        Assert.Equal(("business", BillingCycle.Annual, 47_988L), (state.PlanCode, state.Cycle, state.AmountMinor));
    }

    [Fact]
    public async Task Cancel_AndResume_SetCancelAtPeriodEnd_WithoutReadingFirst()
    {
        await using var scope = Scope();
        Subscription("sub_X", periodOnItem: false);

        var cancelled = await scope.Gateway.ChangeSubscriptionAsync(new SubscriptionChange("sub_X", null, null, null, null, true, Guid.NewGuid()), Ct);
        var resumed = await scope.Gateway.ChangeSubscriptionAsync(new SubscriptionChange("sub_X", null, null, null, null, false, Guid.NewGuid()), Ct);

        Assert.True(cancelled.CancelAtPeriodEnd);
        Assert.False(resumed.CancelAtPeriodEnd);
        Assert.Equal(["true", "false"], _fake.CallsTo("POST", "/v1/subscriptions/sub_X").Select(call => call.Form["cancel_at_period_end"]));
        Assert.Empty(_fake.CallsTo("GET", "/v1/subscriptions/sub_X"));
    }

    [Fact]
    public async Task Portal_AnswersTheSessionUrl()
    {
        await using var scope = Scope();
        _fake.Customers["cus_42"] = true;

        var url = await scope.Gateway.PortalUrlAsync("cus_42", "https://app.example.com/billing", Ct);

        Assert.StartsWith("https://billing.stripe.com/p/session/bps_", url, StringComparison.Ordinal);
        var form = Assert.Single(_fake.CallsTo("POST", "/v1/billing_portal/sessions")).Form;
        Assert.Equal("https://app.example.com/billing", form["return_url"]);
    }

    [Fact]
    public async Task DeleteCustomer_Deletes_AndAnAlreadyDeletedOne_CountsAsDone()
    {
        await using var scope = Scope();
        _fake.Customers["cus_42"] = true;

        await scope.Gateway.DeleteCustomerAsync("cus_42", Ct);
        await scope.Gateway.DeleteCustomerAsync("cus_42", Ct);

        Assert.Empty(_fake.Customers);
        Assert.Equal(2, _fake.CallsTo("DELETE", "/v1/customers/cus_42").Count());
    }

    [Fact]
    public async Task RateLimited_WithALongRetryAfter_IsHandedBackWithTheWait()
    {
        await using var scope = Scope();
        Subscription("sub_R", periodOnItem: false);
        _fake.Faults.Enqueue(Faults.Status(429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests"}}""", ("Retry-After", "120")));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject("sub_R", null), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task ServerErrorThenOk_OnCheckout_IsRetriedWithTheSameKey_AndCreatesOneSession()
    {
        await using var scope = Scope();
        _fake.Faults.Enqueue(Faults.Status(500, """{"error":{"type":"api_error","message":"boom"}}"""));

        var start = await _clock.Drive(scope.Gateway.StartCheckoutAsync(StripeSigning.Checkout(_clock.GetUtcNow()), Ct));

        var calls = _fake.CallsTo("POST", Sessions).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].IdempotencyKey, calls[1].IdempotencyKey);
        Assert.Equal(_fake.Sessions.Keys.Single(), start.Reference);
    }

    [Fact]
    public async Task ServerErrorWithStripeShouldRetryFalse_IsNotRepeated_AndIsTransient()
    {
        await using var scope = Scope();
        Subscription("sub_S", periodOnItem: false);
        _fake.Faults.Enqueue(Faults.Status(500, """{"error":{"type":"api_error"}}""", ("Stripe-Should-Retry", "false")));

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Gateway.FetchAsync(new GatewayObject("sub_S", null), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task PortalWithoutIdempotencyKey_IsNotRepeatedAfterA5xx()
    {
        await using var scope = Scope();
        _fake.Customers["cus_42"] = true;
        _fake.Faults.Enqueue(Faults.Status(502, "<html>bad gateway</html>"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Gateway.PortalUrlAsync("cus_42", "https://app.example.com/billing", Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task AnAttemptThatTimesOut_IsRetried_AndTheSecondAnswerCounts()
    {
        await using var scope = Scope(settings => settings["Billing:Stripe:AttemptTimeout"] = "00:00:10");
        Subscription("sub_T", periodOnItem: true);
        _fake.Faults.Enqueue(FakeStripeServer.Hang());

        var state = await _clock.Drive(scope.Gateway.FetchAsync(new GatewayObject("sub_T", null), Ct));

        Assert.Equal("sub_T", state.SubscriptionId);
        Assert.Equal(2, _fake.Calls.Count);
    }

    [Fact]
    public async Task MalformedJson_IsTransient()
    {
        await using var scope = Scope();
        _fake.Faults.Enqueue(Faults.MalformedJson());

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Gateway.FetchAsync(new GatewayObject("sub_M", null), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public void WithoutASecretKey_NoGatewayIsRegistered()
    {
        using var services = Providers.Build(_clock, new Dictionary<string, string?> { ["Billing:Stripe:ApiBase"] = _fake.BaseUrl }, (s, c) => s.AddStripeGateway(c));

        Assert.Empty(services.GetServices<IPaymentGateway>());
    }
}
