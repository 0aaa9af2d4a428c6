using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// The current workspace's members (name, e-mail, role; Owners first) and its pending invitations
/// (not accepted, not revoked; expired ones are flagged). Any member may look.
/// </summary>
public sealed class ListMembers(AppDbContext db, WorkspaceContext workspace, TimeProvider time)
{
    public sealed record Member(Guid UserId, string DisplayName, string Email, WorkspaceRole Role, DateTime JoinedAt, bool IsCurrentUser);

    public sealed record PendingInvitation(Guid Id, string Email, WorkspaceRole Role, DateTime CreatedAt, DateTime ExpiresAt, bool IsExpired);

    public sealed record Response(IReadOnlyList<Member> Members, IReadOnlyList<PendingInvitation> Invitations, WorkspaceRole CurrentRole);

    public async Task<Result<Response>> HandleAsync(CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var rows = await (
                from member in db.WorkspaceMembers
                where member.WorkspaceId == workspaceId
                join user in db.Users on member.UserId equals user.Id
                where user.TerminatedAt == null
                select new { member.UserId, user.DisplayName, user.Email, member.Role, member.JoinedAt })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var members = rows
            .OrderByDescending(r => r.Role).ThenBy(r => r.JoinedAt).ThenBy(r => r.UserId)
            .Select(r => new Member(r.UserId, r.DisplayName, r.Email ?? "", r.Role, r.JoinedAt, r.UserId == workspace.UserId))
            .ToList();

        var now = time.GetUtcNow().UtcDateTime;
        var invitations = await db.WorkspaceInvitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null)
            .OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id)
            .Select(i => new PendingInvitation(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.ExpiresAt <= now))
            .ToListAsync(cancellationToken);
        return new Response(members, invitations, workspace.Role);
    }
}
