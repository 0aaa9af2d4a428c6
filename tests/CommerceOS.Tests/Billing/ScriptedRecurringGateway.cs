using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// A self-renewing gateway for the Core's own tests (Stripe's adapter has its fake server in Connectors.Tests): events are
/// HMAC-signed JSON naming a subscription, and <see cref="Current"/> is what the gateway says each subscription is now.
/// </summary>
public sealed class ScriptedRecurringGateway : IPaymentGateway
{
    public const string GatewayId = "scripted";
    public const string SignatureHeader = "X-Scripted-Signature";

    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("scripted-webhook-secret");

    public string Id => GatewayId;

    public IReadOnlyList<string> Currencies { get; } = ["USD"];

    public bool Recurring => true;

    public ConcurrentDictionary<string, GatewayState> Current { get; } = new();

    public ConcurrentQueue<SubscriptionChange> Changes { get; } = new();

    public Task<CheckoutStart> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CheckoutStart($"https://pay.example.com/{request.OrderId:N}", CheckoutPresentation.Redirect, $"cs_{request.OrderId:N}"));

    public static (byte[] Body, Dictionary<string, string> Headers) Event(string eventId, string subscriptionId, string type)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id = eventId, subscription = subscriptionId, type });
        return (body, new Dictionary<string, string> { [SignatureHeader] = Convert.ToHexStringLower(HMACSHA256.HashData(Secret, body)) });
    }

    public WebhookVerification Verify(WebhookDelivery delivery)
    {
        if (!delivery.Headers.TryGetValue(SignatureHeader, out var signature)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Secret, delivery.Body.Span)))))
        {
            return WebhookVerification.Refuse("bad signature");
        }

        using var json = JsonDocument.Parse(delivery.Body);
        var root = json.RootElement;
        return WebhookVerification.Accept(new VerifiedPaymentEvent(
            Id, root.GetProperty("id").GetString()!, root.GetProperty("type").GetString()!, PaymentEventKind.SubscriptionChanged,
            delivery.ReceivedAt, null, root.GetProperty("subscription").GetString(), null, null, null));
    }

    public WebhookReply Reply(bool accepted) => new(accepted ? 200 : 400, null, null);

    /// <summary>Held once: the next read takes the state of that moment, then waits for this before it answers.</summary>
    public Func<Task>? HoldNextAnswer { get; set; }

    public async Task<GatewayState> FetchAsync(GatewayObject target, CancellationToken cancellationToken)
    {
        var state = Current[target.SubscriptionId!];
        if (HoldNextAnswer is { } hold)
        {
            HoldNextAnswer = null;
            await hold();
        }

        return state;
    }

    public Task<IReadOnlyList<VerifiedPaymentEvent>> ListUndeliveredAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VerifiedPaymentEvent>>([]);

    public Task<GatewayState> ChangeSubscriptionAsync(SubscriptionChange change, CancellationToken cancellationToken)
    {
        Changes.Enqueue(change);
        var state = Current[change.SubscriptionId];
        state = change.CancelAtPeriodEnd is { } cancel ? state with { CancelAtPeriodEnd = cancel } : state;
        Current[change.SubscriptionId] = state;
        return Task.FromResult(state);
    }

    public Task<string?> PortalUrlAsync(string customerId, string returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult<string?>($"https://portal.example.com/{customerId}");

    public Task DeleteCustomerAsync(string customerId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A subscription as the gateway would report it.</summary>
    public static GatewayState State(string subscriptionId, Guid orderId, string status, string plan, DateTimeOffset periodStart, bool cancelAtPeriodEnd = false, long amount = 2_900) =>
        new(status, orderId, subscriptionId, "cus_" + subscriptionId, plan, BillingCycle.Monthly, amount, "USD", periodStart, periodStart.AddMonths(1),
            status == "trialing" ? periodStart.AddDays(7) : null, cancelAtPeriodEnd, null);
}
