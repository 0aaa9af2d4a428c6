using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Jobs;

/// <summary>
/// End to end through a real in-process Hangfire server with the production storage choice
/// (Hangfire.InMemory on SQLite, Hangfire.PostgreSql in schema "hangfire" on PostgreSQL).
/// </summary>
public sealed class JobsHangfireTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Schedule_CommittedThroughAppDbContext_IsDispatchedAndRunsOnce(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        await harness.StartAsync();

        // The recurring outbox sweep is yearly here: only the commit signal can dispatch this quickly.
        var jobId = await harness.ScheduleAsync(workspaceId);

        var job = await harness.WaitForAsync(jobId, j => j.Status == JobStatus.Succeeded && j.HangfireJobId is not null, TimeSpan.FromSeconds(30));
        Assert.Equal(1, job.Attempts);
        Assert.Equal($$"""{"done":"{{jobId}}"}""", job.OutputJson);
        Assert.Equal(1, harness.Work.ExecutionsOf(jobId));
        await using var context = database.CreateContext();
        Assert.NotNull((await context.OutboxMessages.SingleAsync(o => o.JobId == jobId, TestContext.Current.CancellationToken)).DispatchedAt);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Start_OutboxRowsLeftUndispatched_DispatchesAndRunsEachOnce(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        await using var harness = JobsHarness.Create(database);

        // Committed by a context without the dispatch signal: the process "died" before enqueueing.
        var jobIds = new List<Guid>();
        await using (var context = database.CreateContext())
        {
            var scheduler = new JobScheduler(context, harness.Time);
            for (var i = 0; i < 5; i++)
            {
                jobIds.Add(scheduler.Schedule(TestJobHandler.JobKind, workspaceId).Id);
            }

            await context.SaveChangesAsync(ct);
        }

        await harness.StartAsync();

        foreach (var jobId in jobIds)
        {
            // The dispatcher records the Hangfire id right after enqueueing; the job may finish first.
            await harness.WaitForAsync(jobId, j => j.Status == JobStatus.Succeeded && j.HangfireJobId is not null, TimeSpan.FromSeconds(30));
            Assert.Equal(1, harness.Work.ExecutionsOf(jobId));
        }

        await using var check = database.CreateContext();
        Assert.Equal(0, await check.OutboxMessages.CountAsync(o => o.DispatchedAt == null, ct));
        var dispatchedAgain = await harness.InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(ct));
        Assert.Equal(0, dispatchedAgain);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RecoverySweep_RunningJobWithExpiredLease_IsRecoveredAndCompletesOnce(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        await using var harness = JobsHarness.Create(database);
        var crashed = await harness.ScheduleAsync(workspaceId);
        var stillLeased = await harness.ScheduleAsync(workspaceId);
        await JobRunnerTests.SimulateCrashAsync(harness, crashed, attempts: 1);
        await JobRunnerTests.SimulateCrashAsync(harness, stillLeased, attempts: 1);
        await using (var context = database.CreateContext())
        {
            // This one's owner is alive: its lease runs for another minute.
            var liveLease = harness.Now.AddMinutes(1);
#pragma warning disable RS0030 // Test set-up across workspaces.
            await context.Jobs.IgnoreQueryFilters().Where(j => j.Id == stillLeased)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, liveLease), ct);
#pragma warning restore RS0030
        }

        // Start-up runs the recovery sweep once (the recurring one is every 30 s).
        await harness.StartAsync();

        var job = await harness.WaitForAsync(crashed, j => j.Status == JobStatus.Succeeded, TimeSpan.FromSeconds(30));
        Assert.Equal(2, job.Attempts);
        Assert.Equal(1, harness.Work.ExecutionsOf(crashed));
        Assert.Equal(JobStatus.Running, (await harness.LoadAsync(stillLeased)).Status);
        Assert.Equal(0, harness.Work.ExecutionsOf(stillLeased));

        // Sweeping again is idempotent: nothing is re-enqueued for the finished job.
        var again = await harness.InScopeAsync(sp => sp.GetRequiredService<JobRecoverySweep>().RecoverAsync(ct));
        Assert.Equal(0, again);
        Assert.Equal(1, harness.Work.ExecutionsOf(crashed));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RecoverySweep_QueuedJobWhoseExecutionVanished_IsReEnqueuedAfterGracePeriod(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        await using var harness = JobsHarness.Create(database);
        var jobId = await harness.ScheduleAsync(workspaceId);
        await using (var context = database.CreateContext())
        {
            // Dispatched, but Hangfire's queue was lost (in-memory storage across a restart).
            await context.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(o => o.DispatchedAt, harness.Now), ct);
        }

        var sweep = () => harness.InScopeAsync(sp => sp.GetRequiredService<JobRecoverySweep>().RecoverAsync(ct));
        Assert.Equal(0, await sweep());

        harness.Time.Advance(harness.Options.RecoveryGracePeriod);
        Assert.Equal(1, await sweep());

        // Its execution is now pending in Hangfire: a second sweep does not enqueue another.
        Assert.Equal(0, await sweep());
        await harness.StartAsync();
        await harness.WaitForAsync(jobId, j => j.Status == JobStatus.Succeeded, TimeSpan.FromSeconds(30));
        Assert.Equal(1, harness.Work.ExecutionsOf(jobId));
    }
}
