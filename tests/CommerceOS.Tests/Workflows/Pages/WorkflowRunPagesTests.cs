using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Tests.Video;
using Microsoft.EntityFrameworkCore;
using static CommerceOS.Tests.Workflows.Pages.WorkflowPageHelpers;

namespace CommerceOS.Tests.Workflows.Pages;

/// <summary>Starting runs from the pages, the run and batch pages with their controls, New project, and who may do what.</summary>
public sealed class WorkflowRunPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunPage_ShowsTheGate_ApproveLetsTheRunFinish_CancelAndResumeWork(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);
        var template = await GateTemplateAsync(app, session);
        var productId = await VideoStudioPageTests.ProductAsync(app, session, "GATE-1", ["Cold for 24 hours"]);

        // One product: the start page opens the run itself.
        var location = await StartAsync(session, template, productId);
        Assert.StartsWith("/app/workflows/runs/", location, StringComparison.Ordinal);
        var runId = IdFrom(location);
        await WaitRunAsync(app, session, runId, r => r.Status == WorkflowRunStatus.AwaitingApproval);

        var page = await session.Client.GetStringAsync(location, Ct);
        Assert.Contains("data-run-status=\"awaitingApproval\"", page, StringComparison.Ordinal);
        Assert.Contains("hx-trigger=\"every 2s\"", page, StringComparison.Ordinal);
        Assert.Contains("data-step=\"gate\" data-status=\"awaitingApproval\"", page, StringComparison.Ordinal);
        Assert.Contains("data-step=\"seo@amazon\" data-status=\"pending\"", page, StringComparison.Ordinal);
        Assert.Contains("data-approve=\"gate\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"run-cancel\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/v1/workflows/runs/{runId}/kits/amazon\" data-export=\"amazon\"", page, StringComparison.Ordinal);
        Assert.Contains("Awaiting approval", page, StringComparison.Ordinal);

        var progress = await JsonAsync(session, $"{location}?handler=progress");
        Assert.Equal("awaitingApproval", progress.GetProperty("status").GetString());
        Assert.False(progress.GetProperty("finished").GetBoolean());
        Assert.Equal(2, progress.GetProperty("stepCount").GetInt32());

        // Approving a step that is not waiting is a conflict, shown in words.
        using (var wrong = await session.PostFormAsync($"{location}?handler=approve&step=seo@amazon", [], location))
        {
            Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
            Assert.Contains("This step is not waiting for approval.", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var approve = await session.PostFormAsync($"{location}?handler=approve&step=gate", [], location))
        {
            Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
            Assert.Equal(location, approve.Headers.Location!.OriginalString);
        }

        var done = await WaitRunAsync(app, session, runId, r => r.Status is WorkflowRunStatus.Succeeded or WorkflowRunStatus.Failed);
        Assert.Equal(WorkflowRunStatus.Succeeded, done.Status);
        Assert.Equal(WorkflowStepStatus.Succeeded, done.Steps.Single(s => s.Key == "gate").Status);
        var finished = await session.Client.GetStringAsync(location, Ct);
        Assert.Contains("data-run-status=\"succeeded\" data-polling=\"false\"", finished, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-trigger", finished, StringComparison.Ordinal);
        Assert.Contains("data-outputs=\"seo\"", finished, StringComparison.Ordinal);
        Assert.Contains("data-history=\"seo@amazon\"", finished, StringComparison.Ordinal);
        Assert.Contains("data-rerun=\"seo@amazon\"", finished, StringComparison.Ordinal);
        Assert.DoesNotContain("data-rerun=\"gate\"", finished, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"run-cancel\"", finished, StringComparison.Ordinal);

        // Cancel a second run at its gate, resume it, cancel again; cancelling a finished run is refused in words.
        var second = IdFrom(await StartAsync(session, template, productId));
        await WaitRunAsync(app, session, second, r => r.Status == WorkflowRunStatus.AwaitingApproval);
        var secondUrl = $"/app/workflows/runs/{second}";
        using (var cancel = await session.PostFormAsync($"{secondUrl}?handler=cancel", [], secondUrl))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        }

        var cancelled = await WaitRunAsync(app, session, second, r => r.Status == WorkflowRunStatus.Cancelled);
        Assert.All(cancelled.Steps, s => Assert.Equal(WorkflowStepStatus.Cancelled, s.Status));
        Assert.Contains("id=\"run-resume\"", await session.Client.GetStringAsync(secondUrl, Ct), StringComparison.Ordinal);
        using (var again = await session.PostFormAsync($"{secondUrl}?handler=cancel", [], secondUrl))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("This run has already finished.", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var resume = await session.PostFormAsync($"{secondUrl}?handler=resume", [], secondUrl))
        {
            Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
        }

        await WaitRunAsync(app, session, second, r => r.Status == WorkflowRunStatus.AwaitingApproval);
        using (var cancelAgain = await session.PostFormAsync($"{secondUrl}?handler=cancel", [], secondUrl))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancelAgain.StatusCode);
        }

        await WaitRunAsync(app, session, second, r => r.Status == WorkflowRunStatus.Cancelled);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task NewProject_CreatesTheProductWithItsPhotos_AndStartsTheListingKitForTheChosenMarketplaces(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        // Below the Creator plan nothing is created and the plans are one click away.
        using (var free = await session.PostMultipartAsync("/app/new", Project("Free bottle", "amazon"), "/app/new"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, free.StatusCode);
            var html = await free.Content.ReadAsStringAsync(Ct);
            Assert.Contains("Workflows and batches are part of the Creator plan and above.", html, StringComparison.Ordinal);
            Assert.Contains("id=\"new-upgrade\"", html, StringComparison.Ordinal);
        }

        using (var start = await session.PostFormAsync("/app/workflows/start?template=listing-kit", new() { ["Mode"] = "all" }, "/app/workflows/start?template=listing-kit"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, start.StatusCode);
            Assert.Contains("id=\"start-upgrade\"", await start.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.QueryAsync(session, db => db.Products.CountAsync(Ct)));
        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);

        // No marketplace, no photo: refused with both reasons, nothing created.
        using (var empty = await session.PostMultipartAsync("/app/new", new MultipartFormDataContent { { new StringContent("Bottle"), "Name" } }, "/app/new"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            var html = await empty.Content.ReadAsStringAsync(Ct);
            Assert.Contains("Upload at least one photo of the product.", html, StringComparison.Ordinal);
            Assert.Contains("Choose at least one marketplace.", html, StringComparison.Ordinal);
        }

        using var created = await session.PostMultipartAsync("/app/new", Project("Aurora bottle", "amazon", "shopify"), "/app/new");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        Assert.StartsWith("/app/workflows/runs/", location, StringComparison.Ordinal);
        var runId = IdFrom(location);

        var product = await app.QueryAsync(session, db => db.Products.Include(p => p.Photos).SingleAsync(Ct));
        Assert.Equal("Aurora bottle", product.Title);
        Assert.Equal(["Keeps cold 24 h", "Leak-proof"], product.SellingPoints);
        Assert.Single(product.Photos);
        Assert.StartsWith("NEW-", product.Sku, StringComparison.Ordinal);
        var run = await app.QueryAsync(session, db => db.WorkflowRuns.SingleAsync(Ct));
        Assert.Equal(runId, run.Id);
        Assert.Equal("listing-kit", run.TemplateId);
        Assert.Equal(product.Id, run.ProductId);
        Assert.Equal("[\"amazon\",\"shopify\"]", run.MarketplacesJson);

        var page = await session.Client.GetStringAsync(location, Ct);
        Assert.Contains("data-step=\"main@amazon\"", page, StringComparison.Ordinal);
        Assert.Contains("data-step=\"main@shopify\"", page, StringComparison.Ordinal);
        Assert.Contains("data-step=\"approval\"", page, StringComparison.Ordinal);
        Assert.Contains("data-export=\"shopify\"", page, StringComparison.Ordinal);

        // Stop the kit here: the engine's own tests run it; this one checks the page's cancel reaches it.
        using var cancel = await session.PostFormAsync($"{location}?handler=cancel", [], location);
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        await WaitRunAsync(app, session, runId, r => r.Status == WorkflowRunStatus.Cancelled && r.Steps.All(s => s.Status != WorkflowStepStatus.Active));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BatchPage_ShowsLiveCountsAndRuns_ForASelectionAndForACsvImport(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);
        var template = await GateTemplateAsync(app, session);
        var first = await VideoStudioPageTests.ProductAsync(app, session, "B-1", []);
        var second = await VideoStudioPageTests.ProductAsync(app, session, "B-2", []);

        var location = await StartAsync(session, template, first, second);
        Assert.StartsWith("/app/workflows/batches/", location, StringComparison.Ordinal);
        var batchId = IdFrom(location);
        var runs = await app.QueryAsync(session, db => db.WorkflowRuns.Where(r => r.BatchId == batchId).Select(r => r.Id).ToListAsync(Ct));
        Assert.Equal(2, runs.Count);
        foreach (var run in runs)
        {
            await WaitRunAsync(app, session, run, r => r.Status == WorkflowRunStatus.AwaitingApproval);
        }

        var page = await session.Client.GetStringAsync(location, Ct);
        Assert.Contains("data-finished=\"false\" data-polling=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains($"hx-get=\"/app/workflows/batches/{batchId}?handler=live&amp;p=1\" hx-trigger=\"every 2s\"", page, StringComparison.Ordinal);
        Assert.Contains("data-count=\"awaitingApproval\">Awaiting approval: 2", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/v1/workflows/batches/{batchId}/kits/amazon\"", page, StringComparison.Ordinal);
        foreach (var run in runs)
        {
            Assert.Contains($"<tr data-run-id=\"{run}\" data-status=\"awaitingApproval\">", page, StringComparison.Ordinal);
        }

        var progress = await JsonAsync(session, $"{location}?handler=progress");
        Assert.Equal(2, progress.GetProperty("awaitingApproval").GetInt32());
        Assert.Equal(4, progress.GetProperty("steps").GetInt32());
        Assert.Equal(2, progress.GetProperty("stepsDone").GetInt32() + progress.GetProperty("awaitingApproval").GetInt32());

        foreach (var run in runs)
        {
            using var approved = await session.PostFormAsync($"/app/workflows/runs/{run}?handler=approve&step=gate", [], $"/app/workflows/runs/{run}");
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        foreach (var run in runs)
        {
            await WaitRunAsync(app, session, run, r => r.Status == WorkflowRunStatus.Succeeded);
        }

        var live = await session.Client.GetStringAsync($"{location}?handler=live", Ct);
        Assert.StartsWith("<section id=\"batch-live\" data-finished=\"true\" data-polling=\"false\"", live.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("data-count=\"succeeded\">Succeeded: 2", live, StringComparison.Ordinal);
        Assert.Contains("id=\"batch-finished\"", live, StringComparison.Ordinal);

        // A CSV: its products are imported (one row is refused, with its reason) and then run as a batch.
        const string csv = "sku,title\nCSV-1,Imported one\nCSV-2,Imported two\nbad sku!,Broken\n";
        using var upload = new MultipartFormDataContent
        {
            { new StringContent("csv"), "Mode" },
            { new StringContent("amazon"), "Marketplaces" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "Csv", "products.csv" },
        };
        using var imported = await session.PostMultipartAsync($"/app/workflows/start?template={template}", upload, $"/app/workflows/start?template={template}");
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        var csvBatch = IdFrom(imported.Headers.Location!.OriginalString);
        var csvProducts = await app.QueryAsync(session, db => db.WorkflowRuns.Where(r => r.BatchId == csvBatch)
            .Join(db.Products, r => r.ProductId, p => p.Id, (r, p) => p.Sku).OrderBy(s => s).ToListAsync(Ct));
        Assert.Equal(["CSV-1", "CSV-2"], csvProducts);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AnotherWorkspacesRunAndBatch_AreNotFound_AndAViewerSeesNoActionsAndIsRefused(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var owner = await BrowserSession.SignUpAsync(app, displayName: "Owner");
        using var intruder = await BrowserSession.SignUpAsync(app, displayName: "Intruder");
        await app.SetPlanAsync(owner.WorkspaceId, PlanCatalog.Creator);
        await app.SetPlanAsync(intruder.WorkspaceId, PlanCatalog.Creator);
        var template = await GateTemplateAsync(app, owner);
        var productId = await VideoStudioPageTests.ProductAsync(app, owner, "OWN-1", []);
        var location = await StartAsync(owner, template, productId);
        var runId = IdFrom(location);
        var batchId = await app.QueryAsync(owner, db => db.WorkflowRuns.Where(r => r.Id == runId).Select(r => r.BatchId!.Value).SingleAsync(Ct));
        await WaitRunAsync(app, owner, runId, r => r.Status == WorkflowRunStatus.AwaitingApproval);

        foreach (var url in new[]
        {
            location, $"{location}?handler=progress", $"{location}?handler=live",
            $"/app/workflows/batches/{batchId}", $"/app/workflows/batches/{batchId}?handler=progress", $"/app/workflows/batches/{batchId}?handler=live",
            $"/app/workflows/templates/{template}", $"/app/workflows/start?template={template}",
        })
        {
            using var get = await intruder.Client.GetAsync(url, Ct);
            Assert.True(get.StatusCode == HttpStatusCode.NotFound, $"{url}: {get.StatusCode}");
        }

        var token = await intruder.AntiforgeryTokenAsync("/app/workflows");
        foreach (var url in new[]
        {
            $"{location}?handler=approve&step=gate", $"{location}?handler=cancel", $"{location}?handler=resume", $"{location}?handler=rerun&step=gate",
            $"/app/workflows/templates/{template}", $"/app/workflows?handler=copy&template={template}", $"/app/workflows?handler=delete&id={template}",
        })
        {
            using var post = await intruder.Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Form.Name"] = "x" }), Ct);
            Assert.True(post.StatusCode == HttpStatusCode.NotFound, $"{url}: {post.StatusCode}");
        }

        Assert.Equal(WorkflowRunStatus.AwaitingApproval, (await WaitRunAsync(app, owner, runId, _ => true)).Status);

        await SetRoleAsync(app, owner, WorkspaceRole.Viewer);
        var page = await owner.Client.GetStringAsync(location, Ct);
        Assert.Contains("id=\"run-read-only\"", page, StringComparison.Ordinal);
        Assert.Contains("data-step=\"gate\" data-status=\"awaitingApproval\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-approve=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"run-cancel\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-rerun=", page, StringComparison.Ordinal);
        var list = await owner.Client.GetStringAsync("/app/workflows", Ct);
        Assert.Contains("id=\"workflows-read-only\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-copy", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-run>", list, StringComparison.Ordinal);
        var editor = await owner.Client.GetStringAsync($"/app/workflows/templates/{template}", Ct);
        Assert.Contains("<fieldset class=\"plain\" disabled=\"disabled\">", editor, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"editor-save\"", editor, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"new-submit\"", await owner.Client.GetStringAsync("/app/new", Ct), StringComparison.Ordinal);

        var viewerToken = await owner.AntiforgeryTokenAsync("/app/workflows");
        foreach (var url in new[]
        {
            $"{location}?handler=approve&step=gate", $"{location}?handler=cancel", $"{location}?handler=resume", $"{location}?handler=rerun&step=seo@amazon",
            $"/app/workflows/templates/{template}", "/app/workflows/templates/new", "/app/workflows?handler=copy&template=quick-shoot",
            $"/app/workflows?handler=delete&id={template}", $"/app/workflows/start?template={template}", "/app/new",
        })
        {
            using var post = await owner.Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = viewerToken, ["Form.Name"] = "x", ["Mode"] = "all", ["Name"] = "x", ["Marketplaces"] = "amazon",
            }), Ct);
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{url}: {post.StatusCode}");
        }

        Assert.Equal(WorkflowRunStatus.AwaitingApproval, (await WaitRunAsync(app, owner, runId, _ => true)).Status);
        Assert.Equal(1, await app.QueryAsync(owner, db => db.WorkflowTemplates.CountAsync(Ct)));
        Assert.Equal(1, await app.QueryAsync(owner, db => db.WorkflowRuns.CountAsync(Ct)));
    }

    private static MultipartFormDataContent Project(string name, params string[] marketplaces)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(name), "Name" },
            { new StringContent("Keeps cold 24 h\r\nLeak-proof\r\n"), "SellingPoints" },
            { new ByteArrayContent(StudioPhotos.Bottle(400, 400)) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "Photos", "bottle.jpg" },
        };
        foreach (var marketplace in marketplaces)
        {
            content.Add(new StringContent(marketplace), "Marketplaces");
        }

        return content;
    }
}
