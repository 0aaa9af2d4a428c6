using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Publishing;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// Deletes finished job rows older than <see cref="JobsOptions.FinishedRetention"/> (by <see cref="Job.FinishedAt"/>) in
/// batches across all workspaces, with their outbox rows and what Hangfire still holds of them; then deletes Hangfire's
/// failed jobs older than the same window, on either storage (they never expire on their own: security-privacy.md 0.6).
/// <para>
/// Kept while something still needs them: jobs a workflow step execution points at (the run's history joins them;
/// deleting the run lets them go on a later sweep) and jobs of a publication still under way. Rows that keep a job's ID
/// only as a note (<see cref="Assets.Asset.JobId"/>, copy versions) stay as they are; every reader treats a missing job
/// as "no job". Idempotent: a re-run deletes nothing more. Only counts are logged.
/// </para>
/// </summary>
public sealed partial class JobRetention(
    AppDbContext db, JobStorage storage, IBackgroundJobClient hangfire, TimeProvider time, IOptions<JobsOptions> options, ILogger<JobRetention> logger)
{
    public const int BatchSize = 1000;

    private const int HangfirePage = 500;

    private static readonly JobStatus[] Finished = [JobStatus.Succeeded, JobStatus.Failed, JobStatus.DeadLettered, JobStatus.Cancelled];

    private static readonly PublicationStatus[] UnderWay = [PublicationStatus.Scheduled, PublicationStatus.Queued, PublicationStatus.Running, PublicationStatus.Pending];

    /// <returns>The job rows deleted.</returns>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNowForDatabase() - options.Value.FinishedRetention;
        var deleted = 0;
        while (true)
        {
            var batch = await Purgeable(before)
                .OrderBy(j => j.FinishedAt).ThenBy(j => j.Id)
                .Select(j => new { j.Id, j.HangfireJobId })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var hangfireJobId in batch.Select(j => j.HangfireJobId).OfType<string>())
            {
                DeleteHangfireRecord(hangfireJobId);
            }

            var ids = batch.ConvertAll(j => j.Id);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.OutboxMessages.Where(o => ids.Contains(o.JobId)).ExecuteDeleteAsync(cancellationToken);
            var rows = await Purgeable(before).Where(j => ids.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            deleted += rows;
            if (batch.Count < BatchSize || rows == 0)
            {
                break;
            }
        }

        var failed = PurgeFailedHangfireJobs(before);
        LogPurged(deleted, failed);
        return deleted;
    }

    /// <summary>Moves Hangfire's failed jobs that failed before <paramref name="before"/> to the deleted state, which expires.</summary>
    /// <returns>How many were deleted.</returns>
    public int PurgeFailedHangfireJobs(DateTime before)
    {
        var monitoring = storage.GetMonitoringApi();
        var old = new List<string>();
        var total = monitoring.FailedCount();
        for (var from = 0L; from < total; from += HangfirePage)
        {
            old.AddRange(monitoring.FailedJobs((int)from, HangfirePage)
                .Where(j => j.Value is null || j.Value.FailedAt is null || j.Value.FailedAt < before)
                .Select(j => j.Key));
        }

        return old.Count(id => hangfire.Delete(id, FailedState.StateName));
    }

    private IQueryable<Job> Purgeable(DateTime before) =>
        db.AllJobs().Where(j => Finished.Contains(j.Status) && (j.FinishedAt ?? j.CreatedAt) < before
            && !AllExecutions().Any(e => e.JobId == j.Id)
            && !AllPublications().Any(p => p.JobId == j.Id && UnderWay.Contains(p.Status)));

    /// <summary>A finished row's Hangfire execution has succeeded (expires by itself) or is failed, scheduled or left over: delete it.</summary>
    private void DeleteHangfireRecord(string hangfireJobId)
    {
        var state = storage.StateOf(hangfireJobId);
        if (state is not null && state != SucceededState.StateName && state != DeletedState.StateName)
        {
            hangfire.Delete(hangfireJobId);
        }
    }

#pragma warning disable RS0030 // System sweep: rows matched to job ids, which are unique across workspaces.
    private IQueryable<Workflows.WorkflowStepExecution> AllExecutions() => db.WorkflowStepExecutions.IgnoreQueryFilters();

    private IQueryable<Publication> AllPublications() => db.Publications.IgnoreQueryFilters();
#pragma warning restore RS0030

    [LoggerMessage(Level = LogLevel.Information, Message = "Job retention: {Jobs} finished jobs and {Failed} failed Hangfire jobs deleted")]
    private partial void LogPurged(int jobs, int failed);
}
