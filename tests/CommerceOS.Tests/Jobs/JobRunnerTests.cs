using CommerceOS.Core.Billing;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Jobs;

public sealed class JobRunnerTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_HandlerSucceeds_StoresOutputProgressAndCommitsUsage(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        Assert.IsType<ReserveResult.Reserved>(await harness.ReserveAsync(workspaceId, jobId, units: 2));
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Work.Body = async (job, progress, ct) =>
        {
            progress.Report(0.5);
            halfway.SetResult();
            await finish.Task.WaitAsync(ct);
            return """{"thumbnail":"abc"}""";
        };

        var run = harness.RunAsync(jobId);
        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var running = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Running, running.Status);
        Assert.Equal(harness.Now + harness.Options.LeaseDuration, running.LeaseUntil);

        // Progress is persisted by the heartbeat while the handler still runs.
        var deadline = Environment.TickCount64 + 30_000;
        while ((await harness.LoadAsync(jobId)).Progress < 0.5)
        {
            Assert.True(Environment.TickCount64 < deadline, "Progress was never persisted.");
            harness.Time.Advance(harness.Options.ProgressInterval);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // The lease is renewed while the handler runs, so a long job is not taken for a crashed one.
        var firstLease = running.LeaseUntil!.Value;
        while ((await harness.LoadAsync(jobId)).LeaseUntil <= firstLease)
        {
            Assert.True(Environment.TickCount64 < deadline + 30_000, "The lease was never renewed.");
            harness.Time.Advance(harness.Options.ProgressInterval);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(harness.Now - running.StartedAt!.Value >= harness.Options.LeaseDuration / 3);
        finish.SetResult();
        await run;

        var done = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal("""{"thumbnail":"abc"}""", done.OutputJson);
        Assert.Equal(1d, done.Progress);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(harness.Now, done.FinishedAt);
        Assert.Null(done.LeaseUntil);
        Assert.Null(done.LastError);
        await using var context = database.CreateContext();
#pragma warning disable RS0030 // Test inspection across workspaces.
        var reservation = await context.UsageReservations.IgnoreQueryFilters().SingleAsync(r => r.JobId == jobId, TestContext.Current.CancellationToken);
        var counter = await context.UsageCounters.IgnoreQueryFilters().SingleAsync(c => c.Id == reservation.CounterId, TestContext.Current.CancellationToken);
#pragma warning restore RS0030
        Assert.Equal(ReservationStatus.Committed, reservation.Status);
        Assert.Equal(2, counter.Used);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_HandlerAlwaysThrows_RetriesWithBackOffThenDeadLettersAfterMaxAttempts(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        Assert.IsType<ReserveResult.Reserved>(await harness.ReserveAsync(workspaceId, jobId));
        harness.Work.Body = (_, _, _) => throw new InvalidOperationException("vendor said no to seller@example.com\nline two");

        for (var attempt = 1; attempt < Job.DefaultMaxAttempts; attempt++)
        {
            var before = harness.Now;
            await harness.RunAsync(jobId);
            var job = await harness.LoadAsync(jobId);
            Assert.Equal(JobStatus.Queued, job.Status);
            Assert.Equal(attempt, job.Attempts);
            Assert.Equal("InvalidOperationException: vendor said no to [email] line two", job.LastError);
            var minimum = harness.Options.RetryBaseDelay * Math.Pow(2, attempt - 1);
            Assert.InRange(job.NotBefore!.Value, before + minimum, before + (minimum * 1.2));
            Assert.NotNull(job.HangfireJobId);

            // Not due yet: a duplicate (or early) delivery must not run it, and schedules it again for when it is due.
            await harness.RunAsync(jobId);
            Assert.Equal(attempt, harness.Work.ExecutionsOf(jobId));
            Assert.NotEqual(job.HangfireJobId, (await harness.LoadAsync(jobId)).HangfireJobId);

            harness.Time.SetUtcNow(job.NotBefore.Value);
        }

        await harness.RunAsync(jobId);
        var dead = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.DeadLettered, dead.Status);
        Assert.Equal(Job.DefaultMaxAttempts, dead.Attempts);
        Assert.Equal(Job.DefaultMaxAttempts, harness.Work.ExecutionsOf(jobId));
        Assert.NotNull(dead.FinishedAt);

        // Terminal: another delivery does nothing; the reserved unit went back to the counter.
        harness.Time.Advance(TimeSpan.FromDays(1));
        await harness.RunAsync(jobId);
        Assert.Equal(Job.DefaultMaxAttempts, harness.Work.ExecutionsOf(jobId));
        await AssertUsageAsync(database, jobId, ReservationStatus.Released, used: 0);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_JobRejected_FailsAtOnceAndReleasesUsage(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        Assert.IsType<ReserveResult.Reserved>(await harness.ReserveAsync(workspaceId, jobId, units: 3));
        harness.Work.Body = (_, _, _) => throw new JobRejectedException("assets.not_found", "The asset is gone.");

        await harness.RunAsync(jobId);
        harness.Time.Advance(TimeSpan.FromHours(2));
        await harness.RunAsync(jobId);

        var job = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Equal("assets.not_found", job.LastError);
        Assert.Equal(1, harness.Work.ExecutionsOf(jobId));
        await AssertUsageAsync(database, jobId, ReservationStatus.Released, used: 0);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_ConcurrentDeliveries_ExecuteHandlerOnce(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Work.Body = async (_, _, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return null;
        };

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deliveries = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await harness.RunAsync(jobId);
        })).ToList();
        start.SetResult();

        // Seven deliveries find the row claimed and return while the owner is still running.
        var deadline = Environment.TickCount64 + 30_000;
        while (deliveries.Count(t => t.IsCompleted) < 7)
        {
            Assert.True(Environment.TickCount64 < deadline, "Losing deliveries did not return.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        release.SetResult();
        await Task.WhenAll(deliveries);

        Assert.Equal(1, harness.Work.ExecutionsOf(jobId));
        var job = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(1, job.Attempts);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_ClaimAfterCrashOnLastAttempt_DeadLettersWithoutRunning(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        Assert.IsType<ReserveResult.Reserved>(await harness.ReserveAsync(workspaceId, jobId));
        await SimulateCrashAsync(harness, jobId, attempts: Job.DefaultMaxAttempts);

        await harness.RunAsync(jobId);

        var job = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.DeadLettered, job.Status);
        Assert.Equal(Job.DefaultMaxAttempts, job.Attempts);
        Assert.Equal(JobErrors.AttemptsExhausted, job.LastError);
        Assert.Equal(0, harness.Work.ExecutionsOf(jobId));
        await AssertUsageAsync(database, jobId, ReservationStatus.Released, used: 0);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_HostShutsDown_LeavesRowQueuedAndRunnable(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Work.Body = async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        };
        using var shutdown = new CancellationTokenSource();

        var run = harness.RunUntilShutdownAsync(jobId, shutdown.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var requeued = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Queued, requeued.Status);
        Assert.Equal(0, requeued.Attempts);
        Assert.Null(requeued.LeaseUntil);

        harness.Work.Body = (_, _, _) => Task.FromResult<string?>(null);
        await harness.RunAsync(jobId);
        var done = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(2, harness.Work.ExecutionsOf(jobId));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_UnknownKind_FailsWithCode(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = await harness.InScopeAsync(async sp =>
        {
            var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IJobScheduler>(sp).Schedule("tests.nobody", workspaceId);
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Core.Data.AppDbContext>(sp).SaveChangesAsync(TestContext.Current.CancellationToken);
            return job.Id;
        });

        await harness.RunAsync(jobId);

        var failed = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal(JobErrors.UnknownKind, failed.LastError);
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(4, 120)]
    [InlineData(20, 3600)]
    public void RetryDelay_Attempt_DoublesUpToCapWithBoundedJitter(int attempt, int expectedSeconds)
    {
        var options = new JobsOptions();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), JobRunner.RetryDelay(attempt, options, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds * 1.2), JobRunner.RetryDelay(attempt, options, jitter: 1));
    }

    [Fact]
    public void Describe_LongMultilineMessage_OneTruncatedLineWithoutStackTrace()
    {
        Exception thrown;
        try
        {
            throw new TimeoutException("first line\r\nsecond " + new string('x', 1000));
        }
        catch (TimeoutException exception)
        {
            thrown = exception;
        }

        var text = JobRunner.Describe(thrown);

        Assert.StartsWith("TimeoutException: first line second xxx", text, StringComparison.Ordinal);
        Assert.Equal(500, text.Length);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    internal static async Task SimulateCrashAsync(JobsHarness harness, Guid jobId, int attempts)
    {
        await using var context = harness.Database.CreateContext();
        var leaseUntil = harness.Now - TimeSpan.FromSeconds(1);
#pragma warning disable RS0030 // Test set-up across workspaces.
        await context.Jobs.IgnoreQueryFilters().Where(j => j.Id == jobId).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Status, JobStatus.Running)
                .SetProperty(j => j.Attempts, attempts)
                .SetProperty(j => j.LeaseUntil, leaseUntil)
                .SetProperty(j => j.HangfireJobId, "lost-with-the-process"),
            TestContext.Current.CancellationToken);
#pragma warning restore RS0030
        await context.OutboxMessages.Where(o => o.JobId == jobId).ExecuteUpdateAsync(s => s.SetProperty(o => o.DispatchedAt, leaseUntil), TestContext.Current.CancellationToken);
    }

    private static async Task AssertUsageAsync(TestDatabase database, Guid jobId, ReservationStatus status, long used)
    {
        await using var context = database.CreateContext();
#pragma warning disable RS0030 // Test inspection across workspaces.
        var reservation = await context.UsageReservations.IgnoreQueryFilters().SingleAsync(r => r.JobId == jobId, TestContext.Current.CancellationToken);
        var counter = await context.UsageCounters.IgnoreQueryFilters().SingleAsync(c => c.Id == reservation.CounterId, TestContext.Current.CancellationToken);
#pragma warning restore RS0030
        Assert.Equal(status, reservation.Status);
        Assert.Equal(used, counter.Used);
    }
}
