using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CommerceOS.Connectors.Payments.Stripe;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Payments.Stripe;

/// <summary>The Stripe gateway built as the host builds it (AddStripeGateway over configuration), aimed at the fake.</summary>
public sealed class StripeScope : IAsyncDisposable
{
    public const string Secret = "whsec_test_primary_0b1f2e3d4c5b6a79";
    public const string RotatedSecret = "whsec_test_rotated_9a8b7c6d5e4f3021";

    private readonly ServiceProvider _services;

    public StripeScope(TimeProvider clock, Dictionary<string, string?> settings)
    {
        _services = Providers.Build(clock, settings, (services, configuration) => services.AddStripeGateway(configuration));
        Gateway = _services.GetServices<IPaymentGateway>().Single(gateway => gateway.Id == PaymentGateways.Stripe);
    }

    public IPaymentGateway Gateway { get; }

    public static Dictionary<string, string?> Settings(FakeStripeServer fake) => new()
    {
        ["Billing:Stripe:SecretKey"] = FakeStripeServer.SecretKey,
        ["Billing:Stripe:WebhookSecrets:0"] = Secret,
        ["Billing:Stripe:WebhookSecrets:1"] = RotatedSecret,
        ["Billing:Stripe:ApiBase"] = fake.BaseUrl,
        ["Billing:Stripe:ApiVersion"] = "2025-03-31.basil",
        // Far beyond any wait the tests step through with Drive, except where a test shortens it.
        ["Billing:Stripe:AttemptTimeout"] = "01:00:00",
    };

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class StripeSigning
{
    /// <summary>The header Stripe sends: <c>t=…,v1=hex(HMAC-SHA256(secret, t + "." + body))</c>, per §12.4.</summary>
    public static string Header(byte[] body, string secret, long t, params string[] extra)
    {
        var signature = Sign(body, secret, t);
        return string.Join(',', new[] { $"t={t.ToString(CultureInfo.InvariantCulture)}", $"v1={signature}" }.Concat(extra));
    }

    public static string Sign(byte[] body, string secret, long t)
    {
        var payload = Encoding.UTF8.GetBytes(t.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    public static WebhookDelivery Delivery(byte[] body, string? header, DateTimeOffset receivedAt)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
        if (header is not null)
        {
            headers["Stripe-Signature"] = header;
        }

        return new WebhookDelivery(body, headers, "application/json; charset=utf-8", receivedAt);
    }

    public static CheckoutRequest Checkout(DateTimeOffset now, int trialDays = 7, string? customerId = null, string? email = "seller@example.com", string currency = "USD") => new(
        Guid.Parse("7d0c5a1e-3b2f-4c6d-8e9f-0a1b2c3d4e5f"),
        Guid.Parse("11111111-2222-3333-4444-555555555555"),
        "creator",
        BillingCycle.Annual,
        currency,
        0,
        19_188,
        "CommerceOS Creator – annual",
        trialDays,
        customerId,
        email,
        "https://app.example.com/billing/done?session={CHECKOUT_SESSION_ID}",
        "https://app.example.com/billing",
        "https://app.example.com/webhooks/stripe",
        "zh-CN",
        now.AddHours(2));
}
