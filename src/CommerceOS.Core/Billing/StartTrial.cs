using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Billing;

/// <summary>
/// Starts the free trial of a paid plan (product-scope.md A3: 7 days, no card, once per workspace). Nothing is charged, so
/// no gateway is involved; when the trial ends the workspace keeps the plan only if a payment covers the next period
/// (<see cref="SubscriptionTerms"/>). Admins and owners; a guarded update, so two clicks start one trial.
/// </summary>
public sealed class StartTrial(AppDbContext db, WorkspaceContext workspace, UsageLedger ledger, AuditLog audit, IOptions<BillingOptions> options, TimeProvider time)
{
    public async Task<Result> HandleAsync(string? planCode, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var code = (planCode ?? "").Trim().ToLowerInvariant();
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null || plan.ContactSales || plan.MonthlyPriceCny == 0)
        {
            return Result.Invalid("plan", BillingErrors.PlanNotSold, $"{PlanCatalog.Creator}, {PlanCatalog.Business}");
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var current = await ledger.CurrentSubscriptionAsync(workspaceId, cancellationToken);
        if (current.TrialUsed)
        {
            return Result.Conflict("plan", BillingErrors.TrialUsed);
        }

        if (current.PlanCode != PlanCatalog.Starter)
        {
            return Result.Conflict("plan", BillingErrors.AlreadyPaid);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var end = now.AddDays(options.Value.TrialDays);
        var started = await db.Subscriptions
            .Where(s => s.WorkspaceId == workspaceId && !s.TrialUsed && s.PlanCode == PlanCatalog.Starter)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.PlanCode, plan.Code)
                    .SetProperty(x => x.Status, SubscriptionStatus.Trialing)
                    .SetProperty(x => x.TrialUsed, true)
                    .SetProperty(x => x.TrialEndsAt, end)
                    .SetProperty(x => x.CurrentPeriodStart, now)
                    .SetProperty(x => x.CurrentPeriodEnd, end)
                    .SetProperty(x => x.Cycle, BillingCycle.Monthly)
                    .SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
        if (started == 0)
        {
            return Result.Conflict("plan", BillingErrors.TrialUsed);
        }

        await audit.RecordAsync(BillingAudit.TrialStarted, AuditOutcomes.Success, workspace.UserId, workspaceId, plan.Code, cancellationToken: cancellationToken);
        await ledger.ApplyLimitsAsync(workspaceId, cancellationToken);
        return Result.Ok();
    }
}
