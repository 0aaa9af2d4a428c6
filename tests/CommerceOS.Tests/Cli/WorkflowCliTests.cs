using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web;
using CommerceOS.Web.Shared.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Cli;

/// <summary><c>cos run</c> and <c>cos runs</c> against a temporary data folder, with no server running.</summary>
public sealed class WorkflowCliTests
{
    private const string Email = "runner@example.com";
    private const string Password = "correct horse battery staple 42";
    private const string NormalizedEmail = "RUNNER@EXAMPLE.COM";

    private static readonly StringCatalog Strings = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    private static readonly string QuickShoot = BuiltInTemplates.Find("quick-shoot")!.Name.En;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string English(string code, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, Strings.Find(code, CultureInfo.GetCultureInfo("en")) ?? throw new InvalidOperationException(code), args);

    [Fact]
    public async Task RunWait_QuickShootOverTwoImportedProducts_ExitsZeroWithSummary_ThenListShowAndRerunAStep()
    {
        await using var cli = await CliHarness.CreateAsync(DatabaseKind.Sqlite);
        var (workspaceId, products) = await SellerWithProductsAsync(cli, photos: true);

        var run = await cli.RunAsync("run", "--template", "quick-shoot", "--products", "all", "--wait", "--email", Email);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var lines = run.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var batchId = Guid.Parse(lines[0]);
        Assert.Contains($"Started 2 run(s) of {QuickShoot} on amazon; units it will use: images 6.", run.Error, StringComparison.Ordinal);
        Assert.Contains("runs 2/2, steps 6/6", run.Error, StringComparison.Ordinal);
        Assert.Contains($"Batch {batchId}: {QuickShoot} over 2 product(s) on amazon.", run.Output, StringComparison.Ordinal);
        Assert.Contains("Succeeded 2, failed 0, cancelled 0, awaiting approval 0; steps 6/6.", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Units charged: images [1-6]\.\r?$", run.Output);
        Assert.DoesNotContain("Failed runs:", run.Output, StringComparison.Ordinal);
        List<WorkflowRun> runs;
        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            runs = await db.WorkflowRuns.Where(r => r.BatchId == batchId).OrderBy(r => r.ProductId).ToListAsync(Ct);
            Assert.Equal(products.Order(), runs.Select(r => r.ProductId));
            Assert.All(runs, r => Assert.Equal(WorkflowRunStatus.Succeeded, r.Status));
        }

        var list = await cli.RunAsync("runs", "list", "--batch", batchId.ToString(), "--status", "succeeded", "--email", Email);
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.All(runs, r => Assert.Contains($"{r.Id}  succeeded", list.Output, StringComparison.Ordinal));
        Assert.Contains("Runs 1-2 of 2.", list.Output, StringComparison.Ordinal);
        var none = await cli.RunAsync("runs", "list", "--batch", batchId.ToString(), "--status", "failed", "--email", Email);
        Assert.Contains("No runs (of 0).", none.Output, StringComparison.Ordinal);

        // Runs are listed by product ID (GUID v7, not creation order within a millisecond): pick the mug's run by its product.
        var mug = runs.Single(r => r.ProductId == products[0]);
        var show = await cli.RunAsync("runs", "show", mug.Id.ToString(), "--email", Email);
        Assert.True(show.ExitCode == 0, show.Error);
        Assert.Contains($"Run {mug.Id}: {QuickShoot} (quick-shoot) on Ceramic mug", show.Output, StringComparison.Ordinal);
        Assert.Contains("Status succeeded; steps 3/3 (100%)", show.Output, StringComparison.Ordinal);
        var white = show.Output.Split(Environment.NewLine).Single(l => l.StartsWith("white ", StringComparison.Ordinal));
        Assert.Matches(@"^white\s+succeeded\s+\S+\s+1\s+\d+\.\d s$", white);

        // Re-run one step and wait: a second launch of the scene, charged again; the run ends succeeded.
        var retry = await cli.RunAsync("runs", "retry", mug.Id.ToString(), "--step", "scene@amazon", "--wait", "--email", Email);
        Assert.True(retry.ExitCode == 0, retry.Output + retry.Error);
        Assert.Contains($"Run {mug.Id}: running; steps", retry.Output, StringComparison.Ordinal);
        Assert.Contains("Status succeeded; steps 3/3", retry.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^scene@amazon\s+succeeded\s+\S+\s+2\s", retry.Output);
        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            var scene = await db.WorkflowSteps.SingleAsync(s => s.RunId == mug.Id && s.Key == "scene@amazon", Ct);
            Assert.Equal(2, await db.WorkflowStepExecutions.CountAsync(e => e.StepId == scene.Id, Ct));
        }

        // The batch's Amazon kit: one folder per product with the scenes the runs made, and the manifest.
        var kit = Path.Combine(cli.DataDirectory, "kit.zip");
        var export = await cli.RunAsync("export", "--marketplace", "amazon", "--out", kit, "--batch", batchId.ToString(), "--email", Email);
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("amazon: 2 products,", export.Output, StringComparison.Ordinal);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(kit))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "manifest.json");
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("WF-1/images/", StringComparison.Ordinal));
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("WF-2/images/", StringComparison.Ordinal));
        }

        var refused = Path.Combine(cli.DataDirectory, "refused.zip");
        var unknown = await cli.RunAsync("export", "--marketplace", "nowhere", "--out", refused, "--email", Email);
        Assert.Equal(1, unknown.ExitCode);
        Assert.False(File.Exists(refused));
        Assert.False(File.Exists(refused + ".partial"));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunWithoutWait_StarterRefusedWithExitTwo_ThenCancelAndRetryChangeTheStatus(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);
        var (workspaceId, products) = await SellerWithProductsAsync(cli, photos: false, creator: false);

        var starter = await cli.RunAsync("run", "--template", "quick-shoot", "--products", "all");
        Assert.Equal(2, starter.ExitCode);
        Assert.Contains($"error: {English(WorkflowErrors.FeatureRequired)} [{WorkflowErrors.FeatureRequired}]", starter.Error, StringComparison.Ordinal);
        Assert.Empty(starter.Output);
        var badList = await cli.RunAsync("run", "--template", "quick-shoot", "--products", "first,second");
        Assert.Equal(2, badList.ExitCode);
        Assert.Contains($"[{WorkflowCliCodes.ProductsInvalid}]", badList.Error, StringComparison.Ordinal);

        await SetPlanAsync(cli, workspaceId, PlanCatalog.Creator);
        var unknown = await cli.RunAsync("run", "--template", "no-such", "--products", products[0].ToString());
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"error: template: {English(WorkflowErrors.TemplateUnknown)}", unknown.Error, StringComparison.Ordinal);

        // No server runs: the run is stored and waits; cancel and retry act on it.
        var started = await cli.RunAsync("run", "--template", "quick-shoot", "--products", products[0].ToString(), "--marketplaces", "amazon,shopify");
        Assert.True(started.ExitCode == 0, started.Error);
        var batchId = Guid.Parse(started.Output.Trim());
        Assert.Contains("on amazon, shopify; units it will use: images 4.", started.Error, StringComparison.Ordinal);
        Guid runId;
        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            runId = (await db.WorkflowRuns.SingleAsync(r => r.BatchId == batchId, Ct)).Id;
        }

        var cancel = await cli.RunAsync("runs", "cancel", runId.ToString());
        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.StartsWith($"Run {runId}: cancelled;", cancel.Output, StringComparison.Ordinal);
        Assert.Equal(WorkflowRunStatus.Cancelled, await StatusAsync(cli, workspaceId, runId));
        var again = await cli.RunAsync("runs", "cancel", runId.ToString());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"[{WorkflowErrors.RunFinal}]", again.Error, StringComparison.Ordinal);

        var show = await cli.RunAsync("runs", "show", runId.ToString());
        Assert.Matches(@"(?m)^scene@shopify\s+cancelled\s+\S+\s+0\s+-\s+Cancelled\. \[workflows\.cancelled\]\r?$", show.Output);

        var retry = await cli.RunAsync("runs", "retry", runId.ToString());
        Assert.True(retry.ExitCode == 0, retry.Error);
        Assert.StartsWith($"Run {runId}: running;", retry.Output, StringComparison.Ordinal);
        Assert.Equal(WorkflowRunStatus.Running, await StatusAsync(cli, workspaceId, runId));
        var notFinished = await cli.RunAsync("runs", "retry", runId.ToString(), "--step", "white");
        Assert.Equal(1, notFinished.ExitCode);
        Assert.Contains($"[{WorkflowErrors.StepNotRerunnable}]", notFinished.Error, StringComparison.Ordinal);

        var missing = await cli.RunAsync("runs", "show", Guid.CreateVersion7().ToString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("[common.not_found]", missing.Error, StringComparison.Ordinal);
        var badId = await cli.RunAsync("runs", "cancel", "not-a-run");
        Assert.Equal(1, badId.ExitCode);
        Assert.Contains($"[{WorkflowCliCodes.IdInvalid}]", badId.Error, StringComparison.Ordinal);
        var badStatus = await cli.RunAsync("runs", "list", "--status", "done");
        Assert.Equal(1, badStatus.ExitCode);
        Assert.Contains(English(Web.Features.Api.WorkflowsApi.Errors.StatusInvalid), badStatus.Error, StringComparison.Ordinal);
    }

    private static async Task<WorkflowRunStatus> StatusAsync(CliHarness cli, Guid workspaceId, Guid runId)
    {
        await using var db = cli.Database.CreateContext(workspaceId);
        return (await db.WorkflowRuns.SingleAsync(r => r.Id == runId, Ct)).Status;
    }

    private static async Task SetPlanAsync(CliHarness cli, Guid workspaceId, string plan)
    {
        await using var db = cli.Database.CreateContext(workspaceId);
        (await db.Subscriptions.SingleAsync(Ct)).PlanCode = plan;
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A user (via <c>cos user create</c>), two products (via <c>cos products import</c>), optionally each with a photo.</summary>
    private static async Task<(Guid WorkspaceId, List<Guid> Products)> SellerWithProductsAsync(CliHarness cli, bool photos, bool creator = true)
    {
        Assert.Equal(0, (await cli.RunAsync("user", "create", "--email", Email, "--password", Password)).ExitCode);
        var csv = cli.WriteFile("products.csv",
            "sku,title,description,category,variant_sku,price,currency,stock\n"
            + "WF-1,Ceramic mug,Stoneware mug,kitchen,WF-1-W,12.50,USD,4\n"
            + "WF-2,Bamboo cup,Reusable cup,kitchen,WF-2-B,8.00,USD,9\n");
        var imported = await cli.RunAsync("products", "import", csv, "--email", Email);
        Assert.True(imported.ExitCode == 0, imported.Output + imported.Error);

        Guid workspaceId;
        Guid userId;
        List<Guid> products;
        await using (var db = cli.Database.CreateContext())
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == NormalizedEmail, Ct);
            userId = user.Id;
            workspaceId = user.DefaultWorkspaceId!.Value;
        }

        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            products = await db.Products.OrderBy(p => p.Sku).Select(p => p.Id).ToListAsync(Ct);
        }

        if (creator)
        {
            await SetPlanAsync(cli, workspaceId, PlanCatalog.Creator);
        }

        if (photos)
        {
            // Through the same use cases the upload page calls, on a host that is built but never started (no workers).
            await using var host = CommerceOSWebHost.Build(["--Serilog:MinimumLevel:Default", "Warning", .. cli.HostArguments]);
            foreach (var productId in products)
            {
                await using var scope = host.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspaceId, userId, WorkspaceRole.Owner);
                using var photo = new MemoryStream(StudioPhotos.Bottle());
                var asset = await scope.ServiceProvider.GetRequiredService<UploadAsset>().HandleAsync(new UploadAsset.Request(photo, "bottle.jpg"), Ct);
                var added = await scope.ServiceProvider.GetRequiredService<AddPhoto>().HandleAsync(new AddPhoto.Request(productId, asset.Asset!.Id), Ct);
                Assert.True(added.IsSuccess);
            }
        }

        return (workspaceId, products);
    }

    /// <summary>The CLI's own codes (texts in WorkflowsCli.json).</summary>
    private static class WorkflowCliCodes
    {
        public const string ProductsInvalid = "cli.workflows.products_invalid";
        public const string IdInvalid = "cli.workflows.id_invalid";
    }
}
