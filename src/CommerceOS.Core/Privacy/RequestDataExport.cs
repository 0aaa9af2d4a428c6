using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// Starts a copy of the signed-in user's personal data (privacy policy section 6). The account password is asked again
/// (re-authentication); a wrong or missing one schedules nothing, is audited as a failure and counts toward the account's
/// lock-out like a failed sign-in. One export at a time: while one is pending, a new request answers that one's job.
/// The job runs in the workspace the request came from (<see cref="Request.WorkspaceId"/>), so the caller can poll it
/// at <c>/api/v1/jobs/{id}</c>; what it reads is chosen by the user, not by that workspace.
/// </summary>
public sealed class RequestDataExport(AppDbContext db, UserManager<AppUser> users, IJobScheduler jobs, AuditLog audit, TimeProvider time)
{
    public const string JobKind = "privacy.export";

    public sealed record Request(Guid UserId, Guid WorkspaceId, string? Password, string? IpAddress, string? UserAgent);

    public enum Outcome
    {
        Scheduled,
        AlreadyPending,
        PasswordRefused,
    }

    public sealed record Response(Outcome Outcome, PersonalDataExport? Export, Job? Job);

    public async Task<Response> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || user.TerminatedAt is not null || await users.IsLockedOutAsync(user)
            || string.IsNullOrEmpty(request.Password) || !await users.CheckPasswordAsync(user, request.Password))
        {
            if (user is not null && !string.IsNullOrEmpty(request.Password))
            {
                await users.AccessFailedAsync(user);
            }

            await audit.RecordAsync(AuditActions.PrivacyExportRequested, AuditOutcomes.Failure, request.UserId, request.WorkspaceId, "reauth", request.IpAddress, request.UserAgent, cancellationToken);
            return new(Outcome.PasswordRefused, null, null);
        }

        if (await users.GetAccessFailedCountAsync(user) > 0)
        {
            await users.ResetAccessFailedCountAsync(user);
        }

        if (await PendingAsync(request.UserId, cancellationToken) is { } pending)
        {
            return new(Outcome.AlreadyPending, pending.Export, pending.Job);
        }

        var export = new PersonalDataExport
        {
            UserId = request.UserId,
            WorkspaceId = request.WorkspaceId,
            Status = DataExportStatus.Pending,
            RequestedAt = time.GetUtcNow().UtcDateTime,
        };
        var job = jobs.Schedule(JobKind, request.WorkspaceId, export.Id, new { exportId = export.Id }, request.UserId);
        export.JobId = job.Id;
        db.PersonalDataExports.Add(export);
        audit.Add(AuditActions.PrivacyExportRequested, AuditOutcomes.Success, request.UserId, request.WorkspaceId, export.Id.ToString(), request.IpAddress, request.UserAgent);
        await db.SaveChangesAsync(cancellationToken);
        return new(Outcome.Scheduled, export, job);
    }

    /// <summary>The user's pending export and its job; a pending row whose job ended without it (dead-lettered, cancelled) is marked failed.</summary>
    private async Task<(PersonalDataExport Export, Job Job)?> PendingAsync(Guid userId, CancellationToken cancellationToken)
    {
        var pending = await db.PersonalDataExports.Where(e => e.UserId == userId && e.Status == DataExportStatus.Pending).ToListAsync(cancellationToken);
        foreach (var export in pending)
        {
            // The job may run in another of the user's workspaces than this request's: it is addressed by the id on the user's own row.
            var job = export.JobId is { } jobId ? await db.AllJobs().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) : null;
            if (job is { IsTerminal: false })
            {
                return (export, job);
            }

            await db.PersonalDataExports
                .Where(e => e.Id == export.Id && e.Status == DataExportStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, DataExportStatus.Failed), cancellationToken);
        }

        return null;
    }
}
