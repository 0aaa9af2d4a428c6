using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// Cancels a job of the current workspace. A queued job (waiting, backing off, or between polls of a vendor task) ends at
/// once and its reservation is returned in the same transaction; a running one is flagged, its heartbeat stops the handler
/// (which kills what it started, e.g. ffmpeg) and the runner records Cancelled. Editors and above.
/// </summary>
public sealed class CancelJob(AppDbContext db, WorkspaceContext workspace, JobCancellation cancellation)
{
    public async Task<Result<Job>> HandleAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        // Tenant-filtered: another workspace's job is not found.
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return Result.NotFound();
        }

        if (!await cancellation.CancelAsync(jobId, cancellationToken))
        {
            return Result.Conflict("", JobErrors.AlreadyFinished);
        }

        db.ChangeTracker.Clear();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
    }
}

/// <summary>The cancellation steps shared by <see cref="CancelJob"/> and the runner, on rows addressed by id.</summary>
public sealed class JobCancellation(AppDbContext db, UsageLedger ledger, TimeProvider time)
{
    /// <summary>False when the job is already terminal.</summary>
    public async Task<bool> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        // The runner moves a row between Running and Queued; a few rounds settle any race with it.
        for (var round = 0; round < 3; round++)
        {
            if (await CancelQueuedAsync(jobId, cancellationToken))
            {
                return true;
            }

            var flagged = await db.AllJobs()
                .Where(j => j.Id == jobId && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
            if (flagged == 1)
            {
                return true;
            }

            var status = await db.AllJobs().Where(j => j.Id == jobId).Select(j => (JobStatus?)j.Status).SingleOrDefaultAsync(cancellationToken);
            if (status is null or JobStatus.Succeeded or JobStatus.Failed or JobStatus.DeadLettered or JobStatus.Cancelled)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Ends a queued row as Cancelled and returns its reservation, in one transaction. False if the row was not queued.</summary>
    public async Task<bool> CancelQueuedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await EndQueuedAsync(db.AllJobs().Where(j => j.Id == jobId), now, cancellationToken);
        if (rows == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await ledger.ReleaseAsync(jobId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Ends the queued ones among <paramref name="jobs"/> as Cancelled (one UPDATE; reservations are the caller's).</summary>
    public static Task<int> EndQueuedAsync(IQueryable<Job> jobs, DateTime now, CancellationToken cancellationToken) =>
        jobs.Where(j => j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, JobStatus.Cancelled)
                    .SetProperty(j => j.CancelRequested, true)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.NotBefore, (DateTime?)null)
                    .SetProperty(j => j.LastError, JobErrors.Cancelled),
                cancellationToken);
}
