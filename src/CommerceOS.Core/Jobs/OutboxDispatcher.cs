using CommerceOS.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// Hands committed jobs to Hangfire. Each outbox row is first claimed with a guarded update
/// (<c>DispatchedAt IS NULL</c>), so concurrent dispatchers enqueue it once; the job is then
/// enqueued with its ID as the only argument, on its workspace's queue (<see cref="JobQueues"/>, one
/// lookup per batch), and the Hangfire job id is stored on the row.
/// If the process dies between the claim and the enqueue, the job stays Queued and
/// <see cref="JobRecoverySweep"/> re-enqueues it after the grace period.
/// <see cref="OutboxMessage"/> has no tenant filter; job rows are updated through the system query.
/// </summary>
public sealed class OutboxDispatcher(AppDbContext db, IBackgroundJobClient hangfire, TimeProvider time)
{
    private const int BatchSize = 100;

    /// <summary>Dispatches every undispatched outbox row; returns how many jobs this call enqueued.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var dispatched = 0;
        while (true)
        {
            var batch = await db.OutboxMessages.AsNoTracking()
                .Where(o => o.DispatchedAt == null)
                .OrderBy(o => o.CreatedAt)
                .Select(o => new { o.Id, o.JobId })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            var queues = await JobQueues.ForJobsAsync(db, batch.ConvertAll(o => o.JobId), time, cancellationToken);

            foreach (var message in batch)
            {
                var now = time.GetUtcNow().UtcDateTime;
                var claimed = await db.OutboxMessages
                    .Where(o => o.Id == message.Id && o.DispatchedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.DispatchedAt, now), cancellationToken);
                if (claimed == 0)
                {
                    continue;
                }

                string hangfireJobId;
                try
                {
                    hangfireJobId = hangfire.Enqueue<JobRunner>(queues[message.JobId], runner => runner.RunAsync(message.JobId, CancellationToken.None));
                }
                catch
                {
                    await db.OutboxMessages
                        .Where(o => o.Id == message.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(o => o.DispatchedAt, (DateTime?)null), CancellationToken.None);
                    throw;
                }

                // Only the first id is recorded: a retry may already have stored a newer one.
                await db.AllJobs()
                    .Where(j => j.Id == message.JobId && j.HangfireJobId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.HangfireJobId, hangfireJobId), cancellationToken);
                dispatched++;
            }

            if (batch.Count < BatchSize)
            {
                return dispatched;
            }
        }
    }
}
