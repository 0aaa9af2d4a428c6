using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>The workspace's connections, newest first, disconnected ones last (any member).</summary>
public sealed class ListConnections(AppDbContext db, WorkspaceContext workspace)
{
    public async Task<Result<IReadOnlyList<ConnectionView>>> HandleAsync(CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var rows = await db.MarketplaceConnections.AsNoTracking()
            .OrderBy(c => c.Status == ConnectionStatus.Disconnected).ThenByDescending(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(ConnectionView.Of).ToList();
    }
}
