using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// Closes an account on the user's own request (privacy policy 5 and 6; security-privacy.md §2.5, row P2), after
/// re-authentication with the account password. Refused while the user is the only Owner of a workspace that has other
/// members. Otherwise, in one transaction: the account is terminated (<see cref="AppUser.TerminatedAt"/>) and its profile
/// erased (e-mail, names, password hash, phone; a new security stamp ends every session at its next request), its API keys,
/// Identity tokens, logins and claims, consents and page views deleted, its memberships ended, the pending invitations it
/// sent or received cancelled; the workspaces it owns alone are terminated (<see cref="Workspace.TerminatedAt"/>) with their
/// queued and running jobs cancelled, marketplace sync stopped and the subscription ended. Then, through idempotent jobs,
/// each marketplace connection's tokens are revoked at the platform and deleted, and the payment gateway's customer is
/// deleted (which also ends any gateway subscription, so nothing is charged again). Mail copies in the pickup folder
/// addressed to the user are deleted after the commit. Generated content stays for
/// <see cref="ErasureOptions.TerminatedContentRetention"/>; <see cref="TerminatedAccountPurge"/> removes the rest.
/// </summary>
public sealed class DeleteAccount(
    AppDbContext db,
    UserManager<AppUser> users,
    IJobScheduler jobs,
    UsageLedger ledger,
    AuditLog audit,
    PickupMailEraser mail,
    IOptions<ErasureOptions> options,
    TimeProvider time)
{
    public sealed record Request(Guid UserId, string? Password, string? IpAddress = null, string? UserAgent = null);

    /// <param name="ContentErasedAfter">When the purge sweep may remove what is kept (generated content, job history).</param>
    public sealed record Deleted(DateTime TerminatedAt, DateTime ContentErasedAfter, int WorkspacesClosed);

    public async Task<Result<Deleted>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == request.UserId && u.TerminatedAt == null, cancellationToken);
        if (user is null)
        {
            return Result.NotFound();
        }

        if (string.IsNullOrEmpty(request.Password) || await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, request.Password))
        {
            if (!string.IsNullOrEmpty(request.Password))
            {
                await users.AccessFailedAsync(user);
            }

            await audit.RecordAsync(ErasureAudit.AccountDeleted, AuditOutcomes.Failure, user.Id, target: ErasureErrors.PasswordIncorrect,
                ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
            return Result.Invalid("password", ErasureErrors.PasswordIncorrect);
        }

        var memberships = await db.WorkspaceMembers.AsNoTracking().Where(m => m.UserId == user.Id).ToListAsync(cancellationToken);
        var owned = new List<Guid>();
        foreach (var membership in memberships.Where(m => m.Role == WorkspaceRole.Owner))
        {
            var others = await db.WorkspaceMembers.AsNoTracking()
                .Where(m => m.WorkspaceId == membership.WorkspaceId && m.UserId != user.Id)
                .Select(m => m.Role)
                .ToListAsync(cancellationToken);
            if (others.Count == 0)
            {
                owned.Add(membership.WorkspaceId);
            }
            else if (!others.Contains(WorkspaceRole.Owner))
            {
                var name = await db.Workspaces.Where(w => w.Id == membership.WorkspaceId).Select(w => w.Name).SingleAsync(cancellationToken);
                return Result.Conflict("", ErasureErrors.SoleOwner, name);
            }
        }

        var email = user.Email;
        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await EndAccessAsync(user, email, now, cancellationToken);
            foreach (var workspaceId in owned)
            {
                await CloseWorkspaceAsync(workspaceId, user.Id, now, cancellationToken);
            }

            audit.Add(ErasureAudit.AccountDeleted, AuditOutcomes.Success, user.Id, target: $"workspaces:{owned.Count}",
                ipAddress: request.IpAddress, userAgent: request.UserAgent);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (email is not null)
        {
            mail.DeleteAddressedTo(email);
        }

        return new Deleted(now, now + options.Value.TerminatedContentRetention, owned.Count);
    }

    /// <summary>The account: terminated, profile and credentials erased, every session and key dead, memberships ended.</summary>
    private async Task EndAccessAsync(AppUser user, string? email, DateTime now, CancellationToken cancellationToken)
    {
        user.TerminatedAt = now;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        // The profile goes now (personal data that is not generated content: within 24 h, privacy policy 6); the row stays,
        // nameless, until the purge so the sweep knows whose rows to remove.
        user.UserName = user.NormalizedUserName = ErasedUserName(user.Id);
        user.Email = user.NormalizedEmail = null;
        user.EmailConfirmed = false;
        user.PasswordHash = null;
        user.PhoneNumber = null;
        user.PhoneNumberConfirmed = false;
        user.TwoFactorEnabled = false;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        user.DisplayName = "";
        user.DefaultWorkspaceId = null;

        await db.UserTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(l => l.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserClaims.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserRoles.Where(r => r.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.ApiKeys.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.ConsentRecords.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.PageViews.Where(v => v.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.WorkspaceMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        // Data exports: their links stop now, and the hourly export sweep deletes the archives.
        await db.PersonalDataExports.Where(e => e.UserId == user.Id && (e.ExpiresAt == null || e.ExpiresAt > now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, now), cancellationToken);

#pragma warning disable RS0030 // Invitations in every workspace: those the user sent and those addressed to them.
        var invitations = db.WorkspaceInvitations.IgnoreQueryFilters();
#pragma warning restore RS0030
        await invitations.Where(i => i.InvitedByUserId == user.Id && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);
        if (email is not null)
        {
            var normalized = email.ToUpperInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL UPPER(); invitations keep the address as typed.
            await invitations.Where(i => i.Email.ToUpper() == normalized).ExecuteDeleteAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        }
    }

    /// <summary>A workspace the user owned alone: closed now; its connections and gateway customer are let go through jobs.</summary>
    private async Task CloseWorkspaceAsync(Guid workspaceId, Guid userId, DateTime now, CancellationToken cancellationToken)
    {
        await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.TerminatedAt, now), cancellationToken);

#pragma warning disable RS0030 // The closed workspace is not the scope's: its rows are addressed by its id.
        await db.WorkspaceInvitations.IgnoreQueryFilters()
            .Where(i => i.WorkspaceId == workspaceId && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);
        var queued = await db.AllJobs().Where(j => j.WorkspaceId == workspaceId && j.Status == JobStatus.Queued).Select(j => j.Id).ToListAsync(cancellationToken);
        await JobCancellation.EndQueuedAsync(db.AllJobs().Where(j => queued.Contains(j.Id)), now, cancellationToken);
        foreach (var jobId in queued)
        {
            await ledger.ReleaseAsync(jobId, cancellationToken);
        }

        await db.AllJobs().Where(j => j.WorkspaceId == workspaceId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
        await db.MarketplaceListings.IgnoreQueryFilters().Where(l => l.WorkspaceId == workspaceId && l.KeepInSync)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.KeepInSync, false), cancellationToken);

        var connections = await db.MarketplaceConnections.IgnoreQueryFilters()
            .Where(c => c.WorkspaceId == workspaceId && c.Status != ConnectionStatus.Disconnected)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        var subscription = await db.Subscriptions.IgnoreQueryFilters().SingleOrDefaultAsync(s => s.WorkspaceId == workspaceId, cancellationToken);
#pragma warning restore RS0030
        foreach (var connectionId in connections)
        {
            jobs.Schedule(RevokeMarketplaceConnectionJob.JobKind, workspaceId, connectionId, createdByUserId: userId);
        }

        if (subscription is not null)
        {
            // Ended now, for good: no renewal, no pending change, nothing left to charge.
            subscription.Status = SubscriptionStatus.Canceled;
            subscription.CancelAtPeriodEnd = false;
            subscription.PendingPlanCode = null;
            subscription.PendingCycle = null;
            subscription.TrialEndsAt = null;
            subscription.CurrentPeriodEnd = now < subscription.CurrentPeriodEnd ? now : subscription.CurrentPeriodEnd;
            subscription.UpdatedAt = now;
            if (subscription.GatewayCustomerId is not null)
            {
                jobs.Schedule(DeletePaymentCustomerJob.JobKind, workspaceId, subscription.Id, createdByUserId: userId);
            }
        }
    }

    /// <summary>The user name of an erased account: unique, and no personal data.</summary>
    public static string ErasedUserName(Guid userId) => $"erased-{userId:N}";
}
