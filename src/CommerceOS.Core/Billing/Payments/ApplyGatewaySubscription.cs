using System.Globalization;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing.Payments;

/// <summary>
/// Makes a workspace's subscription what a self-renewing gateway (Stripe) says it is now: plan, cycle, period, trial,
/// cancellation and status, re-read at the gateway whatever event triggered it, so events in any order end in the
/// gateway's state. A first active or trialing state pays the order that started it; each paid period is invoiced once.
/// The subscription row is locked (a guarding update: PostgreSQL's row lock, SQLite's write lock) before the state is read and
/// until it is applied, so two events of one subscription never apply an older answer over a newer one.
/// </summary>
public sealed class ApplyGatewaySubscription(AppDbContext db, WorkspaceContext workspace, UsageLedger ledger, AuditLog audit, TimeProvider time)
{
    private static readonly string[] Keeps = ["trialing", "active", "past_due"];
    private static readonly string[] Ends = ["canceled", "unpaid", "incomplete_expired"];

    /// <summary>What was done, or null when no workspace has this subscription or order.</summary>
    /// <param name="target">What the event named: the gateway's subscription id and, for a first subscription, our order.</param>
    public async Task<string?> HandleAsync(IPaymentGateway gateway, GatewayObject target, PaymentInboxEntry? entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(target);
        var workspaceId = await FindWorkspaceAsync(gateway.Id, target.SubscriptionId, target.OrderId, cancellationToken);
        if (workspaceId is null)
        {
            // An event naming only a subscription we have not stored yet: its metadata names the order that started it.
            var probe = await gateway.FetchAsync(target, cancellationToken);
            workspaceId = await FindWorkspaceAsync(gateway.Id, probe.SubscriptionId, probe.OrderId, cancellationToken);
        }

        if (workspaceId is not { } id)
        {
            return null;
        }

        workspace.Set(id, null, WorkspaceRole.Owner);
        var now = time.GetUtcNow().UtcDateTime;
        await ledger.CurrentSubscriptionAsync(id, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A write as the transaction's first statement: PostgreSQL locks the row, SQLite takes its one write lock (a read
        // first would let both events read before either writes).
        await db.Subscriptions.Where(s => s.WorkspaceId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.UpdatedAt, now), cancellationToken);

        // Read under the lock: a state read before it could be older than one another event has applied meanwhile.
        var state = await gateway.FetchAsync(target, cancellationToken);
        var orderId = target.OrderId ?? state.OrderId;
        var subscription = await db.Subscriptions.SingleAsync(s => s.WorkspaceId == id, cancellationToken);
        var plan = state.PlanCode is null ? null : await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Code == state.PlanCode, cancellationToken);
        string outcome;
        if (Keeps.Contains(state.Status) && plan is not null && plan.Code != PlanCatalog.Starter)
        {
            subscription.PlanCode = plan.Code;
            subscription.Cycle = state.Cycle ?? subscription.Cycle;
            subscription.Status = state.Status switch
            {
                "trialing" => SubscriptionStatus.Trialing,
                "past_due" => SubscriptionStatus.PastDue,
                _ => SubscriptionStatus.Active,
            };
            subscription.Gateway = gateway.Id;
            subscription.GatewaySubscriptionId = state.SubscriptionId;
            subscription.GatewayCustomerId = state.CustomerId ?? subscription.GatewayCustomerId;
            subscription.Currency = state.Currency?.ToUpperInvariant() ?? subscription.Currency;
            subscription.CurrentPeriodStart = state.PeriodStart?.UtcDateTime ?? subscription.CurrentPeriodStart;
            subscription.CurrentPeriodEnd = state.PeriodEnd?.UtcDateTime ?? subscription.CurrentPeriodEnd;
            subscription.TrialEndsAt = state.TrialEnd?.UtcDateTime;
            subscription.TrialUsed |= state.Status == "trialing";
            subscription.CancelAtPeriodEnd = state.CancelAtPeriodEnd;
            subscription.PaidThrough = null;
            subscription.PendingPlanCode = null;
            subscription.PendingCycle = null;
            outcome = "applied-" + state.Status;

            if (orderId is { } paidOrder)
            {
                await db.BillingOrders.Where(o => o.Id == paidOrder && o.Status != OrderStatus.Paid)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Paid).SetProperty(o => o.PaidAt, now), cancellationToken);
            }

            if (state.Status == "active" && state.AmountMinor is > 0 && state.SubscriptionId is { } subscriptionId)
            {
                await InvoiceOnceAsync(id, gateway.Id, subscriptionId, plan.Code, subscription, state, now, cancellationToken);
            }
        }
        else if (Ends.Contains(state.Status) && (subscription.GatewaySubscriptionId is null || subscription.GatewaySubscriptionId == state.SubscriptionId))
        {
            SubscriptionTerms.ToStarter(subscription);
            outcome = "ended-" + state.Status;
        }
        else
        {
            // incomplete, paused, or an old subscription that is no longer this workspace's: nothing to grant.
            outcome = "unchanged-" + state.Status;
        }

        subscription.UpdatedAt = now;
        FulfilOrder.Processed(entry, outcome, now);
        audit.Add(BillingAudit.PlanChanged, AuditOutcomes.Success, null, id, $"{gateway.Id}:{state.SubscriptionId}:{outcome}:{subscription.PlanCode}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.ApplyLimitsAsync(id, cancellationToken);
        return outcome;
    }

    private async Task InvoiceOnceAsync(Guid workspaceId, string gateway, string subscriptionId, string planCode, Subscription subscription, GatewayState state, DateTime now, CancellationToken cancellationToken)
    {
        var reference = Reference(subscriptionId, state.PeriodStart);
        if (await db.Invoices.AnyAsync(i => i.Gateway == gateway && i.GatewayReference == reference, cancellationToken))
        {
            return;
        }

        db.Invoices.Add(new Invoice
        {
            WorkspaceId = workspaceId,
            Number = await InvoiceNumbers.NextAsync(db, now, cancellationToken),
            Gateway = gateway,
            GatewayReference = reference,
            PlanCode = planCode,
            Cycle = subscription.Cycle,
            Currency = subscription.Currency ?? "USD",
            SubtotalMinor = state.AmountMinor!.Value,
            TotalMinor = state.AmountMinor.Value,
            PeriodStart = subscription.CurrentPeriodStart,
            PeriodEnd = subscription.CurrentPeriodEnd,
            IssuedAt = now,
        });
    }

    private async Task<Guid?> FindWorkspaceAsync(string gateway, string? subscriptionId, Guid? orderId, CancellationToken cancellationToken)
    {
#pragma warning disable RS0030 // The gateway's ids tell the workspace; the rest runs in it.
        if (orderId is { } order
            && await db.BillingOrders.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id == order && o.Gateway == gateway).Select(o => (Guid?)o.WorkspaceId).FirstOrDefaultAsync(cancellationToken) is { } fromOrder)
        {
            return fromOrder;
        }

        return subscriptionId is not null
            ? await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.Gateway == gateway && s.GatewaySubscriptionId == subscriptionId).Select(s => (Guid?)s.WorkspaceId).FirstOrDefaultAsync(cancellationToken)
            : null;
#pragma warning restore RS0030
    }

    /// <summary>One invoice per subscription period: the subscription id and the period's start.</summary>
    private static string Reference(string subscriptionId, DateTimeOffset? periodStart) =>
        $"{subscriptionId}:{(periodStart ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
}
