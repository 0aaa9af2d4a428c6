using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing.Payments;

/// <summary>
/// Grants what a paid order bought, once: the Open → Paid update is guarded, and the plan change, the invoice and the inbox
/// row's processed mark commit in one transaction. A new plan starts its period at the payment (or when a running trial
/// ends), an upgrade keeps the period (or starts one with a new cycle), a renewal extends what is paid for. Quotas follow
/// at once. Runs in the order's workspace.
/// </summary>
public sealed class FulfilOrder(AppDbContext db, UsageLedger ledger, AuditLog audit, TimeProvider time)
{
    public async Task<bool> HandleAsync(Guid orderId, DateTime paidAt, string? customerId, PaymentInboxEntry? entry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var order = await db.BillingOrders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken);
        // Settled before the transaction, so the period the order lands in is the current one.
        await ledger.CurrentSubscriptionAsync(order.WorkspaceId, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var won = await db.BillingOrders.Where(o => o.Id == orderId && o.Status != OrderStatus.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Paid).SetProperty(o => o.PaidAt, paidAt), cancellationToken);
        if (won == 0)
        {
            Processed(entry, "already-fulfilled", now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        var subscription = await db.Subscriptions.SingleAsync(s => s.WorkspaceId == order.WorkspaceId, cancellationToken);
        var (start, end) = Apply(order, subscription, paidAt);
        subscription.GatewayCustomerId = customerId ?? subscription.GatewayCustomerId;
        subscription.UpdatedAt = now;

        db.Invoices.Add(new Invoice
        {
            WorkspaceId = order.WorkspaceId,
            Number = await InvoiceNumbers.NextAsync(db, paidAt, cancellationToken),
            OrderId = order.Id,
            Gateway = order.Gateway,
            GatewayReference = order.Id.ToString("N"),
            PlanCode = order.PlanCode,
            Cycle = order.Cycle,
            Currency = order.Currency,
            SubtotalMinor = order.AmountMinor + order.CreditMinor,
            CreditMinor = order.CreditMinor,
            TotalMinor = order.AmountMinor,
            PeriodStart = start,
            PeriodEnd = end,
            IssuedAt = paidAt,
        });
        Processed(entry, "fulfilled", now);
        audit.Add(BillingAudit.PlanChanged, AuditOutcomes.Success, order.CreatedByUserId, order.WorkspaceId, $"{order.Gateway}:{order.Id:N}:{order.Kind}:{order.PlanCode}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.ApplyLimitsAsync(order.WorkspaceId, cancellationToken);
        return true;
    }

    /// <summary>The subscription's new terms; returns the period the payment covers.</summary>
    internal static (DateTime Start, DateTime End) Apply(BillingOrder order, Subscription s, DateTime paidAt)
    {
        var months = BillingPeriods.MonthsPerCycle(order.Cycle);
        s.Gateway = order.Gateway;
        s.Currency = order.Currency;
        var lapsed = s.PlanCode == PlanCatalog.Starter;
        if (order.Kind == OrderKind.Renew && !lapsed)
        {
            // The next period of the plan it will be: a pending downgrade stays pending until the boundary.
            var from = s.PaidThrough is { } through && through > paidAt ? through : s.CurrentPeriodEnd;
            s.PaidThrough = from.AddMonths(months);
            return (from, s.PaidThrough.Value);
        }

        s.CancelAtPeriodEnd = false;
        s.PendingPlanCode = null;
        s.PendingCycle = null;
        if (order.Kind == OrderKind.Subscribe && s.Status == SubscriptionStatus.Trialing && s.TrialEndsAt is { } trialEnd && trialEnd > paidAt)
        {
            // Paid during the trial: the trial runs out, then the paid period follows.
            s.PlanCode = order.PlanCode;
            s.Cycle = order.Cycle;
            s.PaidThrough = trialEnd.AddMonths(months);
            return (trialEnd, s.PaidThrough.Value);
        }

        if (order.Kind == OrderKind.Upgrade && !lapsed && order.Cycle == s.Cycle)
        {
            s.PlanCode = order.PlanCode;
            s.Status = SubscriptionStatus.Active;
            return (paidAt > s.CurrentPeriodStart ? paidAt : s.CurrentPeriodStart, s.CurrentPeriodEnd);
        }

        // A new plan, a new cycle, or a renewal after the plan lapsed: a period starts with the payment, quotas reset.
        s.PlanCode = order.PlanCode;
        s.Cycle = order.Cycle;
        s.Status = SubscriptionStatus.Active;
        s.TrialEndsAt = null;
        s.CurrentPeriodStart = paidAt;
        s.CurrentPeriodEnd = paidAt.AddMonths(months);
        s.PaidThrough = s.CurrentPeriodEnd;
        return (s.CurrentPeriodStart, s.CurrentPeriodEnd);
    }

    internal static void Processed(PaymentInboxEntry? entry, string outcome, DateTime now)
    {
        if (entry is not null)
        {
            entry.ProcessedAt ??= now;
            entry.Outcome = outcome;
        }
    }
}
