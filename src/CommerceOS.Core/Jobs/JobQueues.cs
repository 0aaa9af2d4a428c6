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
    /// The queue of each of <paramref name="jobIds"/>, from its workspace's plan; an unknown job, or a
    /// workspace without a subscription, gets <see cref="Default"/>. Two queries whatever the count:
    /// the plans (a handful of rows, whose list column is tested in memory) and the jobs with a
    /// priority plan.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> ForJobsAsync(AppDbContext db, IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(jobIds);
        var ids = jobIds.Distinct().ToList();
        var priorityJobs = new HashSet<Guid>();
        if (ids.Count > 0)
        {
            var plans = await db.Plans.AsNoTracking().ToListAsync(cancellationToken);
            var priorityPlans = plans.Where(p => p.Has(PlanFeatures.PriorityRendering)).Select(p => p.Code).ToList();
            if (priorityPlans.Count > 0)
            {
#pragma warning disable RS0030 // System query: a job's workspace is known only from its row, read before any workspace scope exists.
                var subscriptions = db.Subscriptions.IgnoreQueryFilters();
#pragma warning restore RS0030
                priorityJobs.UnionWith(await db.AllJobs()
                    .Where(j => ids.Contains(j.Id)
                        && subscriptions.Any(s => s.WorkspaceId == j.WorkspaceId && priorityPlans.Contains(s.PlanCode)))
                    .Select(j => j.Id)
                    .ToListAsync(cancellationToken));
            }
        }

        return ids.ToDictionary(id => id, id => priorityJobs.Contains(id) ? Priority : Default);
    }

    /// <summary>The queue of one job (see <see cref="ForJobsAsync"/>).</summary>
    public static async Task<string> ForJobAsync(AppDbContext db, Guid jobId, CancellationToken cancellationToken) =>
        (await ForJobsAsync(db, [jobId], cancellationToken))[jobId];
}
