using System.Collections.Concurrent;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// The data region of a workspace (privacy policy section 8), for infrastructure that routes by it, such as the blob
/// store. A workspace chooses its region at creation and never changes it, so answers are cached for the process.
/// </summary>
public interface IWorkspaceRegions
{
    /// <summary>The workspace's region, or null when no such workspace exists.</summary>
    ValueTask<string?> RegionOfAsync(Guid workspaceId, CancellationToken cancellationToken);
}

public sealed class WorkspaceRegions(IServiceScopeFactory scopes) : IWorkspaceRegions
{
    private readonly ConcurrentDictionary<Guid, string> _regions = new();

    public async ValueTask<string?> RegionOfAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        if (_regions.TryGetValue(workspaceId, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var region = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.DataRegion).FirstOrDefaultAsync(cancellationToken);
        if (region is not null)
        {
            _regions[workspaceId] = region;
        }

        return region;
    }
}
