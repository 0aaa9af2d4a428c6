using System.Diagnostics;
using System.Net.Http.Headers;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Tests.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Workflows.Reliability;

/// <summary>
/// <c>kill -9</c> of the real server in the middle of a 100-product batch loses nothing and does nothing twice (issue 6,
/// architecture.md 5). The server is <c>cos serve</c> on SQLite with Hangfire's in-memory storage, so the kill throws away
/// Hangfire's queue and the engine's in-process state: only the rows (steps, jobs, outbox, reservations) bring the batch back.
/// Recovery timings are shortened on the command line as in <see cref="KillRecoveryTests"/>.
/// </summary>
public sealed class WorkflowKillRecoveryTests
{
    private const int Products = 100;
    private const int StepsPerRun = 3;
    private const string Email = "wf-killer@example.com";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_KilledDuringA100ProductBatch_RestartFinishesEveryStepExactlyOnce()
    {
        using var sandbox = ProcessSandbox.Create("wfkill");
        await RunScenarioAsync(sandbox);
    }

    private static async Task RunScenarioAsync(ProcessSandbox sandbox)
    {
        var (root, data) = (sandbox.Root, sandbox.Data);
        string[] hostArguments = [.. sandbox.HostArguments];
        string[] serverArguments =
        [
            .. hostArguments,
            "--Jobs:WorkerCount", "2",
            "--Jobs:LeaseDuration", "00:00:10",
            "--Jobs:ProgressInterval", "00:00:01",
            "--Jobs:RecoveryGracePeriod", "00:00:01",
            "--Jobs:RecoverySweepCron", "*/2 * * * * *",
            "--RateLimits:ApiPerSecond", "1000",
            "--RateLimits:ApiBurst", "1000",
        ];
        var log = TestContext.Current.TestOutputHelper;
        var clock = Stopwatch.StartNew();

        var apiKey = await ReliabilityHarness.CreateSellerAsync(root, Email, Products, hostArguments);
        var workspaceId = await ReliabilityHarness.SetCreatorPlanAsync(id => KillRecoveryTests.OpenDatabase(data, id));
        SqliteConnection.ClearAllPools();
        log?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: seller with {Products} products");

        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        // 1. First life: start the batch, kill -9 once some steps (not all) are done.
        Guid batchId;
        Dictionary<WorkflowStepStatus, int> atKill;
        int jobsRunningAtKill;
        TimeSpan killedAfter;
        await using (var first = CosServerProcess.Start(root, serverArguments))
        {
            await first.WaitUntilReadyAsync(http, ReadyTimeout, Ct);
            var templateId = await ReliabilityHarness.CreateTemplateAsync(http, first.BaseAddress, "Copy, SEO, compliance", "amazon", ReliabilityHarness.ThreeSteps);
            (batchId, var runs) = await ReliabilityHarness.StartBatchAsync(http, first.BaseAddress, templateId);
            Assert.Equal(Products, runs);
            log?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: batch started");

            // A quarter of the steps is far enough in that every kind of step has run, and far from the end. Steps take a
            // fraction of a second, so the kill waits (up to half the batch) for a moment when a job is running, which then
            // has to be taken over after its lease.
            var waited = Stopwatch.StartNew();
            while (true)
            {
                await using var db = KillRecoveryTests.OpenDatabase(data, workspaceId);
                var succeeded = (await ReliabilityHarness.StepCountsAsync(db, batchId)).GetValueOrDefault(WorkflowStepStatus.Succeeded);
                if (succeeded >= Products * StepsPerRun / 2
                    || (succeeded >= Products * StepsPerRun / 4 && await db.Jobs.AnyAsync(j => j.Status == JobStatus.Running, Ct)))
                {
                    break;
                }

                Assert.False(first.HasExited, first.RecentOutput());
                Assert.True(waited.Elapsed < BatchTimeout, $"Only {succeeded} steps done.\n{first.RecentOutput()}");
                await Task.Delay(20, Ct);
            }

            await first.KillAsync();
            killedAfter = waited.Elapsed;
            log?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed {killedAfter.TotalSeconds:F1} s after the start");
            await using var atKillDb = KillRecoveryTests.OpenDatabase(data, workspaceId);
            atKill = await ReliabilityHarness.StepCountsAsync(atKillDb, batchId);
            jobsRunningAtKill = await atKillDb.Jobs.CountAsync(j => j.Status == JobStatus.Running, Ct);
        }

        var doneAtKill = atKill.GetValueOrDefault(WorkflowStepStatus.Succeeded);
        var summary = string.Join(", ", atKill.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));
        log?.WriteLine($"At the kill: {summary}; {jobsRunningAtKill} jobs running");
        Assert.InRange(doneAtKill, 1, (Products * StepsPerRun) - 1);
        Assert.True(atKill.GetValueOrDefault(WorkflowStepStatus.Pending) + atKill.GetValueOrDefault(WorkflowStepStatus.Ready) > 0, "Nothing was left to launch at the kill.");
        Assert.DoesNotContain(atKill.Keys, s => s is WorkflowStepStatus.Failed or WorkflowStepStatus.Skipped or WorkflowStepStatus.Cancelled);

        // 2. Second life on the same data folder: the recovery sweep and the engine finish the batch.
        await using var second = CosServerProcess.Start(root, serverArguments);
        await second.WaitUntilReadyAsync(http, ReadyTimeout, Ct);
        var restart = Stopwatch.StartNew();
        while (true)
        {
            var batch = await ReliabilityHarness.BatchAsync(http, second.BaseAddress, batchId);
            if (batch.GetProperty("finished").GetBoolean())
            {
                Assert.Equal(Products, batch.GetProperty("succeeded").GetInt32());
                Assert.Equal(Products * StepsPerRun, batch.GetProperty("stepsDone").GetInt32());
                break;
            }

            Assert.False(second.HasExited, "The restarted server exited.\n" + second.RecentOutput());
            Assert.True(restart.Elapsed < BatchTimeout, $"Not finished after the restart: {batch}\n{second.RecentOutput()}");
            await Task.Delay(250, Ct);
        }

        log?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: batch finished {restart.Elapsed.TotalSeconds:F1} s after the restart");
        await second.KillAsync();

        // A job cut by the kill runs again (attempt 2); nothing runs a third time, and no step launches twice.
        await using var final = KillRecoveryTests.OpenDatabase(data, workspaceId);
        var finished = await ReliabilityHarness.AssertRanExactlyOnceAsync(final, batchId, Products, StepsPerRun, maxAttempts: 2);
        Assert.Equal(Products, finished.UnitsCharged);
        var retried = finished.Jobs.Count(j => j.Attempts == 2);
        Assert.InRange(retried, 0, jobsRunningAtKill);
        log?.WriteLine($"{retried} jobs ran a second attempt; {finished.UnitsCharged} copy units charged");
        TestContext.Current.SendDiagnosticMessage(
            $"workflow kill -9: killed {killedAfter.TotalSeconds:F1} s after the batch started with {doneAtKill} of {Products * StepsPerRun} steps done "
            + $"({summary}; {jobsRunningAtKill} jobs running); finished {restart.Elapsed.TotalSeconds:F1} s after the restart; "
            + $"{retried} jobs ran a second attempt; whole test {clock.Elapsed.TotalSeconds:F1} s");
    }
}
