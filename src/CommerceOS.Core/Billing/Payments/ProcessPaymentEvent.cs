using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Billing.Payments;

/// <summary>
/// Processes one inbox row (a Hangfire job; the reconciliation sweep re-runs rows left unprocessed). The event is only a
/// trigger: the order or subscription it names is re-read at the gateway and that answer is applied, so duplicates and
/// any delivery order end in the gateway's state. Exactly one effect per payment: an order turns Paid through a guarded
/// update, an invoice is unique per gateway reference, and the row is marked processed in the transaction of its effect.
/// </summary>
public sealed partial class ProcessPaymentEvent(IServiceScopeFactory scopes, PaymentGatewayRegistry gateways, TimeProvider time, ILogger<ProcessPaymentEvent> logger)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 30, 60, 300, 900])]
    public async Task ProcessAsync(Guid entryId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var entry = await db.PaymentInbox.FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is null || entry.ProcessedAt is not null)
        {
            return;
        }

        var gateway = gateways.Find(entry.Gateway);
        entry.Attempts++;
        await db.SaveChangesAsync(cancellationToken);
        if (gateway is null || entry.Kind == PaymentEventKind.Ignored)
        {
            await MarkAsync(db, entry, gateway is null ? "gateway-not-configured" : "ignored", cancellationToken);
            return;
        }

        var outcome = entry.Kind switch
        {
            PaymentEventKind.SubscriptionChanged when entry.SubscriptionId is not null => await SubscriptionAsync(scope.ServiceProvider, gateway, entry, cancellationToken),
            PaymentEventKind.OrderPaid or PaymentEventKind.OrderClosed or PaymentEventKind.SubscriptionChanged when entry.OrderId is not null => await OrderAsync(scope.ServiceProvider, gateway, entry, cancellationToken),
            _ => "nothing-named",
        };
        if (outcome is not null)
        {
            LogProcessed(entry.Gateway, entry.EventId, outcome);
        }
    }

    /// <summary>Re-reads an order at its gateway and fulfils or closes it. Null when the gateway does not know yet (processed again later).</summary>
    private async Task<string?> OrderAsync(IServiceProvider services, IPaymentGateway gateway, PaymentInboxEntry entry, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AppDbContext>();
#pragma warning disable RS0030 // The order tells the workspace; everything after runs in that workspace.
        var order = await db.BillingOrders.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(o => o.Id == entry.OrderId, cancellationToken);
#pragma warning restore RS0030
        if (order is null || order.Gateway != gateway.Id)
        {
            await MarkAsync(db, entry, "unknown-order", cancellationToken);
            return "unknown-order";
        }

        services.GetRequiredService<WorkspaceContext>().Set(order.WorkspaceId, null, WorkspaceRole.Owner);
        var state = await gateway.FetchAsync(new GatewayObject(null, order.Id), cancellationToken);
        switch (state.Status)
        {
            case GatewayStatuses.Paid:
                if (state.AmountMinor != order.AmountMinor || (state.Currency is { } currency && !string.Equals(currency, order.Currency, StringComparison.OrdinalIgnoreCase)))
                {
                    await services.GetRequiredService<AuditLog>().RecordAsync(
                        BillingAudit.PaymentRejected, AuditOutcomes.Failure, workspaceId: order.WorkspaceId, target: $"{gateway.Id}:{order.Id:N}:amount", cancellationToken: cancellationToken);
                    await MarkAsync(db, entry, "amount-mismatch", cancellationToken);
                    return "amount-mismatch";
                }

                var paidAt = state.PaidAt?.UtcDateTime ?? time.GetUtcNow().UtcDateTime;
                var fulfilled = await services.GetRequiredService<FulfilOrder>().HandleAsync(order.Id, paidAt, state.CustomerId, entry, cancellationToken);
                return fulfilled ? "fulfilled" : "already-fulfilled";

            case GatewayStatuses.Closed:
                await db.BillingOrders.Where(o => o.Id == order.Id && o.Status == OrderStatus.Open)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Closed), cancellationToken);
                await MarkAsync(db, entry, "closed", cancellationToken);
                return "closed";

            default:
                // The notification ran ahead of the gateway's own records: the sweep asks again.
                return null;
        }
    }

    private async Task<string> SubscriptionAsync(IServiceProvider services, IPaymentGateway gateway, PaymentInboxEntry entry, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var applied = await services.GetRequiredService<ApplyGatewaySubscription>().HandleAsync(gateway, new GatewayObject(entry.SubscriptionId, entry.OrderId), entry, cancellationToken);
        if (applied is null)
        {
            await MarkAsync(db, entry, "unknown-subscription", cancellationToken);
            return "unknown-subscription";
        }

        return applied;
    }

    private async Task MarkAsync(AppDbContext db, PaymentInboxEntry entry, string outcome, CancellationToken cancellationToken)
    {
        entry.ProcessedAt ??= time.GetUtcNow().UtcDateTime;
        entry.Outcome = outcome;
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment event {Gateway} {EventId}: {Outcome}")]
    private partial void LogProcessed(string gateway, string eventId, string outcome);
}
