using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workspaces;

/// <summary>The workspaces a user belongs to, with their role in each, by name.</summary>
public sealed class ListMyWorkspaces(AppDbContext db)
{
    public sealed record Request(Guid UserId);

    public sealed record Item(Guid WorkspaceId, string Name, WorkspaceRole Role);

    public async Task<IReadOnlyList<Item>> HandleAsync(Request request, CancellationToken cancellationToken) =>
        await (
                from member in db.WorkspaceMembers
                where member.UserId == request.UserId
                join workspace in db.Workspaces on member.WorkspaceId equals workspace.Id
                orderby workspace.Name, workspace.Id
                select new Item(workspace.Id, workspace.Name, member.Role))
            .AsNoTracking()
            .ToListAsync(cancellationToken);
}
