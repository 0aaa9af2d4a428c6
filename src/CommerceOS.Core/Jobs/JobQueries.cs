using CommerceOS.Core.Data;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Jobs;

internal static class JobQueries
{
    /// <summary>
    /// All job rows regardless of workspace. The runner, the outbox dispatcher and the sweeps address
    /// a job by id before any workspace is known: this is the one allowlisted cross-tenant query.
    /// </summary>
#pragma warning disable RS0030 // System query: job rows are addressed by id from Hangfire, the outbox or a sweep.
    public static IQueryable<Job> AllJobs(this AppDbContext db) => db.Jobs.IgnoreQueryFilters();
#pragma warning restore RS0030

    /// <summary>
    /// True while Hangfire still holds a pending execution for <paramref name="hangfireJobId"/>
    /// (enqueued, scheduled, awaiting; plus processing when <paramref name="processingCounts"/>).
    /// A missing id (in-memory storage after a restart) or a finished execution is not live.
    /// </summary>
    public static bool IsLive(this JobStorage storage, string? hangfireJobId, bool processingCounts)
    {
        if (hangfireJobId is null)
        {
            return false;
        }

        var state = storage.StateOf(hangfireJobId);
        return state == EnqueuedState.StateName || state == ScheduledState.StateName || state == AwaitingState.StateName
            || (processingCounts && state == ProcessingState.StateName);
    }

    /// <summary>The current state name of a Hangfire job, or null when the storage holds no such job.</summary>
    public static string? StateOf(this JobStorage storage, string hangfireJobId)
    {
        using var connection = storage.GetConnection();
        try
        {
            return connection.GetStateData(hangfireJobId)?.Name;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            // An id from another storage (e.g. after moving from SQLite to PostgreSQL) names nothing here.
            return null;
        }
    }
}
