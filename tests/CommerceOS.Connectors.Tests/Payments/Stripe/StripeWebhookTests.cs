using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Payments.Stripe;

public sealed class StripeWebhookTests : IAsyncLifetime
{
    private static readonly Guid Order = Guid.Parse("7d0c5a1e-3b2f-4c6d-8e9f-0a1b2c3d4e5f");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeStripeServer _fake = null!;
    private StripeScope _scope = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeStripeServer.StartAsync(_clock);
        _scope = new StripeScope(_clock, StripeScope.Settings(_fake));
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private IPaymentGateway Gateway => _scope.Gateway;

    private long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    private static byte[] Event(string type, JsonObject data, string id = "evt_1QabcDEF", long created = 1_795_000_000) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["api_version"] = "2025-03-31.basil",
            ["created"] = created,
            ["type"] = type,
            ["livemode"] = false,
            ["data"] = new JsonObject { ["object"] = data },
        }.ToJsonString());

    private WebhookVerification Deliver(byte[] body, string secret = StripeScope.Secret, long? t = null) =>
        Gateway.Verify(StripeSigning.Delivery(body, StripeSigning.Header(body, secret, t ?? Now), _clock.GetUtcNow()));

    [Fact]
    public void Verify_AcceptsAValidSignature_AndTheSecondRotationSecret()
    {
        var body = Event("customer.subscription.updated", new JsonObject { ["id"] = "sub_1", ["object"] = "subscription" });

        var primary = Deliver(body);
        var rotated = Deliver(body, StripeScope.RotatedSecret);
        var unknown = Deliver(body, "whsec_someone_else");

        Assert.True(primary.Accepted, primary.Refusal);
        Assert.True(rotated.Accepted, rotated.Refusal);
        Assert.Equal("evt_1QabcDEF", primary.Event!.EventId);
        Assert.False(unknown.Accepted);
        Assert.Equal("Signature does not match.", unknown.Refusal);
    }

    [Fact]
    public void Verify_AcceptsAnyOfSeveralV1_AndIgnoresV0()
    {
        var body = Event("invoice.paid", new JsonObject { ["id"] = "in_1", ["subscription"] = "sub_1" });
        var header = $"t={Now},v1={new string('0', 64)},v0={StripeSigning.Sign(body, StripeScope.Secret, Now)},v1={StripeSigning.Sign(body, StripeScope.RotatedSecret, Now)}";
        var onlyV0 = $"t={Now},v0={StripeSigning.Sign(body, StripeScope.Secret, Now)}";

        Assert.True(Gateway.Verify(StripeSigning.Delivery(body, header, _clock.GetUtcNow())).Accepted);
        var refused = Gateway.Verify(StripeSigning.Delivery(body, onlyV0, _clock.GetUtcNow()));
        Assert.Equal("Stripe-Signature has no v1 signature.", refused.Refusal);
    }

    [Fact]
    public void Verify_RefusesSignedButBrokenBodies_WithoutThrowing()
    {
        foreach (var text in (string[])["{\"id\":", "[]", "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1}", "\"x\"", "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":\"1\",\"data\":{\"object\":{}}}"])
        {
            var body = Encoding.UTF8.GetBytes(text);
            var verification = Deliver(body);
            Assert.False(verification.Accepted, text);
            Assert.DoesNotContain(text, verification.Refusal!, StringComparison.Ordinal);
        }

        var invalidUtf8 = new byte[] { 0x7B, 0xFF, 0xFE, 0x7D };
        Assert.Equal("Body is not valid JSON.", Deliver(invalidUtf8).Refusal);
    }

    /// <summary>
    /// security-privacy.md §3 W-rows: 1,000 tampered or replayed deliveries from a seeded generator are all refused, while
    /// correctly signed ones anywhere within ±300 s are all accepted.
    /// </summary>
    [Fact]
    public void Verify_ThousandTamperedDeliveries_AllRefused_AndValidOnesWithinTolerance_AllAccepted()
    {
        var random = new Random(20261130);
        var now = Now;
        var accepted = new List<string>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var body = Event(
                i % 2 == 0 ? "invoice.paid" : "customer.subscription.updated",
                new JsonObject { ["id"] = $"sub_{i}", ["subscription"] = $"sub_{i}", ["amount_paid"] = random.Next(100, 100_000), ["currency"] = "usd" },
                id: $"evt_{i:D6}",
                created: now - random.Next(0, 100));
            var t = now - random.Next(-300, 301);
            var kind = (i % 8) switch
            {
                0 => "bit-flip",
                1 => "wrong-secret",
                2 => "too-old",
                3 => "too-new",
                4 => "missing-header",
                5 => "no-v1",
                6 => "reserialised",
                _ => "garbage",
            };
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var delivered = body;
            string? header = StripeSigning.Header(body, StripeScope.Secret, t);
            switch (kind)
            {
                case "bit-flip":
                    delivered = (byte[])body.Clone();
                    delivered[random.Next(delivered.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case "wrong-secret":
                    header = StripeSigning.Header(body, "whsec_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), t);
                    break;
                case "too-old":
                    header = StripeSigning.Header(body, StripeScope.Secret, now - 301 - Beyond(random));
                    break;
                case "too-new":
                    header = StripeSigning.Header(body, StripeScope.Secret, now + 301 + Beyond(random));
                    break;
                case "missing-header":
                    header = null;
                    break;
                case "no-v1":
                    header = $"t={t},v0={StripeSigning.Sign(body, StripeScope.Secret, t)}";
                    break;
                case "reserialised":
                    delivered = Encoding.UTF8.GetBytes(JsonNode.Parse(body)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                    break;
                default:
                    var garbage = new byte[random.Next(0, 200)];
                    random.NextBytes(garbage);
                    header = Encoding.Latin1.GetString(garbage);
                    break;
            }

            var verification = Gateway.Verify(StripeSigning.Delivery(delivered, header, _clock.GetUtcNow()));
            if (verification.Accepted)
            {
                accepted.Add($"{i} {kind}");
            }

            Assert.False(string.IsNullOrWhiteSpace(verification.Refusal) && !verification.Accepted);
        }

        Assert.Empty(accepted);
        Assert.All(kinds.Values, count => Assert.Equal(125, count));

        var refusedValid = new List<long>();
        for (var i = 0; i < 601; i++)
        {
            var delta = i - 300;
            var body = Event("checkout.session.completed", new JsonObject { ["id"] = $"cs_{i}", ["client_reference_id"] = Order.ToString("N") }, id: $"evt_ok_{i}");
            var secret = i % 2 == 0 ? StripeScope.Secret : StripeScope.RotatedSecret;
            if (!Deliver(body, secret, now + delta).Accepted)
            {
                refusedValid.Add(delta);
            }
        }

        Assert.Empty(refusedValid);
    }

    /// <summary>Half exactly one second past the tolerance (the edge), half far past it.</summary>
    private static int Beyond(Random random) => random.Next(2) == 0 ? 0 : random.Next(1, 100_000);

    public static TheoryData<string, string, string?, string?, long?> Kinds() => new()
    {
        // type, object JSON, expected subscription id, expected customer, expected amount
        { "customer.subscription.created", """{"id":"sub_A","object":"subscription","customer":"cus_1","metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"}}""", "sub_A", "cus_1", null },
        { "customer.subscription.updated", """{"id":"sub_A","object":"subscription","customer":"cus_1","metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"}}""", "sub_A", "cus_1", null },
        { "customer.subscription.deleted", """{"id":"sub_A","object":"subscription","customer":{"id":"cus_1","object":"customer"},"metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"}}""", "sub_A", "cus_1", null },
        { "checkout.session.completed", """{"id":"cs_1","object":"checkout.session","client_reference_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f","subscription":"sub_A","customer":"cus_1","amount_total":19188,"currency":"usd"}""", "sub_A", "cus_1", 19188 },
        { "checkout.session.async_payment_succeeded", """{"id":"cs_1","object":"checkout.session","metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"},"subscription":"sub_A","customer":"cus_1","amount_total":19188,"currency":"usd"}""", "sub_A", "cus_1", 19188 },
        { "invoice.paid", """{"id":"in_1","object":"invoice","subscription":"sub_A","customer":"cus_1","amount_paid":19188,"currency":"usd","subscription_details":{"metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"}}}""", "sub_A", "cus_1", 19188 },
        { "invoice.payment_succeeded", """{"id":"in_1","object":"invoice","customer":"cus_1","amount_paid":19188,"currency":"usd","parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_A","metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"}}}}""", "sub_A", "cus_1", 19188 },
        { "invoice.payment_failed", """{"id":"in_1","object":"invoice","subscription":"sub_A","customer":"cus_1","amount_paid":0,"currency":"usd","subscription_details":{"metadata":{"order_id":"7d0c5a1e3b2f4c6d8e9f0a1b2c3d4e5f"}}}""", "sub_A", "cus_1", 0 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Verify_MapsEachSubscriptionKind(string type, string objectJson, string? subscription, string? customer, long? amount)
    {
        var body = Event(type, JsonNode.Parse(objectJson)!.AsObject());

        var verification = Deliver(body);

        Assert.True(verification.Accepted, verification.Refusal);
        var evt = verification.Event!;
        Assert.Equal(PaymentEventKind.SubscriptionChanged, evt.Kind);
        Assert.Equal(PaymentGateways.Stripe, evt.Gateway);
        Assert.Equal(type, evt.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_000_000), evt.OccurredAt);
        Assert.Equal(Order, evt.OrderId);
        Assert.Equal(subscription, evt.SubscriptionId);
        Assert.Equal(customer, evt.CustomerId);
        Assert.Equal(amount, evt.AmountMinor);
        Assert.Equal(amount is null ? null : "USD", evt.Currency);
    }

    [Theory]
    [InlineData("charge.refunded")]
    [InlineData("invoice.payment_action_required")]
    [InlineData("customer.created")]
    public void Verify_OtherKinds_AreIgnored(string type)
    {
        var verification = Deliver(Event(type, new JsonObject { ["id"] = "x_1", ["subscription"] = "sub_A", ["client_reference_id"] = Order.ToString("N") }));

        Assert.True(verification.Accepted);
        Assert.Equal(PaymentEventKind.Ignored, verification.Event!.Kind);
        Assert.Null(verification.Event.SubscriptionId);
    }

    [Fact]
    public void Reply_Is200WithoutBody_Or400()
    {
        Assert.Equal(new WebhookReply(200, null, null), Gateway.Reply(true));
        Assert.Equal(new WebhookReply(400, null, null), Gateway.Reply(false));
    }
}
