using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// Sets a member's role in the current workspace (Admins and Owners). Nobody raises anyone above
/// their own role or changes someone who outranks them, and the last Owner cannot be demoted: the
/// demotion of an Owner is one conditional UPDATE that only applies while another Owner exists.
/// </summary>
public sealed class ChangeMemberRole(AppDbContext db, WorkspaceContext workspace, AuditLog audit)
{
    public sealed record Request(Guid UserId, WorkspaceRole Role);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        if (!Enum.IsDefined(request.Role))
        {
            return Result.Invalid("role", WorkspaceErrors.RoleInvalid);
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var target = await db.WorkspaceMembers.AsNoTracking()
            .SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == request.UserId, cancellationToken);
        if (target is null)
        {
            return Result.NotFound();
        }

        if (target.Role > workspace.Role)
        {
            return Result.Invalid("userId", WorkspaceErrors.MemberOutranks);
        }

        if (request.Role > workspace.Role)
        {
            return Result.Invalid("role", WorkspaceErrors.RoleAboveOwn);
        }

        if (target.Role == request.Role)
        {
            return Result.Ok();
        }

        var updated = await db.WorkspaceMembers
            .Where(m => m.Id == target.Id
                && (m.Role != WorkspaceRole.Owner
                    || db.WorkspaceMembers.Any(o => o.WorkspaceId == workspaceId && o.Role == WorkspaceRole.Owner && o.Id != target.Id)))
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.Role, request.Role), cancellationToken);
        if (updated == 0)
        {
            return Result.Conflict("userId", WorkspaceErrors.LastOwner);
        }

        await audit.RecordAsync(WorkspaceAuditActions.RoleChange, AuditOutcomes.Success, workspace.UserId, workspaceId,
            target: $"user:{request.UserId}:{target.Role}->{request.Role}", cancellationToken: cancellationToken);
        return Result.Ok();
    }
}
