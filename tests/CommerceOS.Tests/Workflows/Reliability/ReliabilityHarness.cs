using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommerceOS.Cli;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Workflows.Reliability;

/// <summary>
/// What both multi-process tests share: a seller made through the CLI (account, products imported from a CSV, API key), a
/// workspace template of cheap local steps made through the API, and the exactly-once checks read from the database.
/// </summary>
internal static class ReliabilityHarness
{
    public const string Password = "correct horse battery staple 42";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Copy (a local engine, metered on <c>copy</c>), SEO keywords after it, and the compliance check after both: one job
    /// each per product and marketplace, no photo needed.
    /// </summary>
    public static readonly object[] ThreeSteps =
    [
        new { key = "copy", skill = "copy-listing" },
        new { key = "seo", skill = "seo-keywords", dependsOn = new[] { "copy" } },
        new { key = "compliance", skill = "compliance-check", dependsOn = new[] { "seo" } },
    ];

    /// <summary>Creates the account, imports <paramref name="products"/> products and returns an API key (all through <c>cos</c>).</summary>
    public static async Task<string> CreateSellerAsync(string root, string email, int products, string[] hostArguments)
    {
        Assert.Equal(0, await CosCli.RunAsync(["user", "create", "--email", email, "--password", Password, .. hostArguments], TextWriter.Null, TextWriter.Null, Ct));

        var csv = new StringBuilder("sku,title,description,category,selling_points,variant_sku,price,currency,stock\n");
        for (var i = 1; i <= products; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"REL-{i:D3},Insulated steel bottle {i} 750 ml,Double-wall stainless steel keeps drinks cold for 24 hours,kitchen,Leak-proof lid|BPA free,REL-{i:D3}-S,{10 + (i % 7)}.50,USD,{i}\n");
        }

        var file = Path.Combine(root, "products.csv");
        await File.WriteAllTextAsync(file, csv.ToString(), Ct);
        using var importErrors = new StringWriter();
        Assert.True(
            await CosCli.RunAsync(["products", "import", file, "--email", email, .. hostArguments], TextWriter.Null, importErrors, Ct) == 0,
            importErrors.ToString());

        using var keyOutput = new StringWriter();
        Assert.Equal(0, await CosCli.RunAsync(["apikey", "create", "--email", email, "--grant-api-access", .. hostArguments], keyOutput, TextWriter.Null, Ct));
        return keyOutput.ToString().Trim();
    }

    /// <summary>Workflows need the Creator plan; a new account starts on the free one.</summary>
    public static async Task<Guid> SetCreatorPlanAsync(Func<Guid?, AppDbContext> open)
    {
        Guid workspaceId;
        await using (var db = open(null))
        {
            workspaceId = (await db.Users.AsNoTracking().SingleAsync(Ct)).DefaultWorkspaceId!.Value;
        }

        await using (var db = open(workspaceId))
        {
            var subscription = await db.Subscriptions.SingleAsync(Ct);
            subscription.PlanCode = PlanCatalog.Creator;
            await db.SaveChangesAsync(Ct);
        }

        return workspaceId;
    }

    /// <summary>A workspace template through <c>POST /api/v1/workflows/templates</c>; returns its ID.</summary>
    public static async Task<string> CreateTemplateAsync(HttpClient http, Uri server, string name, string marketplace, object[] steps)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri(server, "/api/v1/workflows/templates"),
            new { name, marketplaces = new[] { marketplace }, steps },
            Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Runs the template over every product through <c>POST /api/v1/workflows/runs</c>; returns the batch ID.</summary>
    public static async Task<(Guid BatchId, int Runs)> StartBatchAsync(HttpClient http, Uri server, string templateId)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server, "/api/v1/workflows/runs"), new { template = templateId, allProducts = true }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return (document.RootElement.GetProperty("batchId").GetGuid(), document.RootElement.GetProperty("runs").GetArrayLength());
    }

    /// <summary>The batch as <c>GET /api/v1/workflows/batches/{id}</c> reports it.</summary>
    public static async Task<JsonElement> BatchAsync(HttpClient http, Uri server, Guid batchId)
    {
        using var response = await http.GetAsync(new Uri(server, $"/api/v1/workflows/batches/{batchId}"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Step counts by status, read from the database.</summary>
    public static async Task<Dictionary<WorkflowStepStatus, int>> StepCountsAsync(AppDbContext db, Guid batchId) =>
        await db.WorkflowSteps.AsNoTracking()
            .Where(s => db.WorkflowRuns.Any(r => r.Id == s.RunId && r.BatchId == batchId))
            .GroupBy(s => s.Status)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, Ct);

    /// <summary>
    /// The exactly-once checks on a finished batch: every run and step succeeded, each step launched once with one execution
    /// row and one job (no other job in the workspace), one listing copy version per product and marketplace (written by that
    /// step's job), and the usage ledger charged exactly the executions' units with nothing left reserved.
    /// </summary>
    public static async Task<FinishedBatch> AssertRanExactlyOnceAsync(AppDbContext db, Guid batchId, int runs, int stepsPerRun, int maxAttempts)
    {
        var runRows = await db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId).ToListAsync(Ct);
        Assert.Equal(runs, runRows.Count);
        Assert.All(runRows, r => Assert.Equal((WorkflowRunStatus.Succeeded, stepsPerRun, stepsPerRun), (r.Status, r.StepCount, r.StepsDone)));
        var runIds = runRows.Select(r => r.Id).ToList();

        var steps = await db.WorkflowSteps.AsNoTracking().Where(s => runIds.Contains(s.RunId)).ToListAsync(Ct);
        Assert.Equal(runs * stepsPerRun, steps.Count);
        Assert.All(steps, s => Assert.Equal((WorkflowStepStatus.Succeeded, 1, (string?)null), (s.Status, s.Launches, s.Error)));
        Assert.All(steps, s => Assert.NotNull(s.JobId));
        Assert.All(steps, s => Assert.NotNull(s.OutputJson));

        var executions = await db.WorkflowStepExecutions.AsNoTracking().Where(e => runIds.Contains(e.RunId)).ToListAsync(Ct);
        Assert.Equal(steps.Count, executions.Count);
        var executionByStep = executions.ToDictionary(e => e.StepId);
        Assert.All(steps, s => Assert.Equal((s.JobId!.Value, 1), (executionByStep[s.Id].JobId, executionByStep[s.Id].Number)));

        // One job per step and no other: a duplicate launch would leave a job no step points at.
        var jobs = await db.Jobs.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(steps.Count, jobs.Count);
        Assert.Equal(steps.Select(s => s.JobId!.Value).Order(), jobs.Select(j => j.Id).Order());
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.All(jobs, j => Assert.InRange(j.Attempts, 1, maxAttempts));

        // Copy: one listing, one version, written by the copy step's own job.
        var copySteps = steps.Where(s => s.Skill == "copy-listing").ToList();
        var runProduct = runRows.ToDictionary(r => r.Id, r => r.ProductId);
        var copies = await db.ListingCopies.AsNoTracking().ToListAsync(Ct);
        var versions = await db.ListingCopyVersions.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(copySteps.Count, copies.Count);
        Assert.Equal(copySteps.Count, versions.Count);
        foreach (var step in copySteps)
        {
            var copy = Assert.Single(copies, c => c.ProductId == runProduct[step.RunId] && c.Marketplace == step.Marketplace);
            var version = Assert.Single(versions, v => v.ListingCopyId == copy.Id);
            Assert.Equal((1, step.JobId), (version.Number, version.JobId));
            Assert.Equal(1, copy.CurrentVersion);
        }

        // The ledger: each metered execution's reservation committed with the same units, the counter's Used their sum.
        var reservations = await db.UsageReservations.AsNoTracking().ToListAsync(Ct);
        Assert.DoesNotContain(reservations, r => r.Status == ReservationStatus.Reserved);
        var metered = executions.Where(e => e.Meter is not null).ToList();
        Assert.NotEmpty(metered);
        foreach (var execution in metered)
        {
            var reservation = Assert.Single(reservations, r => r.JobId == execution.JobId);
            Assert.Equal((ReservationStatus.Committed, execution.Meter, execution.Units), (reservation.Status, reservation.Meter, reservation.Units));
        }

        var counters = await db.UsageCounters.AsNoTracking().ToListAsync(Ct);
        foreach (var meter in metered.Select(e => e.Meter!).Distinct(StringComparer.Ordinal))
        {
            var charged = metered.Where(e => e.Meter == meter).Sum(e => e.Units);
            Assert.Equal(charged, reservations.Where(r => r.Meter == meter && r.Status == ReservationStatus.Committed).Sum(r => r.Units));
            Assert.Equal(charged, counters.Where(c => c.Meter == meter).Sum(c => c.Used));
        }

        return new FinishedBatch(steps, executions, jobs, metered.Sum(e => e.Units));
    }

    public sealed record FinishedBatch(List<WorkflowStep> Steps, List<WorkflowStepExecution> Executions, List<Job> Jobs, long UnitsCharged);
}
