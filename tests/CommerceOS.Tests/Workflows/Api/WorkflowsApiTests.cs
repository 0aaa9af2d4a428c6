using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Features.Api;
using Microsoft.EntityFrameworkCore;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Workflows.Api;

public sealed class WorkflowsApiTests
{
    /// <summary>A gate first: the run waits for a member, so controls meet a known state whatever the engine's speed.</summary>
    private static readonly object GatedTemplate = new
    {
        name = "Gated shoot",
        marketplaces = new[] { "amazon" },
        steps = new object[]
        {
            new { key = "gate", skill = "approval-gate" },
            new { key = "white", skill = "image-white-background", dependsOn = new[] { "gate" } },
        },
    };

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Templates_BuiltInListedAndReadOnly_OwnCreatedUpdatedDeleted(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();

        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/workflows/templates", Ct);
        var amazon = list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "amazon-full");
        Assert.True(amazon.GetProperty("builtIn").GetBoolean());
        Assert.Equal(["amazon"], amazon.GetProperty("marketplaces").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains(amazon.GetProperty("steps").EnumerateArray(), s => s.GetProperty("skill").GetString() == "compliance-check");
        Assert.Equal(BuiltInTemplates.All.Count, list.GetArrayLength());

        var quick = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/workflows/templates/quick-shoot", Ct);
        var steps = quick.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["white", "scene", "size-chart"], steps.Select(s => s.GetProperty("key").GetString()));
        Assert.Equal("white", steps[1].GetProperty("dependsOn")[0].GetString());
        using (var unknown = await tenant.Client.GetAsync("/api/v1/workflows/templates/no-such-template", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("common.not_found", await CodeAsync(unknown));
        }

        // A copy of Quick Product Shoot without the size chart, on two marketplaces, with the scene's provider set.
        var body = new
        {
            name = "Shoot for two shops",
            description = "White background and a scene",
            basedOn = "quick-shoot",
            marketplaces = new[] { "amazon", "shopify" },
            steps = new object[]
            {
                new { key = "white", skill = "image-white-background" },
                new { key = "scene", skill = "image-lifestyle", dependsOn = new[] { "white" }, optional = true },
            },
        };
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/templates", body, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var template = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = template.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/workflows/templates/{id}", created.Headers.Location?.OriginalString);
        Assert.False(template.GetProperty("builtIn").GetBoolean());
        Assert.Equal("quick-shoot", template.GetProperty("basedOn").GetString());
        Assert.True(template.GetProperty("steps")[1].GetProperty("optional").GetBoolean());

        using var renamed = await tenant.Client.PutAsJsonAsync($"/api/v1/workflows/templates/{id}", body with { name = "Two-shop shoot" }, Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/templates/{id}", Ct);
        Assert.Equal("Two-shop shoot", read.GetProperty("name").GetString());
        Assert.Equal(["amazon", "shopify"], read.GetProperty("marketplaces").EnumerateArray().Select(m => m.GetString()));
        var listed = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/workflows/templates", Ct);
        Assert.Equal(BuiltInTemplates.All.Count + 1, listed.GetArrayLength());

        // Built-in templates are read-only: there is no PUT or DELETE route for a slug.
        using (var builtIn = await tenant.Client.DeleteAsync("/api/v1/workflows/templates/quick-shoot", Ct))
        {
            Assert.NotEqual(HttpStatusCode.NoContent, builtIn.StatusCode);
        }

        using var deleted = await tenant.Client.DeleteAsync($"/api/v1/workflows/templates/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await tenant.Client.GetAsync($"/api/v1/workflows/templates/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var again = await tenant.Client.DeleteAsync($"/api/v1/workflows/templates/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task InvalidTemplate_400NamesTheFieldPath_NothingStored()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();

        var cycle = await RefusedAsync(tenant.Client, new
        {
            name = "Circle",
            marketplaces = new[] { "amazon" },
            steps = new object[]
            {
                new { key = "a", skill = "image-white-background", dependsOn = new[] { "b" } },
                new { key = "b", skill = "image-lifestyle", dependsOn = new[] { "a" } },
            },
        });
        Assert.Equal([WorkflowErrors.Cycle], Codes(cycle, "steps"));

        var broken = await RefusedAsync(tenant.Client, new
        {
            name = "",
            marketplaces = new[] { "amazon", "mars-mall" },
            steps = new object[]
            {
                new { key = "white", skill = "image-white-background" },
                new { key = "scene", skill = "no-such-skill", dependsOn = new[] { "nowhere" } },
            },
        });
        Assert.Equal([WorkflowErrors.NameRequired], Codes(broken, "name"));
        Assert.Equal([WorkflowErrors.SkillUnknown], Codes(broken, "steps[1].skill"));
        Assert.Equal([WorkflowErrors.DependencyUnknown], Codes(broken, "steps[1].dependsOn[0]"));
        Assert.Equal([WorkflowErrors.MarketplaceUnknown], Codes(broken, "marketplaces[1]"));

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.WorkflowTemplates.CountAsync(Ct));

        static async Task<JsonElement> RefusedAsync(HttpClient client, object body)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/workflows/templates", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("common.validation_failed", problem.GetProperty("code").GetString());
            return problem;
        }
    }

    [Fact]
    public async Task Skills_InTheRequestLanguage_WithSchemas()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workflows/skills");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        using var response = await tenant.Client.SendAsync(request, Ct);
        var zh = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var en = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/workflows/skills", Ct);

        Assert.Equal(SkillCatalog.Default.All.Count, en.GetArrayLength());
        var skill = SkillCatalog.Default.Find("image-lifestyle")!;
        var english = en.EnumerateArray().Single(s => s.GetProperty("id").GetString() == skill.Id);
        var chinese = zh.EnumerateArray().Single(s => s.GetProperty("id").GetString() == skill.Id);
        Assert.Equal(skill.Name.En, english.GetProperty("name").GetString());
        Assert.Equal(skill.Name.Zh, chinese.GetProperty("name").GetString());
        Assert.NotEqual(english.GetProperty("categoryName").GetString(), chinese.GetProperty("categoryName").GetString());
        Assert.Equal(JsonValueKind.Object, english.GetProperty("inputSchema").ValueKind);
        Assert.True(JsonNode.DeepEquals(skill.InputSchema, JsonNode.Parse(english.GetProperty("inputSchema").GetRawText())));
        Assert.Equal(skill.Meter, english.GetProperty("meter").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task StartRuns_202WithRunsAndUnits_RunViewBatchReportListAndRerun(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var (first, _) = await ProductWithPhotoAsync(tenant.Client, "WFA-1");
        var (second, _) = await ProductWithPhotoAsync(tenant.Client, "WFA-2");

        using var batchResponse = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/runs", new { template = "quick-shoot", productIds = new[] { first, second } }, Ct);
        Assert.True(batchResponse.StatusCode == HttpStatusCode.Accepted, await batchResponse.Content.ReadAsStringAsync(Ct));
        var batch = await batchResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var batchId = batch.GetProperty("batchId").GetGuid();
        Assert.Equal($"/api/v1/workflows/batches/{batchId}", batchResponse.Headers.Location?.OriginalString);
        Assert.Equal(6, batch.GetProperty("units").GetProperty(Meters.Images).GetInt64());
        Assert.Equal(["amazon"], batch.GetProperty("marketplaces").EnumerateArray().Select(m => m.GetString()));
        var runs = batch.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([first, second], runs.Select(r => r.GetProperty("productId").GetGuid()));
        Assert.All(runs, r => Assert.Equal("running", r.GetProperty("status").GetString()));

        using var singleResponse = await tenant.Client.PostAsJsonAsync(
            "/api/v1/workflows/runs", new { template = "quick-shoot", productIds = new[] { first }, marketplaces = new[] { "shopify" } }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, singleResponse.StatusCode);
        var single = await singleResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var singleRun = single.GetProperty("runs")[0].GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/workflows/runs/{singleRun}", singleResponse.Headers.Location?.OriginalString);
        Assert.Equal(["shopify"], single.GetProperty("marketplaces").EnumerateArray().Select(m => m.GetString()));

        var report = await WaitForBatchAsync(tenant.Client, batchId);
        Assert.Equal(2, report.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, report.GetProperty("failed").GetInt32());
        Assert.Equal(6, report.GetProperty("steps").GetInt32());
        Assert.Equal(6, report.GetProperty("stepsDone").GetInt32());
        var charged = report.GetProperty("unitsCharged").GetProperty(Meters.Images).GetInt64();
        Assert.Equal(await HistoryUnitsAsync(tenant.Client, runs.Select(r => r.GetProperty("id").GetGuid())), charged);
        Assert.Empty(report.GetProperty("failures").EnumerateArray());

        var runId = runs[0].GetProperty("id").GetGuid();
        var run = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs/{runId}", Ct);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
        Assert.Equal("WFA-1", run.GetProperty("productSku").GetString());
        var scene = run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stepKey").GetString() == "scene");
        Assert.Equal("scene@amazon", scene.GetProperty("key").GetString());
        Assert.Equal("succeeded", scene.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, scene.GetProperty("errorCode").ValueKind);
        Assert.Single(scene.GetProperty("assetIds").EnumerateArray());
        var execution = Assert.Single(scene.GetProperty("history").EnumerateArray());
        Assert.Equal(1, execution.GetProperty("units").GetInt64());
        Assert.Equal("succeeded", execution.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Object, execution.GetProperty("input").ValueKind);

        var ofBatch = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs?batchId={batchId}", Ct);
        Assert.Equal(2, ofBatch.GetProperty("total").GetInt32());
        var ofProduct = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs?productId={first}", Ct);
        Assert.Equal(2, ofProduct.GetProperty("total").GetInt32());
        var failed = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs?batchId={batchId}&status=failed", Ct);
        Assert.Equal(0, failed.GetProperty("total").GetInt32());
        var paged = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/workflows/runs?page=2&pageSize=2", Ct);
        Assert.Equal(3, paged.GetProperty("total").GetInt32());
        Assert.Single(paged.GetProperty("items").EnumerateArray());
        using (var badStatus = await tenant.Client.GetAsync("/api/v1/workflows/runs?status=done", Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
            Assert.Equal([WorkflowsApi.Errors.StatusInvalid], Codes(await badStatus.Content.ReadFromJsonAsync<JsonElement>(Ct), "status"));
        }

        // Re-running the finished scene makes a second launch, charged again.
        using var rerun = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/scene@amazon/rerun", null, Ct);
        Assert.True(rerun.StatusCode == HttpStatusCode.OK, await rerun.Content.ReadAsStringAsync(Ct));
        Assert.Equal("running", (await rerun.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        report = await WaitForBatchAsync(tenant.Client, batchId);
        Assert.Equal(2, report.GetProperty("succeeded").GetInt32());
        Assert.Equal(charged + 1, report.GetProperty("unitsCharged").GetProperty(Meters.Images).GetInt64());
        run = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs/{runId}", Ct);
        scene = run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stepKey").GetString() == "scene");
        Assert.Equal(2, scene.GetProperty("history").GetArrayLength());
        using var unknownStep = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/nope/rerun", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownStep.StatusCode);
        Assert.Equal([WorkflowErrors.StepUnknown], Codes(await unknownStep.Content.ReadFromJsonAsync<JsonElement>(Ct), "step"));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Controls_CancelResumeApproveRerun_AnswerTheRunOr409(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var product = (await CreateProductAsync(tenant.Client, "WFC-1")).GetProperty("id").GetGuid();
        var templateId = await CreateTemplateAsync(tenant.Client, GatedTemplate);
        var runId = await StartAsync(tenant.Client, new { template = templateId, productIds = new[] { product } });
        await WaitForRunAsync(tenant.Client, runId, "awaitingApproval");

        using var notGate = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/white/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, notGate.StatusCode);
        Assert.Equal(WorkflowErrors.StepNotAwaitingApproval, await CodeAsync(notGate));
        using var early = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/resume", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(WorkflowErrors.RunNotResumable, await CodeAsync(early));

        using var cancel = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var gate = cancelled.GetProperty("steps")[0];
        Assert.Equal("cancelled", gate.GetProperty("status").GetString());
        Assert.Equal(WorkflowErrors.Cancelled, gate.GetProperty("errorCode").GetString());
        Assert.Equal("Cancelled.", gate.GetProperty("errorMessage").GetString());
        using var twice = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(WorkflowErrors.RunFinal, await CodeAsync(twice));

        using var resume = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/resume", null, Ct);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("running", (await resume.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        await WaitForRunAsync(tenant.Client, runId, "awaitingApproval");

        // Approved, the white background runs and fails (the product has no photo): a reason a client can show.
        using var approve = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/gate/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var failed = await WaitForRunAsync(tenant.Client, runId, "failed");
        var steps = failed.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal("succeeded", steps[0].GetProperty("status").GetString());
        Assert.Equal("failed", steps[1].GetProperty("status").GetString());
        var code = steps[1].GetProperty("errorCode").GetString();
        Assert.Matches("^[a-z0-9_]+(\\.[a-z0-9_]+)+$", code);
        var message = steps[1].GetProperty("errorMessage").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain(code!, message, StringComparison.Ordinal);
        var batch = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/batches/{failed.GetProperty("batchId").GetGuid()}", Ct);
        var failure = Assert.Single(batch.GetProperty("failures").EnumerateArray());
        Assert.Equal("white", failure.GetProperty("stepKey").GetString());
        Assert.Equal(code, failure.GetProperty("errorCode").GetString());
        Assert.Equal(message, failure.GetProperty("errorMessage").GetString());

        using var rerun = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/white/rerun", null, Ct);
        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        Assert.Equal("running", (await rerun.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        var again = await WaitForRunAsync(tenant.Client, runId, "failed");
        // Refused again at launch (no photo): a new attempt, later than the first.
        Assert.True(again.GetProperty("steps")[1].GetProperty("finishedAt").GetDateTime() > steps[1].GetProperty("finishedAt").GetDateTime());
        Assert.Equal(code, again.GetProperty("steps")[1].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Viewer_ReadsButCannotStartOrControl()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var product = (await CreateProductAsync(tenant.Client, "WFV-1")).GetProperty("id").GetGuid();
        var runId = await StartAsync(tenant.Client, new { template = await CreateTemplateAsync(tenant.Client, GatedTemplate), productIds = new[] { product } });
        await WaitForRunAsync(tenant.Client, runId, "awaitingApproval");
        await using (var db = app.Database.CreateContext())
        {
            var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == tenant.UserId && m.WorkspaceId == tenant.WorkspaceId, Ct);
            membership.Role = WorkspaceRole.Viewer;
            await db.SaveChangesAsync(Ct);
        }

        var template = new { name = "Mine", marketplaces = new[] { "amazon" }, steps = new[] { new { key = "white", skill = "image-white-background" } } };
        using var start = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/runs", new { template = "quick-shoot", productIds = new[] { product } }, Ct);
        using var create = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/templates", template, Ct);
        using var update = await tenant.Client.PutAsJsonAsync($"/api/v1/workflows/templates/{Guid.CreateVersion7()}", template, Ct);
        using var delete = await tenant.Client.DeleteAsync($"/api/v1/workflows/templates/{Guid.CreateVersion7()}", Ct);
        using var cancel = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/cancel", null, Ct);
        using var resume = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/resume", null, Ct);
        using var rerun = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/white/rerun", null, Ct);
        using var approve = await tenant.Client.PostAsync($"/api/v1/workflows/runs/{runId}/steps/white/approve", null, Ct);
        using var read = await tenant.Client.GetAsync($"/api/v1/workflows/runs/{runId}", Ct);
        using var list = await tenant.Client.GetAsync("/api/v1/workflows/runs", Ct);
        using var templates = await tenant.Client.GetAsync("/api/v1/workflows/templates", Ct);

        foreach (var refused in new[] { start, create, update, delete, cancel, resume, rerun, approve })
        {
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{refused.RequestMessage!.Method} {refused.RequestMessage.RequestUri}: {refused.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, templates.StatusCode);
        await using var check = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(1, await check.WorkflowRuns.CountAsync(Ct));
        Assert.Equal(WorkflowRunStatus.AwaitingApproval, (await check.WorkflowRuns.SingleAsync(Ct)).Status);
    }

    [Fact]
    public async Task StarterPlan_409FeatureRequired_AndValidationIs400_NothingStarted()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var product = (await CreateProductAsync(tenant.Client, "WFS-1")).GetProperty("id").GetGuid();

        using var starter = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/runs", new { template = "quick-shoot", productIds = new[] { product } }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, starter.StatusCode);
        var problem = await starter.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(WorkflowErrors.FeatureRequired, problem.GetProperty("code").GetString());
        Assert.Contains("Creator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        using var unknown = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/runs", new { template = "no-such", productIds = new[] { product } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal([WorkflowErrors.TemplateUnknown], Codes(await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct), "template"));
        using var missing = await tenant.Client.PostAsJsonAsync(
            "/api/v1/workflows/runs", new { template = "quick-shoot", productIds = new[] { product, Guid.CreateVersion7() } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal([WorkflowErrors.ProductNotFound], Codes(await missing.Content.ReadFromJsonAsync<JsonElement>(Ct), "productIds[1]"));
        using var marketplace = await tenant.Client.PostAsJsonAsync(
            "/api/v1/workflows/runs", new { template = "quick-shoot", allProducts = true, marketplaces = new[] { "mars-mall" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, marketplace.StatusCode);
        Assert.Equal([WorkflowErrors.MarketplaceUnknown], Codes(await marketplace.Content.ReadFromJsonAsync<JsonElement>(Ct), "marketplaces[0]"));

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.WorkflowBatches.CountAsync(Ct));
        Assert.Equal(0, await db.WorkflowRuns.CountAsync(Ct));
    }

    [Fact]
    public async Task BatchOverTheQuota_409QuotaInsufficient_CreatesNoRun()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        // Creator makes 15 videos a month; Amazon Full Listing makes one video per product.
        for (var i = 0; i < 16; i++)
        {
            await CreateProductAsync(tenant.Client, $"WFQ-{i}");
        }

        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/workflows/runs", new { template = "amazon-full", allProducts = true }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(WorkflowErrors.QuotaInsufficient, problem.GetProperty("code").GetString());
        Assert.Equal("This batch needs 16 videos units but 15 are left this period. Choose fewer products or upgrade.", problem.GetProperty("detail").GetString());
        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.WorkflowBatches.CountAsync(Ct));
        Assert.Equal(0, await db.WorkflowRuns.CountAsync(Ct));
        Assert.Equal(0, await db.UsageReservations.CountAsync(Ct));
    }

    internal static async Task<Guid> StartAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/workflows/runs", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runs")[0].GetProperty("id").GetGuid();
    }

    private static async Task<string> CreateTemplateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/workflows/templates", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private static async Task<long> HistoryUnitsAsync(HttpClient client, IEnumerable<Guid> runIds)
    {
        long units = 0;
        foreach (var runId in runIds)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs/{runId}", Ct);
            units += run.GetProperty("steps").EnumerateArray()
                .SelectMany(s => s.GetProperty("history").EnumerateArray())
                .Where(e => e.GetProperty("status").GetString() == "succeeded")
                .Sum(e => e.GetProperty("units").GetInt64());
        }

        return units;
    }

    private static async Task<JsonElement> WaitForRunAsync(HttpClient client, Guid runId, string status)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/runs/{runId}", Ct);
            if (run.GetProperty("status").GetString() == status)
            {
                return run;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"run {runId} is not {status}: {run}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<JsonElement> WaitForBatchAsync(HttpClient client, Guid batchId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var report = await client.GetFromJsonAsync<JsonElement>($"/api/v1/workflows/batches/{batchId}", Ct);
            if (report.GetProperty("finished").GetBoolean())
            {
                return report;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"batch {batchId} did not finish: {report}");
            await Task.Delay(100, Ct);
        }
    }

    private static List<string?> Codes(JsonElement problem, string field) =>
        [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(c => c.GetString())];
}
