using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// The Hangfire queues a <see cref="JobRunner"/> delivery goes to. A workspace whose plan has
/// <see cref="PlanFeatures.PriorityRendering"/> gets <see cref="Priority"/>, every other one
/// <see cref="Default"/>; workers take the priority queue first, so a paying workspace's jobs do not
/// wait behind a backlog of other workspaces' jobs (a job already running is not interrupted).
/// </summary>
public static class JobQueues
{
    /// <summary>
    /// The queue of priority workspaces. Its name must sort before <see cref="Default"/>:
    /// Hangfire.PostgreSql fetches waiting jobs in queue-name order (its query orders by queue, then
    /// job id), whatever order the server lists them in, while Hangfire.InMemory fetches in
    /// <see cref="ServerOrder"/>. With "critical" both storages take this queue first.
    /// </summary>
    public const string Priority = "critical";

    /// <summary>Hangfire's default queue ("default").</summary>
    public const string Default = EnqueuedState.DefaultQueue;

    /// <summary>The queues a Hangfire server listens to, the priority one first.</summary>
    public static readonly IReadOnlyList<string> ServerOrder = [Priority, Default];

    /// <summary>
    /// The queue of each of <paramref name="jobIds"/>, from its workspace's plan as it is now (granted features and an
    /// ended period included, see <see cref="PlanFeatureQueries.Has"/>); an unknown job, or a workspace without a
    /// subscription, gets <see cref="Default"/>. Three queries whatever the count: the plans, the jobs' workspaces and
    /// their subscriptions.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> ForJobsAsync(AppDbContext db, IReadOnlyCollection<Guid> jobIds, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(jobIds);
        ArgumentNullException.ThrowIfNull(time);
        var ids = jobIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var plans = await db.Plans.AsNoTracking().ToListAsync(cancellationToken);
        var jobs = await db.AllJobs().Where(j => ids.Contains(j.Id)).Select(j => new { j.Id, j.WorkspaceId }).ToDictionaryAsync(j => j.Id, j => j.WorkspaceId, cancellationToken);
        var workspaceIds = jobs.Values.Distinct().ToList();
#pragma warning disable RS0030 // System query: a job's workspace is known only from its row, read before any workspace scope exists.
        var subscriptions = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Where(s => workspaceIds.Contains(s.WorkspaceId)).ToListAsync(cancellationToken);
#pragma warning restore RS0030
        var now = time.GetUtcNow().UtcDateTime;
        var priority = subscriptions.Where(s => PlanFeatureQueries.Has(s, plans, PlanFeatures.PriorityRendering, now)).Select(s => s.WorkspaceId).ToHashSet();
        return ids.ToDictionary(id => id, id => jobs.TryGetValue(id, out var workspaceId) && priority.Contains(workspaceId) ? Priority : Default);
    }

    /// <summary>The queue of one job (see <see cref="ForJobsAsync"/>).</summary>
    public static async Task<string> ForJobAsync(AppDbContext db, Guid jobId, TimeProvider time, CancellationToken cancellationToken) =>
        (await ForJobsAsync(db, [jobId], time, cancellationToken))[jobId];
}
