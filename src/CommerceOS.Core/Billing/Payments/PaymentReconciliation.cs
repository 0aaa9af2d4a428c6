using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Billing.Payments;

/// <summary>
/// Repairs what webhooks missed (security-privacy.md §3.2 step 5): inbox rows left unprocessed are processed again; open
/// orders older than <see cref="BillingOptions.ReconcileAfter"/> are asked about at their gateway, and a payment found
/// there is stored and fulfilled as if its notification had come; self-renewing gateways list the events they could not
/// deliver. Old processed inbox rows are dropped after <see cref="BillingOptions.InboxRetention"/>. Idempotent: everything
/// goes through the inbox's once-per-event key and the order's guarded fulfilment.
/// </summary>
public sealed partial class PaymentReconciliation(
    IServiceScopeFactory scopes,
    PaymentGatewayRegistry gateways,
    ProcessPaymentEvent processor,
    IOptions<BillingOptions> options,
    TimeProvider time,
    ILogger<PaymentReconciliation> logger) : IRecurringSweep
{
    public const string SweepId = "billing-reconcile";
    public const int Batch = 200;

    /// <summary>Stripe lists undelivered events for 30 days; asking for 3 covers its retry window with room.</summary>
    public static readonly TimeSpan UndeliveredWindow = TimeSpan.FromDays(3);

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<PaymentReconciliation>(SweepId, r => r.RunAsync(CancellationToken.None), options.Value.ReconcileCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <summary>Returns how many events it stored or re-processed.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var repaired = 0;
        List<Guid> stale;
        List<BillingOrder> open;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            stale = await db.PaymentInbox.AsNoTracking()
                .Where(e => e.ProcessedAt == null && e.ReceivedAt < now.AddMinutes(-1))
                .OrderBy(e => e.ReceivedAt).Take(Batch).Select(e => e.Id).ToListAsync(cancellationToken);
            var askAfter = now - options.Value.ReconcileAfter;
#pragma warning disable RS0030 // A cross-tenant sweep over orders; each is handled by its id.
            open = await db.BillingOrders.IgnoreQueryFilters().AsNoTracking()
                .Where(o => o.Status == OrderStatus.Open && o.CreatedAt < askAfter)
                .OrderBy(o => o.CreatedAt).Take(Batch).ToListAsync(cancellationToken);
#pragma warning restore RS0030
            await db.PaymentInbox.Where(e => e.ProcessedAt != null && e.ReceivedAt < now - options.Value.InboxRetention).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var id in stale)
        {
            await processor.ProcessAsync(id, cancellationToken);
            repaired++;
        }

        foreach (var order in open)
        {
            repaired += await ReconcileOrderAsync(order, now, cancellationToken);
        }

        foreach (var gateway in gateways.All.Where(g => g.Recurring))
        {
            repaired += await UndeliveredAsync(gateway, cancellationToken);
        }

        return repaired;
    }

    private async Task<int> ReconcileOrderAsync(BillingOrder order, DateTime now, CancellationToken cancellationToken)
    {
        var gateway = gateways.Find(order.Gateway);
        if (gateway is null || gateway.Recurring)
        {
            // A self-renewing gateway's orders are paid through its subscription events (listed below).
            return 0;
        }

        GatewayState state;
        try
        {
            state = await gateway.FetchAsync(new GatewayObject(null, order.Id), cancellationToken);
        }
        catch (Exception e) when (e is ProviderException or HttpRequestException)
        {
            LogUnreachable(gateway.Id, order.Id);
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        if (state.Status == GatewayStatuses.Paid)
        {
            var verified = new VerifiedPaymentEvent(gateway.Id, $"reconcile-{order.Id:N}-paid", "reconcile.paid", PaymentEventKind.OrderPaid,
                state.PaidAt ?? new DateTimeOffset(now, TimeSpan.Zero), order.Id, null, state.CustomerId, state.AmountMinor, state.Currency);
            LogRepaired(gateway.Id, order.Id);
            return await scope.ServiceProvider.GetRequiredService<ReceiveWebhook>().StoreAsync(verified, ReceiveWebhook.SourceReconcile, cancellationToken) ? 1 : 0;
        }

        if (state.Status == GatewayStatuses.Closed || now > order.ExpiresAt.AddDays(1))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
#pragma warning disable RS0030 // Addressed by the order's id.
            await db.BillingOrders.IgnoreQueryFilters().Where(o => o.Id == order.Id && o.Status == OrderStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Closed), cancellationToken);
#pragma warning restore RS0030
        }

        return 0;
    }

    private async Task<int> UndeliveredAsync(IPaymentGateway gateway, CancellationToken cancellationToken)
    {
        IReadOnlyList<VerifiedPaymentEvent> missed;
        try
        {
            missed = await gateway.ListUndeliveredAsync(time.GetUtcNow() - UndeliveredWindow, cancellationToken);
        }
        catch (Exception e) when (e is ProviderException or HttpRequestException)
        {
            LogUnreachable(gateway.Id, Guid.Empty);
            return 0;
        }

        var stored = 0;
        foreach (var verified in missed)
        {
            await using var scope = scopes.CreateAsyncScope();
            stored += await scope.ServiceProvider.GetRequiredService<ReceiveWebhook>().StoreAsync(verified, ReceiveWebhook.SourceReconcile, cancellationToken) ? 1 : 0;
        }

        return stored;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: {Gateway} unreachable (order {OrderId})")]
    private partial void LogUnreachable(string gateway, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: order {OrderId} was paid at {Gateway} but never notified; fulfilling it")]
    private partial void LogRepaired(string gateway, Guid orderId);
}
