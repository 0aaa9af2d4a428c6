using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Billing;

public enum PlanChangeAction
{
    /// <summary>Back to Starter at the end of the current period.</summary>
    Cancel = 0,

    /// <summary>Undo a pending cancellation or downgrade.</summary>
    Resume = 1,

    /// <summary>A lower plan or a shorter cycle from the end of the current period.</summary>
    Downgrade = 2,
}

/// <param name="PortalUrl">For a self-renewing gateway's downgrade: its billing page, where the seller makes the change.</param>
public sealed record PlanChangeView(PlanChangeAction Action, bool CancelAtPeriodEnd, string? PendingPlan, BillingCycle? PendingCycle, DateTime EffectiveAt, string? PortalUrl);

/// <summary>
/// Cancels, downgrades or resumes at the period end (product-scope.md A3: cancel any time, access until the period ends,
/// downgrade at period end, no partial refunds). Nothing changes now: <see cref="SubscriptionTerms"/> applies it at the
/// boundary. A self-renewing gateway (Stripe) is told instead (cancel_at_period_end), and its answer is applied as for
/// its events; its downgrades go through its own billing page. Admins and owners.
/// </summary>
public sealed class ChangePlan(
    AppDbContext db,
    WorkspaceContext workspace,
    UsageLedger ledger,
    PaymentGatewayRegistry gateways,
    ApplyGatewaySubscription applyGateway,
    AuditLog audit,
    IOptions<BillingOptions> options)
{
    public async Task<Result<PlanChangeView>> HandleAsync(PlanChangeAction action, string? planCode, BillingCycle? cycle, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var current = await ledger.CurrentSubscriptionAsync(workspaceId, cancellationToken);
        if (current.PlanCode == PlanCatalog.Starter)
        {
            return Result.Conflict("plan", BillingErrors.NothingToChange);
        }

        var subscription = await db.Subscriptions.SingleAsync(s => s.WorkspaceId == workspaceId, cancellationToken);
        var gateway = subscription.GatewaySubscriptionId is not null ? gateways.Find(subscription.Gateway) : null;
        string? portal = null;
        switch (action)
        {
            case PlanChangeAction.Cancel or PlanChangeAction.Resume when gateway is not null:
                try
                {
                    await gateway.ChangeSubscriptionAsync(
                        new SubscriptionChange(subscription.GatewaySubscriptionId!, null, null, null, null, action == PlanChangeAction.Cancel, Guid.CreateVersion7()),
                        cancellationToken);
                    // Applied as any event is: re-read under the subscription's lock.
                    await applyGateway.HandleAsync(gateway, new GatewayObject(subscription.GatewaySubscriptionId, null), null, cancellationToken);
                }
                catch (Exception e) when (e is ProviderException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    return Result.Conflict("", BillingErrors.GatewayUnavailable);
                }

                await db.Entry(subscription).ReloadAsync(cancellationToken);
                break;

            case PlanChangeAction.Cancel:
                subscription.CancelAtPeriodEnd = true;
                subscription.PendingPlanCode = null;
                subscription.PendingCycle = null;
                break;

            case PlanChangeAction.Resume:
                subscription.CancelAtPeriodEnd = false;
                subscription.PendingPlanCode = null;
                subscription.PendingCycle = null;
                break;

            case PlanChangeAction.Downgrade:
                var plans = await db.Plans.AsNoTracking().ToListAsync(cancellationToken);
                var target = plans.FirstOrDefault(p => p.Code == planCode?.Trim().ToLowerInvariant() && !p.ContactSales && p.MonthlyPriceCny > 0);
                var from = plans.Single(p => p.Code == subscription.PlanCode);
                var newCycle = cycle ?? subscription.Cycle;
                if (target is null)
                {
                    return Result.Invalid("plan", BillingErrors.PlanNotSold, string.Join(", ", plans.Where(p => !p.ContactSales && p.MonthlyPriceCny > 0).Select(p => p.Code)));
                }

                var lower = target.SortOrder < from.SortOrder
                    || (target.SortOrder == from.SortOrder && newCycle == BillingCycle.Monthly && subscription.Cycle == BillingCycle.Annual);
                if (!lower)
                {
                    return Result.Conflict("plan", BillingErrors.NotADowngrade);
                }

                if (gateway is not null)
                {
                    var returnUrl = $"{(options.Value.PublicBaseUrl ?? "").TrimEnd('/')}/app/billing";
                    portal = subscription.GatewayCustomerId is { } customer ? await gateway.PortalUrlAsync(customer, returnUrl, cancellationToken) : null;
                    if (portal is null)
                    {
                        return Result.Conflict("plan", BillingErrors.GatewayUnavailable);
                    }

                    break;
                }

                subscription.PendingPlanCode = target.Code;
                subscription.PendingCycle = newCycle;
                subscription.CancelAtPeriodEnd = false;
                break;
        }

        audit.Add(BillingAudit.PlanChanged, AuditOutcomes.Success, workspace.UserId, workspaceId, $"{action}:{subscription.PlanCode}:{subscription.PendingPlanCode}");
        await db.SaveChangesAsync(cancellationToken);
        return new PlanChangeView(action, subscription.CancelAtPeriodEnd, subscription.PendingPlanCode, subscription.PendingCycle, subscription.CurrentPeriodEnd, portal);
    }
}
