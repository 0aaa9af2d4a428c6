using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
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
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
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

            // The scene reuses the white step's cut-out instead of cutting the photo again.
            await using var check = app.Database.CreateContext(tenant.WorkspaceId);
            var cutoutId = Assert.Single(white.AssetIds);
            var sceneJob = await check.Jobs.SingleAsync(j => j.Id == scene.JobId, Ct);
            Assert.Equal(cutoutId, JsonDocument.Parse(sceneJob.InputJson!).RootElement.GetProperty("options").GetProperty("cutoutAssetId").GetGuid());
            var cutout = await check.Assets.SingleAsync(a => a.Id == cutoutId, Ct);
            var sceneAsset = await check.Assets.SingleAsync(a => a.Id == scene.AssetIds[0], Ct);
            Assert.Equal(cutout.SourceAssetId, sceneAsset.SourceAssetId);
            Assert.Equal(GenerationJson.Provenance(cutout)!.CutoutConfidence, GenerationJson.Provenance(sceneAsset)!.CutoutConfidence);

            // These products have no size data: the optional chart is refused before a job or a reservation exists.
            var chart = view.Steps.Single(s => s.StepKey == "size-chart");
            Assert.Equal(WorkflowStepStatus.Failed, chart.Status);
            Assert.Equal(SizeCharts.NoSizes, chart.Error);
            Assert.Null(chart.JobId);
        }

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var executions = await db.WorkflowStepExecutions.CountAsync(Ct);
        var jobs = await db.Jobs.CountAsync(j => j.Kind == "images.generate", Ct);
        Assert.Equal(jobs, executions);
    }
}
