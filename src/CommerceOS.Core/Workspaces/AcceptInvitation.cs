using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// A signed-in user accepts an invitation from its link token. The token must be known, not
/// revoked, not expired and not used by anyone else, and the user's e-mail address must be the
/// invited one (otherwise <see cref="WorkspaceErrors.InvitationWrongUser"/> names the invited
/// address, which the link holder already knows). Success creates the membership with the invited
/// role and stamps <see cref="WorkspaceInvitation.AcceptedAt"/>; accepting again is a no-op success.
/// </summary>
public sealed class AcceptInvitation(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public sealed record Request(Guid UserId, string Token);

    public sealed record Accepted(Guid WorkspaceId, string WorkspaceName, WorkspaceRole Role);

    public async Task<Result<Accepted>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!InvitationTokens.IsWellFormed(request.Token))
        {
            return Result.Invalid("token", WorkspaceErrors.InvitationInvalid);
        }

        var hash = InvitationTokens.Hash(request.Token);
#pragma warning disable RS0030 // The token is the credential: the invitee is not yet in the workspace whose row it finds.
        var invitation = await db.WorkspaceInvitations.IgnoreQueryFilters().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
#pragma warning restore RS0030
        if (invitation is null || invitation.RevokedAt is not null)
        {
            return Result.Invalid("token", WorkspaceErrors.InvitationInvalid);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == request.UserId && u.TerminatedAt == null, cancellationToken);
        if (user is null)
        {
            return Result.NotFound();
        }

        if (!string.Equals(user.Email, invitation.Email, StringComparison.OrdinalIgnoreCase))
        {
            await audit.RecordAsync(WorkspaceAuditActions.InvitationAccept, AuditOutcomes.Failure, user.Id, invitation.WorkspaceId,
                target: $"invitation:{invitation.Id}:wrong_user", cancellationToken: cancellationToken);
            return Result.Invalid("token", WorkspaceErrors.InvitationWrongUser, invitation.Email);
        }

        var workspaceName = await db.Workspaces.Where(w => w.Id == invitation.WorkspaceId).Select(w => w.Name).SingleAsync(cancellationToken);
        var membership = await db.WorkspaceMembers.AsNoTracking()
            .SingleOrDefaultAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == user.Id, cancellationToken);
        if (invitation.AcceptedAt is not null)
        {
            return membership is null
                ? Result.Invalid("token", WorkspaceErrors.InvitationUsed)
                : new Accepted(invitation.WorkspaceId, workspaceName, membership.Role);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (invitation.ExpiresAt <= now)
        {
            return Result.Invalid("token", WorkspaceErrors.InvitationExpired);
        }

        var role = membership?.Role ?? invitation.Role;
        if (membership is null)
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = invitation.WorkspaceId, UserId = user.Id, Role = invitation.Role, JoinedAt = now });
        }

        invitation.AcceptedAt = now;
        user.DefaultWorkspaceId ??= invitation.WorkspaceId;
        audit.Add(WorkspaceAuditActions.InvitationAccept, AuditOutcomes.Success, user.Id, invitation.WorkspaceId,
            target: $"invitation:{invitation.Id}:{role}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            // A concurrent accept by the same user won the race: the membership exists now.
            db.ChangeTracker.Clear();
            var raced = await db.WorkspaceMembers.AsNoTracking()
                .SingleAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == user.Id, cancellationToken);
            return new Accepted(invitation.WorkspaceId, workspaceName, raced.Role);
        }

        return new Accepted(invitation.WorkspaceId, workspaceName, role);
    }
}
