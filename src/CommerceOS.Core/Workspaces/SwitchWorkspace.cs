using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// Checks that a user may act in a workspace before the host makes it the active one (the web host
/// keeps the choice per browser in the <c>__Host-cos-ws</c> cookie). A workspace the user does not
/// belong to answers <see cref="WorkspaceErrors.NotMember"/> as not found, whether or not it exists.
/// </summary>
public sealed class SwitchWorkspace(AppDbContext db, AuditLog audit)
{
    public sealed record Request(Guid UserId, Guid WorkspaceId);

    public async Task<Result<ListMyWorkspaces.Item>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        var item = await (
                from member in db.WorkspaceMembers
                where member.UserId == request.UserId && member.WorkspaceId == request.WorkspaceId
                join workspace in db.Workspaces on member.WorkspaceId equals workspace.Id
                select new ListMyWorkspaces.Item(workspace.Id, workspace.Name, member.Role))
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);
        if (item is null)
        {
            return Result.Invalid("workspaceId", WorkspaceErrors.NotMember);
        }

        await audit.RecordAsync(WorkspaceAuditActions.Switch, AuditOutcomes.Success, request.UserId, request.WorkspaceId, cancellationToken: cancellationToken);
        return item;
    }
}
