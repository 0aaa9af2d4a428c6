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
    public async Task<Result<Job>> ScheduleAsync(
        string kind, Guid workspaceId, Guid? subjectId, object input, Guid? userId, string meter, long units, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = scheduler.Schedule(kind, workspaceId, subjectId, input, userId);
        var reserved = await ledger.ReserveAsync(workspaceId, meter, units, job.Id, cancellationToken);
        if (reserved is ReserveResult.QuotaExceeded exceeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Result.Conflict("", UsageErrors.QuotaExceeded, exceeded.Meter, exceeded.Used, exceeded.Limit);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return job;
    }
}
