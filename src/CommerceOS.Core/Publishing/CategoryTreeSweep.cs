using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Keeps each active connection's copy of its platform category tree fresh: a daily sweep that queues
/// <see cref="RefreshCategoryTree"/> for connections whose copy is missing (connected before, or its first read failed) or
/// older than <see cref="PublishingOptions.CategoryTreeMaxAge"/>. Idempotent through <see cref="CategoryTrees.ScheduleAsync"/>.
/// </summary>
public sealed class CategoryTreeSweep(IServiceScopeFactory scopes, CategoryTrees trees, IOptions<PublishingOptions> options, TimeProvider time) : IRecurringSweep
{
    public const string SweepId = "publishing-category-trees";

    /// <summary>Connections looked at per run; the rest wait for the next one.</summary>
    public const int Batch = 200;

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<CategoryTreeSweep>(SweepId, s => s.RunAsync(CancellationToken.None), options.Value.CategoryTreeSweepCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <summary>Returns the number of refreshes queued.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var platforms = Platforms.All.Where(trees.Reads).ToList();
        var staleBefore = time.GetUtcNow().UtcDateTime - trees.MaxAge;
        List<(Guid Id, Guid WorkspaceId)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
#pragma warning disable RS0030 // A cross-tenant sweep: each connection is then scheduled in its own workspace's scope.
            due = (await db.MarketplaceConnections.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Status == ConnectionStatus.Active && platforms.Contains(c.Platform))
                .Where(c => !db.MarketplaceCategoryCaches.IgnoreQueryFilters().Any(t => t.ConnectionId == c.Id && t.FetchedAt > staleBefore))
                .OrderBy(c => c.Id)
                .Take(Batch)
                .Select(c => new { c.Id, c.WorkspaceId })
                .ToListAsync(cancellationToken))
                .Select(c => (c.Id, c.WorkspaceId)).ToList();
#pragma warning restore RS0030
        }

        var queued = 0;
        foreach (var (connectionId, workspaceId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspaceId, null, WorkspaceRole.Editor);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var connection = await db.MarketplaceConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
            if (connection is not null && await trees.ScheduleAsync(db, scope.ServiceProvider.GetRequiredService<IJobScheduler>(), connection, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
                queued++;
            }
        }

        return queued;
    }
}
