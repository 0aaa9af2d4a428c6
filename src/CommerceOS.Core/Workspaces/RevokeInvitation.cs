using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>Withdraws a pending invitation of the current workspace (Admins and Owners); its link stops working.</summary>
public sealed class RevokeInvitation(AppDbContext db, WorkspaceContext workspace, AuditLog audit, TimeProvider time)
{
    public sealed record Request(Guid InvitationId);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var invitation = await db.WorkspaceInvitations.SingleOrDefaultAsync(
            i => i.Id == request.InvitationId && i.AcceptedAt == null && i.RevokedAt == null, cancellationToken);
        if (invitation is null)
        {
            return Result.NotFound();
        }

        invitation.RevokedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(WorkspaceAuditActions.InvitationRevoke, AuditOutcomes.Success, workspace.UserId, invitation.WorkspaceId,
            target: $"invitation:{invitation.Id}");
        await db.SaveChangesAsync(cancellationToken);
        return Result.Ok();
    }
}
