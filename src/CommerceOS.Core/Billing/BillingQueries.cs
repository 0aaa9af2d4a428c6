using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing;

/// <summary>The workspace's plan as the seller sees it (never a gateway secret).</summary>
/// <param name="PaidThrough">For plans paid one period at a time: the end of what is paid for.</param>
/// <param name="Gateways">The gateways a checkout can use here, with their currencies.</param>
public sealed record SubscriptionView(
    string Plan,
    BillingCycle Cycle,
    SubscriptionStatus Status,
    DateTime CurrentPeriodStart,
    DateTime CurrentPeriodEnd,
    DateTime? TrialEndsAt,
    bool TrialAvailable,
    bool CancelAtPeriodEnd,
    string? PendingPlan,
    BillingCycle? PendingCycle,
    string? Gateway,
    string? Currency,
    DateTime? PaidThrough,
    bool SelfRenewing,
    IReadOnlyList<GatewayView> Gateways);

public sealed record GatewayView(string Id, IReadOnlyList<string> Currencies, bool Recurring, bool TestMode);

public sealed record InvoiceView(
    Guid Id, string Number, string Plan, BillingCycle Cycle, string Currency, long SubtotalMinor, long CreditMinor, long TotalMinor,
    DateTime PeriodStart, DateTime PeriodEnd, DateTime IssuedAt, string Gateway);

/// <summary>One billing period's use per meter.</summary>
public sealed record UsagePeriod(DateTime Start, DateTime End, IReadOnlyDictionary<string, MeterUse> Meters);

/// <param name="Limit">Null: unlimited.</param>
public sealed record MeterUse(long Used, long? Limit);

/// <summary>Reads of plans and payments for the caller's workspace (any member).</summary>
public sealed class BillingQueries(AppDbContext db, WorkspaceContext workspace, UsageLedger ledger, PaymentGatewayRegistry gateways)
{
    public const int MaxInvoices = 200;

    public async Task<Result<SubscriptionView>> SubscriptionAsync(CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var s = await ledger.CurrentSubscriptionAsync(workspace.RequiredWorkspaceId, cancellationToken);
        var tracked = await db.Subscriptions.AsNoTracking().SingleAsync(x => x.WorkspaceId == s.WorkspaceId, cancellationToken);
        return new SubscriptionView(
            tracked.PlanCode, tracked.Cycle, tracked.Status, tracked.CurrentPeriodStart, tracked.CurrentPeriodEnd, tracked.TrialEndsAt,
            !tracked.TrialUsed && tracked.PlanCode == PlanCatalog.Starter, tracked.CancelAtPeriodEnd, tracked.PendingPlanCode, tracked.PendingCycle,
            tracked.Gateway, tracked.Currency, tracked.PaidThrough, tracked.GatewaySubscriptionId is not null,
            [.. gateways.All.OrderBy(g => g.Id == PaymentGateways.Test).ThenBy(g => g.Id, StringComparer.Ordinal)
                .Select(g => new GatewayView(g.Id, g.Currencies, g.Recurring, g.Id == PaymentGateways.Test))]);
    }

    public async Task<Result<IReadOnlyList<InvoiceView>>> InvoicesAsync(CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => i.WorkspaceId == workspace.RequiredWorkspaceId)
            .OrderByDescending(i => i.IssuedAt).ThenByDescending(i => i.Number)
            .Take(MaxInvoices)
            .Select(i => new InvoiceView(i.Id, i.Number, i.PlanCode, i.Cycle, i.Currency, i.SubtotalMinor, i.CreditMinor, i.TotalMinor, i.PeriodStart, i.PeriodEnd, i.IssuedAt, i.Gateway))
            .ToListAsync(cancellationToken);
        return invoices;
    }

    /// <summary>One invoice with what a receipt shows (any member; another workspace's is not found).</summary>
    public async Task<Result<Invoice>> InvoiceAsync(Guid invoiceId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var invoice = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId && i.WorkspaceId == workspace.RequiredWorkspaceId, cancellationToken);
        return invoice is null ? Result.NotFound() : invoice;
    }

    /// <summary>Units used per meter in each of the last <paramref name="periods"/> billing periods, oldest first (for the usage chart).</summary>
    public async Task<Result<IReadOnlyList<UsagePeriod>>> UsageHistoryAsync(int periods, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var counters = await db.UsageCounters.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.PeriodStart != UsageLedger.GaugePeriod)
            .Select(c => new { c.PeriodStart, c.PeriodEnd, c.Meter, c.Used, c.Limit })
            .ToListAsync(cancellationToken);
        return counters
            .GroupBy(c => c.PeriodStart)
            .OrderByDescending(g => g.Key)
            .Take(Math.Clamp(periods, 1, 36))
            .OrderBy(g => g.Key)
            .Select(g => new UsagePeriod(
                g.Key,
                g.Max(c => c.PeriodEnd),
                g.ToDictionary(c => c.Meter, c => new MeterUse(c.Used, c.Limit), StringComparer.Ordinal)))
            .ToList();
    }

    public async Task<Result<BillingOrder>> OrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var order = await db.BillingOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        return order is null ? Result.NotFound() : order;
    }
}
