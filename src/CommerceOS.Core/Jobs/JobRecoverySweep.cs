using CommerceOS.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// Re-enqueues work that has no live execution, so a <c>kill -9</c> of any process loses nothing:
/// Queued jobs that are due (past <see cref="Job.NotBefore"/>, or created, more than
/// <see cref="JobsOptions.RecoveryGracePeriod"/> ago) whose outbox row was dispatched but whose
/// Hangfire execution is gone, and Running jobs whose lease expired. Running it twice is harmless:
/// a pending Hangfire execution is detected and skipped, and <see cref="JobRunner"/>'s guarded
/// claim lets only one execution own a row. Each job goes back to its workspace's queue
/// (<see cref="JobQueues"/>).
/// </summary>
public sealed class JobRecoverySweep(AppDbContext db, IBackgroundJobClient hangfire, JobStorage storage, TimeProvider time, IOptions<JobsOptions> options)
{
    private const int BatchSize = 500;

    /// <summary>Returns how many jobs were re-enqueued.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var dueBefore = now - options.Value.RecoveryGracePeriod;
        var candidates = await db.AllJobs().AsNoTracking()
            .Where(j =>
                (j.Status == JobStatus.Queued
                    && (j.NotBefore ?? j.CreatedAt) <= dueBefore
                    && !db.OutboxMessages.Any(o => o.JobId == j.Id && o.DispatchedAt == null))
                || (j.Status == JobStatus.Running && j.LeaseUntil < now))
            .OrderBy(j => j.CreatedAt)
            .Select(j => new { j.Id, j.Status, j.HangfireJobId })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var queues = await JobQueues.ForJobsAsync(db, candidates.ConvertAll(j => j.Id), time, cancellationToken);

        var recovered = 0;
        foreach (var job in candidates)
        {
            // A queued row whose execution is processing is about to be claimed; a running row whose
            // execution is "processing" is exactly the crashed one, so only pending executions count.
            if (storage.IsLive(job.HangfireJobId, processingCounts: job.Status == JobStatus.Queued))
            {
                continue;
            }

            var hangfireJobId = hangfire.Enqueue<JobRunner>(queues[job.Id], runner => runner.RunAsync(job.Id, CancellationToken.None));
            await db.AllJobs()
                .Where(j => j.Id == job.Id && j.Status == job.Status)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.HangfireJobId, hangfireJobId), cancellationToken);
            recovered++;
        }

        return recovered;
    }
}
