using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// Removes a member from the current workspace: Admins and Owners remove members up to their own
/// role, and anyone may leave. The last Owner can do neither (one conditional DELETE). Access ends
/// at once (the host re-reads membership on every request); the member's API keys for this
/// workspace are revoked, and a default workspace pointing here moves to another membership.
/// </summary>
public sealed class RemoveMember(AppDbContext db, WorkspaceContext workspace, AuditLog audit, TimeProvider time)
{
    public sealed record Request(Guid UserId);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        var leaving = request.UserId == workspace.UserId;
        if (!workspace.Can(leaving ? WorkspaceRole.Viewer : WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var target = await db.WorkspaceMembers.AsNoTracking()
            .SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == request.UserId, cancellationToken);
        if (target is null)
        {
            return Result.NotFound();
        }

        if (!leaving && target.Role > workspace.Role)
        {
            return Result.Invalid("userId", WorkspaceErrors.MemberOutranks);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.WorkspaceMembers
            .Where(m => m.Id == target.Id
                && (m.Role != WorkspaceRole.Owner
                    || db.WorkspaceMembers.Any(o => o.WorkspaceId == workspaceId && o.Role == WorkspaceRole.Owner && o.Id != target.Id)))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Result.Conflict("userId", WorkspaceErrors.LastOwner);
        }

        await db.ApiKeys
            .Where(k => k.UserId == request.UserId && k.WorkspaceId == workspaceId && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, now), cancellationToken);

        var user = await db.Users.SingleAsync(u => u.Id == request.UserId, cancellationToken);
        if (user.DefaultWorkspaceId == workspaceId)
        {
            user.DefaultWorkspaceId = await db.WorkspaceMembers
                .Where(m => m.UserId == request.UserId)
                .OrderBy(m => m.JoinedAt).ThenBy(m => m.Id)
                .Select(m => (Guid?)m.WorkspaceId)
                .FirstOrDefaultAsync(cancellationToken);
        }

        audit.Add(WorkspaceAuditActions.MemberRemove, AuditOutcomes.Success, workspace.UserId, workspaceId,
            target: $"user:{request.UserId}:{target.Role}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok();
    }
}
