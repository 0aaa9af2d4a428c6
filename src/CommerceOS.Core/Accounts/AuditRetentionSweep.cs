using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Accounts;

/// <summary>Configuration section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>How long audit events are kept (privacy policy 5; long enough to investigate an incident).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>Deletes audit events older than <see cref="AuditOptions.Retention"/>, daily; a re-run deletes nothing more.</summary>
public sealed partial class AuditRetentionSweep(
    IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetentionSweep> logger) : IRecurringSweep
{
    public const string SweepId = "privacy-audit-retention";

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<AuditRetentionSweep>(SweepId, s => s.RunAsync(CancellationToken.None), Cron.Daily(3, 45), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <returns>The audit events deleted.</returns>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNowForDatabase() - options.Value.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var deleted = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
        LogPurged(deleted);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention: {Events} audit events deleted")]
    private partial void LogPurged(int events);
}
