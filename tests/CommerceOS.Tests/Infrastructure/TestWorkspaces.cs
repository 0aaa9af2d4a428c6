using CommerceOS.Core.Billing;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Infrastructure;

/// <summary>Seeds a workspace with its subscription (fresh ids per call, so tests never share rows).</summary>
public static class TestWorkspaces
{
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<Guid> CreateAsync(
        TestDatabase database,
        string plan = PlanCatalog.Creator,
        BillingCycle cycle = BillingCycle.Monthly,
        DateTime? periodStart = null,
        Dictionary<string, long?>? customLimits = null)
    {
        var start = periodStart ?? Epoch;
        var workspace = new Workspace { Name = "Test workspace", CreatedAt = start };
        await using var context = database.CreateContext();
        context.Workspaces.Add(workspace);
        context.Subscriptions.Add(new Subscription
        {
            WorkspaceId = workspace.Id,
            PlanCode = plan,
            Cycle = cycle,
            Status = SubscriptionStatus.Active,
            CurrentPeriodStart = start,
            CurrentPeriodEnd = start.AddMonths(BillingPeriods.MonthsPerCycle(cycle)),
            CustomLimits = customLimits ?? [],
            CreatedAt = start,
            UpdatedAt = start,
        });
        await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        return workspace.Id;
    }

    /// <summary>Puts a workspace on <paramref name="plan"/> (as a payment would), for tests of what the plan unlocks.</summary>
    public static async Task SetPlanAsync(this AppFactory app, Guid workspaceId, string plan)
    {
        await using var db = app.Database.CreateContext(workspaceId);
        var subscription = await db.Subscriptions.SingleAsync(TestContext.Current.CancellationToken);
        subscription.PlanCode = plan;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
