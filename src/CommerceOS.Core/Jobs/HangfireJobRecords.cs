using System.Globalization;
using CommerceOS.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// Removes Hangfire's own records of jobs (account erasure: Hangfire keeps job arguments and states, and failed jobs never
/// expire). With PostgreSQL the rows of the job, its states, parameters and queue entry are deleted from the
/// <see cref="JobsServiceCollectionExtensions.HangfireSchema"/> schema; the in-memory storage (SQLite) is told to expire
/// them now, and holds nothing after a restart anyway.
/// </summary>
public sealed class HangfireJobRecords(AppDbContext db, JobStorage storage)
{
    /// <returns>How many Hangfire jobs were removed (PostgreSQL) or expired (in memory).</returns>
    public async Task<int> RemoveAsync(IReadOnlyCollection<string> hangfireJobIds, CancellationToken cancellationToken)
    {
        if (hangfireJobIds.Count == 0)
        {
            return 0;
        }

        if (db.Database.IsNpgsql())
        {
            var ids = hangfireJobIds
                .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (long?)null)
                .OfType<long>()
                .ToArray();
            await db.Database.ExecuteSqlAsync($"DELETE FROM hangfire.jobqueue WHERE jobid = ANY({ids})", cancellationToken);
            await db.Database.ExecuteSqlAsync($"DELETE FROM hangfire.jobparameter WHERE jobid = ANY({ids})", cancellationToken);
            await db.Database.ExecuteSqlAsync($"DELETE FROM hangfire.state WHERE jobid = ANY({ids})", cancellationToken);
            return await db.Database.ExecuteSqlAsync($"DELETE FROM hangfire.job WHERE id = ANY({ids})", cancellationToken);
        }

        using var connection = storage.GetConnection();
        var known = hangfireJobIds.Where(id => connection.GetJobData(id) is not null).ToList();
        using var transaction = connection.CreateWriteTransaction();
        foreach (var id in known)
        {
            transaction.ExpireJob(id, TimeSpan.Zero);
        }

        transaction.Commit();
        return known.Count;
    }
}
