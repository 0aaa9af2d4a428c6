using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Billing.Payments;

/// <summary>What the webhook endpoint answers.</summary>
/// <param name="Stored">A new inbox row was written (false for a refusal or a duplicate).</param>
public sealed record WebhookOutcome(WebhookReply Reply, bool Accepted, bool Stored);

/// <summary>
/// The request path of a payment webhook (security-privacy.md §3.2): verify (signature, timestamp, app id, and for a paid
/// order the amount and currency against what we asked for), store once per gateway and event id, queue the processing,
/// answer. No business effect happens here, so it answers fast however slow the rest is.
/// </summary>
public sealed partial class ReceiveWebhook(
    AppDbContext db,
    PaymentGatewayRegistry gateways,
    IBackgroundJobClient hangfire,
    AuditLog audit,
    TimeProvider time,
    ILogger<ReceiveWebhook> logger)
{
    public const string SourceWebhook = "webhook";
    public const string SourceReconcile = "reconcile";

    /// <summary>Null when no such gateway is configured.</summary>
    public async Task<WebhookOutcome?> HandleAsync(string gatewayId, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var gateway = gateways.Find(gatewayId);
        if (gateway is null)
        {
            return null;
        }

        var verification = gateway.Verify(delivery);
        if (verification.Event is not { } verified)
        {
            LogRefused(gateway.Id, verification.Refusal ?? "refused");
            return new WebhookOutcome(gateway.Reply(false), false, false);
        }

        if (await MismatchAsync(gateway.Id, verified, cancellationToken) is { } mismatch)
        {
            // A verified message that does not match our order is either a bug or a forged "fake notification": refuse it,
            // record it for the operators, and let the gateway retry (reconciliation re-reads the order anyway).
            LogMismatch(gateway.Id, verified.EventId, mismatch);
            await audit.RecordAsync(BillingAudit.PaymentRejected, AuditOutcomes.Failure, target: $"{gateway.Id}:{verified.OrderId:N}:{mismatch}", cancellationToken: cancellationToken);
            return new WebhookOutcome(gateway.Reply(false), false, false);
        }

        var stored = await StoreAsync(verified, SourceWebhook, cancellationToken);
        return new WebhookOutcome(gateway.Reply(true), true, stored);
    }

    /// <summary>Inserts the event once (a duplicate is not an error) and queues its processing; true when it was new.</summary>
    public async Task<bool> StoreAsync(VerifiedPaymentEvent verified, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verified);
        if (await db.PaymentInbox.AnyAsync(e => e.Gateway == verified.Gateway && e.EventId == verified.EventId, cancellationToken))
        {
            return false;
        }

        var entry = new PaymentInboxEntry
        {
            Gateway = verified.Gateway,
            EventId = Cut(verified.EventId, 200),
            Type = Cut(verified.Type, 100),
            Kind = verified.Kind,
            OccurredAt = verified.OccurredAt.UtcDateTime,
            ReceivedAt = time.GetUtcNow().UtcDateTime,
            OrderId = verified.OrderId,
            SubscriptionId = verified.SubscriptionId is null ? null : Cut(verified.SubscriptionId, 120),
            CustomerId = verified.CustomerId is null ? null : Cut(verified.CustomerId, 120),
            AmountMinor = verified.AmountMinor,
            Currency = verified.Currency?.ToUpperInvariant(),
            Source = source,
        };
        db.PaymentInbox.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            db.Entry(entry).State = EntityState.Detached;
            return false;
        }

        // If this enqueue is lost (a crash right here), the reconciliation sweep processes the row anyway.
        hangfire.Enqueue<ProcessPaymentEvent>(p => p.ProcessAsync(entry.Id, CancellationToken.None));
        return true;
    }

    private async Task<string?> MismatchAsync(string gatewayId, VerifiedPaymentEvent verified, CancellationToken cancellationToken)
    {
        if (verified.OrderId is not { } orderId)
        {
            return null;
        }

#pragma warning disable RS0030 // A webhook has no workspace yet: the order it names tells which one.
        var order = await db.BillingOrders.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
#pragma warning restore RS0030
        if (order is null)
        {
            return verified.Kind is PaymentEventKind.OrderPaid or PaymentEventKind.OrderClosed ? "unknown-order" : null;
        }

        if (order.Gateway != gatewayId)
        {
            return "wrong-gateway";
        }

        if (verified.Kind != PaymentEventKind.OrderPaid)
        {
            return null;
        }

        return verified.AmountMinor != order.AmountMinor ? "amount"
            : verified.Currency is { } currency && !string.Equals(currency, order.Currency, StringComparison.OrdinalIgnoreCase) ? "currency"
            : null;
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook from {Gateway} refused: {Reason}")]
    private partial void LogRefused(string gateway, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Verified {Gateway} event {EventId} does not match our order ({Mismatch}): refused")]
    private partial void LogMismatch(string gateway, string eventId, string mismatch);
}
