using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;

namespace CommerceOS.Core.Billing;

/// <summary>
/// Schedules a job and reserves its units of a meter in one transaction: a request over the quota schedules nothing and
/// changes nothing (Conflict <see cref="UsageErrors.QuotaExceeded"/>), an accepted one can never push the workspace past
/// its plan. The job runner commits the reservation on success and releases it on failure.
/// </summary>
public sealed class MeteredJobs(AppDbContext db, IJobScheduler scheduler, UsageLedger ledger)
{
    /// <param name="input">Serialised to the job's input; IDs and parameters only, never personal data.</param>
    /// <remarks>
    /// Inside a caller's transaction (the workflow engine claims a step and schedules its job in one) the work joins it:
    /// nothing is committed or rolled back here, and a refusal leaves the caller's own changes to the caller.
    /// </remarks>
    public async Task<Result<Job>> ScheduleAsync(
        string kind, Guid workspaceId, Guid? subjectId, object input, Guid? userId, string meter, long units, CancellationToken cancellationToken)
    {
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        await using (ownTransaction)
        {
            var job = scheduler.Schedule(kind, workspaceId, subjectId, input, userId);
            var reserved = await ledger.ReserveAsync(workspaceId, meter, units, job.Id, cancellationToken);
            if (reserved is ReserveResult.QuotaExceeded exceeded)
            {
                if (ownTransaction is not null)
                {
                    await ownTransaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                }
                else
                {
                    Forget(job);
                }

                return Result.Conflict("", UsageErrors.QuotaExceeded, exceeded.Meter, exceeded.Used, exceeded.Limit);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return job;
        }
    }

    /// <summary>Drops the unsaved job and its outbox entry, keeping whatever else the caller tracks.</summary>
    private void Forget(Job job)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added
            && (ReferenceEquals(e.Entity, job) || (e.Entity is OutboxMessage outbox && outbox.JobId == job.Id))).ToList())
        {
            entry.State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        }
    }
}
