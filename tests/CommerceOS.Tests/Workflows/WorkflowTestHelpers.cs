using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Workflows;

/// <summary>Starts and watches workflow runs through the Core use cases, as a tenant's owner.</summary>
internal static class WorkflowTestHelpers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<T> AsOwnerAsync<T>(this AppFactory app, ApiTenant tenant, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(tenant.WorkspaceId, tenant.UserId, WorkspaceRole.Owner);
        return await action(scope.ServiceProvider);
    }

    public static async Task<StartWorkflowRuns.Started> StartAsync(this AppFactory app, ApiTenant tenant, StartWorkflowRuns.Request request)
    {
        var result = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<StartWorkflowRuns>().HandleAsync(request, Ct));
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value;
    }

    public static Task<RunView> RunAsync(this AppFactory app, ApiTenant tenant, Guid runId) =>
        app.AsOwnerAsync(tenant, async s => (await s.GetRequiredService<GetWorkflowRun>().HandleAsync(runId, Ct)).Value);

    /// <summary>Waits until no run of the batch is running (ended, or held at a gate), within a bound that is not a speed check.</summary>
    public static async Task<BatchReport> WaitForBatchAsync(this AppFactory app, ApiTenant tenant, Guid batchId, TimeSpan? bound = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var report = (await app.AsOwnerAsync(tenant, s => s.GetRequiredService<GetWorkflowBatch>().HandleAsync(batchId, Ct))).Value;
            if (report.Settled)
            {
                return report;
            }

            Assert.True(clock.Elapsed < (bound ?? TimeSpan.FromSeconds(240)), $"batch {batchId} did not finish: {report.Running} running, {report.StepsDone}/{report.Steps} steps");
            await Task.Delay(200, Ct);
        }
    }

    public static async Task<List<WorkflowStep>> StepsAsync(this AppFactory app, ApiTenant tenant, Guid runId)
    {
        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        return await db.WorkflowSteps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Position).ToListAsync(Ct);
    }

    /// <summary>Saves a workspace template and returns its ID.</summary>
    public static async Task<string> SaveTemplateAsync(this AppFactory app, ApiTenant tenant, string name, IReadOnlyList<string> marketplaces, IReadOnlyList<WorkflowStepDefinition> steps)
    {
        var saved = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<SaveWorkflowTemplate>()
            .HandleAsync(new SaveWorkflowTemplate.Request(null, name, null, null, new WorkflowDefinition(marketplaces, steps)), Ct));
        Assert.True(saved.IsSuccess, saved.ToString());
        return saved.Value.Id;
    }
}
