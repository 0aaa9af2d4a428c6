using CommerceOS.Core.Billing;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Workflows;

public sealed class WorkflowEngineTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task QuickShoot_OverTwoProducts_RunsEveryStepOnceInDependencyOrder(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await SetPlanAsync(app, tenant.WorkspaceId, PlanCatalog.Creator);
        var (first, _) = await ProductWithPhotoAsync(tenant.Client, "QS-1");
        var (second, _) = await ProductWithPhotoAsync(tenant.Client, "QS-2");

        var started = await app.StartAsync(tenant, new StartWorkflowRuns.Request("quick-shoot", [first, second]));

        Assert.Equal(2, started.Runs.Count);
        Assert.Equal(6, started.Units[Meters.Images]);
        var report = await app.WaitForBatchAsync(tenant, started.Batch.Id);
        Assert.Equal(2, report.Succeeded);
        foreach (var run in started.Runs)
        {
            var view = await app.RunAsync(tenant, run.Id);
            Assert.Equal(WorkflowRunStatus.Succeeded, view.Status);
            var white = view.Steps.Single(s => s.StepKey == "white");
            var scene = view.Steps.Single(s => s.StepKey == "scene");
            Assert.Equal(WorkflowStepStatus.Succeeded, white.Status);
            Assert.Equal(WorkflowStepStatus.Succeeded, scene.Status);
            Assert.Equal("scene@amazon", scene.Key);
            Assert.True(scene.StartedAt >= white.FinishedAt, "the scene waits for the cut-out it depends on");
            Assert.Single(scene.Executions);
            Assert.Single(scene.AssetIds);
            Assert.Equal(1, scene.Executions[0].Units);
            Assert.Equal(Meters.Images, scene.Executions[0].Meter);
            Assert.Equal(JobStatus.Succeeded, scene.Executions[0].Status);
        }

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var executions = await db.WorkflowStepExecutions.CountAsync(Ct);
        var jobs = await db.Jobs.CountAsync(j => j.Kind == "images.generate", Ct);
        Assert.Equal(jobs, executions);
    }
}
