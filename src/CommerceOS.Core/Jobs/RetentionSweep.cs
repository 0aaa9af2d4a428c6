using CommerceOS.Core.Common;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// A daily retention purge (privacy policy 5): deletes what is older than <see cref="Window"/>, across all workspaces. Each
/// one is idempotent and runs again the next day, so Hangfire's retries are off and a failed run is not kept in its
/// storage. Logs the count only. The windows and what each sweep keeps: docs/privacy-retention.md.
/// </summary>
public abstract class RetentionSweep<TSelf>(string sweepId, string cron, IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : IRecurringSweep
    where TSelf : RetentionSweep<TSelf>
{
    /// <summary>How old what is deleted must be (read on every run).</summary>
    protected abstract TimeSpan Window { get; }

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<TSelf>(sweepId, s => s.RunAsync(CancellationToken.None), cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <returns>The rows deleted.</returns>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // At the database's precision, so a row stamped exactly one window ago is not yet "older" on either provider.
        var before = time.GetUtcNowForDatabase() - Window;
        await using var scope = scopes.CreateAsyncScope();
        var deleted = await PurgeAsync(scope.ServiceProvider, before, cancellationToken);
        RetentionLog.Purged(logger, sweepId, deleted);
        return deleted;
    }

    /// <summary>Deletes what is older than <paramref name="before"/>, with the services of a scope that has no workspace.</summary>
    protected abstract Task<int> PurgeAsync(IServiceProvider services, DateTime before, CancellationToken cancellationToken);
}

internal static partial class RetentionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep {Sweep}: {Deleted} deleted")]
    public static partial void Purged(ILogger logger, string sweep, int deleted);
}
