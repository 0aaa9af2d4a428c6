using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommerceOS.Tests.Workflows.Reliability;

/// <summary>
/// One web process and two worker processes on one PostgreSQL database (issue 6): a batch of 200 step jobs started on the
/// web node runs every step exactly once, both workers take part, and the web node launches nothing (role <c>web</c> runs
/// neither the workflow engine nor a Hangfire server). Hangfire's PostgreSQL storage records which server processed each
/// job (the <c>Processing</c> state's <c>ServerId</c>), which attributes the work to the workers.
/// </summary>
public sealed class WorkflowMultiWorkerTests
{
    private const int Products = 100;
    private const int StepsPerRun = 2;
    private const string Email = "wf-cluster@example.com";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Copy, then SEO keywords on it: 2 step jobs per product.</summary>
    private static readonly object[] TwoSteps =
    [
        new { key = "copy", skill = "copy-listing" },
        new { key = "seo", skill = "seo-keywords", dependsOn = new[] { "copy" } },
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoWorkersAndAWebNode_OnePostgres_RunEachOf200StepJobsExactlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var sandbox = ProcessSandbox.Create("wfcluster");
        await RunScenarioAsync(database, sandbox);
    }

    private static async Task RunScenarioAsync(TestDatabase database, ProcessSandbox sandbox)
    {
        var (root, data) = (sandbox.Root, sandbox.Data);
        string[] hostArguments =
        [
            .. sandbox.HostArguments,
            "--Database:Provider", "postgres",
            "--Database:ConnectionString", database.ConnectionString,
        ];
        string[] nodeArguments =
        [
            .. hostArguments,
            "--Jobs:WorkerCount", "2",
            "--RateLimits:ApiPerSecond", "1000",
            "--RateLimits:ApiBurst", "1000",
        ];
        var log = TestContext.Current.TestOutputHelper;
        var clock = Stopwatch.StartNew();

        var apiKey = await ReliabilityHarness.CreateSellerAsync(root, Email, Products, hostArguments);
        var workspaceId = await ReliabilityHarness.SetCreatorPlanAsync(id => database.CreateContext(id));
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        // 1. The web node alone: the batch is stored with its first steps ready, and nothing launches them.
        await using var web = CosServerProcess.Start(root, [.. nodeArguments, "--role", "web"]);
        await web.WaitUntilReadyAsync(http, ReadyTimeout, Ct);
        var templateId = await ReliabilityHarness.CreateTemplateAsync(http, web.BaseAddress, "Copy and SEO", "amazon", TwoSteps);
        var (batchId, runs) = await ReliabilityHarness.StartBatchAsync(http, web.BaseAddress, templateId);
        Assert.Equal(Products, runs);
        log?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: web node ready, batch of {runs} runs started");

        // Five pump intervals: a web node that pumped would have launched steps by now.
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        await using (var db = database.CreateContext(workspaceId))
        {
            var counts = await ReliabilityHarness.StepCountsAsync(db, batchId);
            Assert.Equal(Products, counts.GetValueOrDefault(WorkflowStepStatus.Ready));
            Assert.Equal(Products, counts.GetValueOrDefault(WorkflowStepStatus.Pending));
            Assert.Equal(0, await db.WorkflowStepExecutions.CountAsync(Ct));
            Assert.Equal(0, await db.Jobs.CountAsync(Ct));
        }

        Assert.Empty(await HangfireServersAsync(database));

        // 2. Two workers: they pump, launch and run everything.
        await using var workerA = CosServerProcess.Start(root, [.. nodeArguments, "--role", "worker"]);
        await using var workerB = CosServerProcess.Start(root, [.. nodeArguments, "--role", "worker"]);
        await Task.WhenAll(workerA.WaitUntilReadyAsync(http, ReadyTimeout, Ct), workerB.WaitUntilReadyAsync(http, ReadyTimeout, Ct));
        var workersReady = clock.Elapsed;
        log?.WriteLine($"{workersReady.TotalSeconds:F1} s: both workers ready");

        var servers = new HashSet<string>(StringComparer.Ordinal);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            servers.UnionWith(await HangfireServersAsync(database));
            var batch = await ReliabilityHarness.BatchAsync(http, web.BaseAddress, batchId);
            if (batch.GetProperty("finished").GetBoolean())
            {
                Assert.Equal(Products, batch.GetProperty("succeeded").GetInt32());
                Assert.Equal(Products * StepsPerRun, batch.GetProperty("stepsDone").GetInt32());
                break;
            }

            Assert.False(workerA.HasExited, "Worker A exited.\n" + workerA.RecentOutput());
            Assert.False(workerB.HasExited, "Worker B exited.\n" + workerB.RecentOutput());
            Assert.True(waited.Elapsed < BatchTimeout, $"Not finished: {batch}\nA:\n{workerA.RecentOutput()}\nB:\n{workerB.RecentOutput()}");
            await Task.Delay(250, Ct);
        }

        var batchTime = waited.Elapsed;
        log?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: batch finished {batchTime.TotalSeconds:F1} s after the workers were ready");
        Assert.False(workerA.HasExited || workerB.HasExited || web.HasExited, "A process died during the batch.");
        servers.UnionWith(await HangfireServersAsync(database));
        Assert.Equal(2, servers.Count);

        // 3. Exactly once: one execution and one job per step, each job run in a single attempt.
        ReliabilityHarness.FinishedBatch finished;
        await using (var db = database.CreateContext(workspaceId))
        {
            finished = await ReliabilityHarness.AssertRanExactlyOnceAsync(db, batchId, Products, StepsPerRun, maxAttempts: 1);
        }

        Assert.Equal(Products * StepsPerRun, finished.Jobs.Count);
        Assert.Equal(Products, finished.UnitsCharged);

        // 4. Who ran what: each job's Hangfire job was processed once, by one of the two workers, and each worker ran some.
        var processedBy = await ProcessingServersAsync(database);
        var perServer = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in finished.Jobs)
        {
            Assert.NotNull(job.HangfireJobId);
            var processings = processedBy.GetValueOrDefault(job.HangfireJobId) ?? [];
            var server = Assert.Single(processings);
            Assert.Contains(server, servers);
            perServer[server] = perServer.GetValueOrDefault(server) + 1;
        }

        var split = string.Join(", ", perServer.Values.OrderDescending());
        log?.WriteLine($"Jobs per worker: {split}");
        TestContext.Current.SendDiagnosticMessage(
            $"workflow 2 workers: {finished.Jobs.Count} step jobs split {split} between the workers; batch finished {batchTime.TotalSeconds:F1} s "
            + $"after both workers were ready ({workersReady.TotalSeconds:F1} s into the test); whole test {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(2, perServer.Count);
        Assert.All(perServer.Values, count => Assert.True(count > 0));
    }

    /// <summary>Hangfire servers registered now (one per process running a Hangfire server).</summary>
    private static async Task<List<string>> HangfireServersAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT to_regclass(@table) IS NOT NULL";
        exists.Parameters.AddWithValue("table", $"{JobsServiceCollectionExtensions.HangfireSchema}.server");
        if (await exists.ExecuteScalarAsync(Ct) is not true)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {JobsServiceCollectionExtensions.HangfireSchema}.server";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Hangfire job ID to the server IDs of its <c>Processing</c> states (one per time a worker picked it up).</summary>
    private static async Task<Dictionary<string, List<string>>> ProcessingServersAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT jobid, data FROM {JobsServiceCollectionExtensions.HangfireSchema}.state WHERE name = 'Processing'";
        var servers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            var jobId = Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!;
            using var data = JsonDocument.Parse(Convert.ToString(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)!);
            var server = data.RootElement.GetProperty("ServerId").GetString()!;
            if (!servers.TryGetValue(jobId, out var list))
            {
                servers[jobId] = list = [];
            }

            list.Add(server);
        }

        return servers;
    }
}
