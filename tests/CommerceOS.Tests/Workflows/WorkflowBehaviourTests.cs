using System.Text.Json.Nodes;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Workflows;

/// <summary>The DAG's rules on real runs: failures and what they skip, optional steps, approval, cancel, resume, re-run, quota.</summary>
public sealed class WorkflowBehaviourTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RequiredFailure_SkipsItsDependents_OthersRun_AndResumeFinishesTheRunAfterTheFix(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "FAIL-1");
        var template = await app.SaveTemplateAsync(tenant, "Failing infographic", ["amazon"],
        [
            new("cutout", "image-white-background"),
            new("infographic", "image-infographic"),
            new("banner", "image-marketplace-sizes", ["infographic"], new JsonObject { ["template"] = "a-plus-banner" }),
            new("extra", "image-infographic", Params: new JsonObject { ["layout"] = "Grid" }, Optional: true),
        ]);

        var started = await app.StartAsync(tenant, new StartWorkflowRuns.Request(template, [productId]));
        await app.WaitForBatchAsync(tenant, started.Batch.Id);

        var run = await app.RunAsync(tenant, started.Runs[0].Id);
        Assert.Equal(WorkflowRunStatus.Failed, run.Status);
        var infographic = run.Steps.Single(s => s.StepKey == "infographic");
        Assert.Equal((WorkflowStepStatus.Failed, GenerationErrors.NoSellingPoints), (infographic.Status, infographic.Error));
        var banner = run.Steps.Single(s => s.StepKey == "banner");
        Assert.Equal((WorkflowStepStatus.Skipped, WorkflowErrors.DependencyFailed), (banner.Status, banner.Error));
        Assert.Equal(["infographic@amazon"], banner.ErrorArgs);
        Assert.Equal(WorkflowStepStatus.Succeeded, run.Steps.Single(s => s.StepKey == "cutout").Status);
        Assert.Equal(WorkflowStepStatus.Failed, run.Steps.Single(s => s.StepKey == "extra").Status);
        Assert.Empty(infographic.Executions);

        var report = (await app.AsOwnerAsync(tenant, s => s.GetRequiredService<GetWorkflowBatch>().HandleAsync(started.Batch.Id, Ct))).Value;
        Assert.Equal(1, report.Failed);
        Assert.Equal(GenerationErrors.NoSellingPoints, report.Failures.Single().Error);
        Assert.Equal(1, report.UnitsCharged[Meters.Images]);

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            var product = await db.Products.SingleAsync(p => p.Id == productId, Ct);
            product.SellingPoints = ["Keeps drinks cold for 24 hours", "Leak-proof lid"];
            await db.SaveChangesAsync(Ct);
        }

        var resumed = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<ControlWorkflowRun>().ResumeAsync(run.Id, Ct));
        Assert.True(resumed.IsSuccess, resumed.ToString());
        await app.WaitForBatchAsync(tenant, started.Batch.Id);
        run = await app.RunAsync(tenant, run.Id);
        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.All(run.Steps, s => Assert.Equal(WorkflowStepStatus.Succeeded, s.Status));
        Assert.Single(run.Steps.Single(s => s.StepKey == "cutout").Executions);
    }

    [Fact]
    public async Task ApprovalGate_HoldsTheStepsAfterIt_UntilApproved_AndRerunChargesOneMoreUnit()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var productId = (await CreateProductAsync(tenant.Client, "GATE-1", "Insulated steel bottle 750 ml")).GetProperty("id").GetGuid();
        var template = await app.SaveTemplateAsync(tenant, "Gated copy", ["amazon"],
        [
            new("copy", "copy-listing"),
            new("approval", "approval-gate", ["copy"]),
            new("seo", "seo-keywords", ["approval"]),
        ]);

        var started = await app.StartAsync(tenant, new StartWorkflowRuns.Request(template, [productId]));
        var report = await app.WaitForBatchAsync(tenant, started.Batch.Id);
        Assert.Equal(1, report.AwaitingApproval);
        var run = await app.RunAsync(tenant, started.Runs[0].Id);
        Assert.Equal(WorkflowRunStatus.AwaitingApproval, run.Status);
        Assert.Equal(WorkflowStepStatus.Pending, run.Steps.Single(s => s.StepKey == "seo").Status);

        var control = (Func<IServiceProvider, Task<Core.Common.Result<WorkflowRun>>> action) => app.AsOwnerAsync(tenant, action);
        var early = await control(s => s.GetRequiredService<ControlWorkflowRun>().ApproveAsync(run.Id, "seo@amazon", Ct));
        Assert.Equal(WorkflowErrors.StepNotAwaitingApproval, early.Errors.Single().Code);
        var approved = await control(s => s.GetRequiredService<ControlWorkflowRun>().ApproveAsync(run.Id, "approval", Ct));
        Assert.True(approved.IsSuccess, approved.ToString());
        await app.WaitForBatchAsync(tenant, started.Batch.Id);
        run = await app.RunAsync(tenant, run.Id);
        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        var seo = run.Steps.Single(s => s.StepKey == "seo");
        Assert.NotEmpty(seo.Output!.Value.GetProperty("keywords").EnumerateArray());
        Assert.Equal(tenant.UserId, run.Steps.Single(s => s.StepKey == "approval").Output!.Value.GetProperty("approvedBy").GetGuid());

        var rerun = await control(s => s.GetRequiredService<ControlWorkflowRun>().RerunStepAsync(run.Id, "copy@amazon", Ct));
        Assert.True(rerun.IsSuccess, rerun.ToString());
        await app.WaitForBatchAsync(tenant, started.Batch.Id);
        run = await app.RunAsync(tenant, run.Id);
        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Steps.Single(s => s.StepKey == "copy").Executions.Count);
        Assert.Single(seo.Executions);
        report = (await app.AsOwnerAsync(tenant, s => s.GetRequiredService<GetWorkflowBatch>().HandleAsync(started.Batch.Id, Ct))).Value;
        Assert.Equal(2, report.UnitsCharged[Meters.Copy]);
    }

    [Fact]
    public async Task Cancel_EndsWaitingSteps_AndResumeRunsThemLater()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var productId = (await CreateProductAsync(tenant.Client, "CANCEL-1", "Insulated steel bottle 750 ml")).GetProperty("id").GetGuid();
        var template = await app.SaveTemplateAsync(tenant, "Gate first", ["amazon"],
        [
            new("approval", "approval-gate"),
            new("copy", "copy-listing", ["approval"]),
        ]);
        var started = await app.StartAsync(tenant, new StartWorkflowRuns.Request(template, [productId]));
        await app.WaitForBatchAsync(tenant, started.Batch.Id);

        var cancelled = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<ControlWorkflowRun>().CancelAsync(started.Runs[0].Id, Ct));
        Assert.Equal(WorkflowRunStatus.Cancelled, cancelled.Value.Status);
        var again = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<ControlWorkflowRun>().CancelAsync(started.Runs[0].Id, Ct));
        Assert.Equal(WorkflowErrors.RunFinal, again.Errors.Single().Code);
        var steps = await app.StepsAsync(tenant, started.Runs[0].Id);
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Cancelled, s.Status));

        var resumed = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<ControlWorkflowRun>().ResumeAsync(started.Runs[0].Id, Ct));
        Assert.Equal(WorkflowRunStatus.Running, resumed.Value.Status);
        await app.WaitForBatchAsync(tenant, started.Batch.Id);
        var run = await app.RunAsync(tenant, started.Runs[0].Id);
        Assert.Equal(WorkflowRunStatus.AwaitingApproval, run.Status);
        Assert.Equal(WorkflowStepStatus.Pending, run.Steps.Single(s => s.StepKey == "copy").Status);
    }

    [Fact]
    public async Task Batch_ThatNeedsMoreThanTheQuotaLeft_IsRefusedBeforeAnythingStarts()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var first = (await CreateProductAsync(tenant.Client, "Q-1")).GetProperty("id").GetGuid();
        var second = (await CreateProductAsync(tenant.Client, "Q-2")).GetProperty("id").GetGuid();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UsageLedger>().EnsureCounterAsync(tenant.WorkspaceId, Meters.Images, Ct);
        }

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            await db.UsageCounters.Where(c => c.Meter == Meters.Images).ExecuteUpdateAsync(s => s.SetProperty(c => c.Used, c => c.Limit!.Value - 1), Ct);
        }

        var template = await app.SaveTemplateAsync(tenant, "Cut-out only", ["amazon"], [new("cutout", "image-white-background")]);
        var refused = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<StartWorkflowRuns>().HandleAsync(new StartWorkflowRuns.Request(template, [first, second]), Ct));

        Assert.Equal(Core.Common.ResultStatus.Conflict, refused.Status);
        Assert.Equal(WorkflowErrors.QuotaInsufficient, refused.Errors.Single().Code);
        Assert.Equal([Meters.Images, "2", "1"], refused.Errors.Single().Args);
        await using var check = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await check.WorkflowRuns.CountAsync(Ct));
        Assert.Equal(0, await check.WorkflowBatches.CountAsync(Ct));

        var one = await app.StartAsync(tenant, new StartWorkflowRuns.Request(template, [first]));
        Assert.Single(one.Runs);
    }

    [Fact]
    public async Task StarterPlan_CannotRunWorkflows()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var productId = (await CreateProductAsync(tenant.Client, "FREE-1")).GetProperty("id").GetGuid();

        var refused = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<StartWorkflowRuns>().HandleAsync(new StartWorkflowRuns.Request("quick-shoot", [productId]), Ct));

        Assert.Equal(WorkflowErrors.FeatureRequired, refused.Errors.Single().Code);
    }
}
