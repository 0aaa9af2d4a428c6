using System.Collections.Concurrent;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Jobs;

/// <summary>
/// <see cref="PlanFeatures.PriorityRendering"/>: a workspace whose plan has it gets the priority
/// Hangfire queue, which workers take before the default one on both storages.
/// </summary>
public sealed class PriorityQueueTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BusyWorker_BusinessJobScheduledAfterStarterJobs_RunsBeforeThem(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        var starter = await TestWorkspaces.CreateAsync(database, plan: PlanCatalog.Starter);
        var business = await TestWorkspaces.CreateAsync(database, plan: PlanCatalog.Business);
        await using var harness = JobsHarness.Create(database, new Dictionary<string, string?> { ["Jobs:WorkerCount"] = "1" });

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new ConcurrentQueue<Guid>();
        harness.Work.Body = async (job, _, token) =>
        {
            if (job.InputJson is not null)
            {
                // The job that occupies the only worker until the gate opens.
                holding.TrySetResult();
                await gate.Task.WaitAsync(token);
            }

            order.Enqueue(job.Id);
            return null;
        };
        await harness.StartAsync();

        var blocker = await harness.ScheduleAsync(starter, input: new { hold = true });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        var starterJobs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            starterJobs.Add(await harness.ScheduleAsync(starter));
        }

        var businessJob = await harness.ScheduleAsync(business);
        foreach (var jobId in (Guid[])[.. starterJobs, businessJob])
        {
            // The dispatcher records the Hangfire id once the job is in Hangfire's queue.
            await harness.WaitForAsync(jobId, j => j.HangfireJobId is not null, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(JobStatus.Running, (await harness.LoadAsync(blocker)).Status);
        Assert.Empty(order);
        gate.SetResult();

        foreach (var jobId in (Guid[])[blocker, .. starterJobs, businessJob])
        {
            await harness.WaitForAsync(jobId, j => j.Status == JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        }

        var executed = order.ToList();
        Assert.Equal(5, executed.Count);
        Assert.Equal(blocker, executed[0]);
        foreach (var starterJob in starterJobs)
        {
            Assert.True(
                executed.IndexOf(businessJob) < executed.IndexOf(starterJob),
                $"The Business job ran at position {executed.IndexOf(businessJob)}, after a Starter job scheduled before it (position {executed.IndexOf(starterJob)}).");
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ForJobsAsync_PlanWithoutAndWithPriorityRendering_DefaultAndPriorityQueue(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        var creator = await TestWorkspaces.CreateAsync(database, plan: PlanCatalog.Creator);
        var business = await TestWorkspaces.CreateAsync(database, plan: PlanCatalog.Business);
        await using var context = database.CreateContext();
        var scheduler = new JobScheduler(context, TimeProvider.System);
        var creatorJob = scheduler.Schedule(TestJobHandler.JobKind, creator).Id;
        var businessJob = scheduler.Schedule(TestJobHandler.JobKind, business).Id;
        await context.SaveChangesAsync(ct);
        var unknownJob = Guid.NewGuid();

        var queues = await JobQueues.ForJobsAsync(context, [creatorJob, businessJob, unknownJob], TimeProvider.System, ct);

        Assert.Equal(JobQueues.Default, queues[creatorJob]);
        Assert.Equal(JobQueues.Priority, queues[businessJob]);
        Assert.Equal(JobQueues.Default, queues[unknownJob]);
        Assert.Equal(JobQueues.Priority, await JobQueues.ForJobAsync(context, businessJob, TimeProvider.System, ct));
        Assert.Empty(await JobQueues.ForJobsAsync(context, [], TimeProvider.System, ct));

        // An administrator's grant gives a Creator workspace priority too.
#pragma warning disable RS0030 // Test set-up of a named workspace.
        (await context.Subscriptions.IgnoreQueryFilters().SingleAsync(s => s.WorkspaceId == creator, ct)).GrantedFeatures = [PlanFeatures.PriorityRendering];
#pragma warning restore RS0030
        await context.SaveChangesAsync(ct);
        Assert.Equal(JobQueues.Priority, await JobQueues.ForJobAsync(context, creatorJob, TimeProvider.System, ct));
    }

    [Fact]
    public void PriorityQueue_SortsBeforeDefaultAndIsListedFirst()
    {
        // Hangfire.PostgreSql takes queues in name order, Hangfire.InMemory in the server's order.
        Assert.True(string.CompareOrdinal(JobQueues.Priority, JobQueues.Default) < 0);
        Assert.Equal([JobQueues.Priority, JobQueues.Default], JobQueues.ServerOrder);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RunAsync_PollLaterThenEarlyDelivery_SchedulesEachDeliveryOnTheWorkspaceQueue(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var creator = await TestWorkspaces.CreateAsync(database, plan: PlanCatalog.Creator);
        var business = await TestWorkspaces.CreateAsync(database, plan: PlanCatalog.Business);
        await using var harness = JobsHarness.Create(database);
        harness.Work.Body = (_, _, _) => throw new JobPollLaterException(TimeSpan.FromMinutes(1));

        foreach (var (workspaceId, queue) in (IEnumerable<(Guid, string)>)[(creator, JobQueues.Default), (business, JobQueues.Priority)])
        {
            var jobId = await harness.ScheduleAsync(workspaceId);

            // Poll later: the runner schedules the next delivery (JobRunner.RequeueAsync).
            await harness.RunAsync(jobId);
            var polled = (await harness.LoadAsync(jobId)).HangfireJobId;
            Assert.Equal(queue, QueueOf(harness, polled));

            // A delivery before NotBefore schedules itself again for the rest of the wait.
            await harness.RunAsync(jobId);
            var again = (await harness.LoadAsync(jobId)).HangfireJobId;
            Assert.NotEqual(polled, again);
            Assert.Equal(queue, QueueOf(harness, again));
            Assert.Equal(1, harness.Work.ExecutionsOf(jobId));
        }
    }

    private static string? QueueOf(JobsHarness harness, string? hangfireJobId)
    {
        Assert.NotNull(hangfireJobId);
        using var connection = harness.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetJobData(hangfireJobId)?.Job?.Queue;
    }
}
