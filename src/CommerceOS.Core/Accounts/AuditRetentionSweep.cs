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
public sealed class AuditRetentionSweep(
    IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetentionSweep> logger)
    : RetentionSweep<AuditRetentionSweep>(SweepId, Cron.Daily(3, 45), scopes, time, logger)
{
    public const string SweepId = "privacy-audit-retention";

    protected override TimeSpan Window => options.Value.Retention;

    protected override Task<int> PurgeAsync(IServiceProvider services, DateTime before, CancellationToken cancellationToken) =>
        services.GetRequiredService<AppDbContext>().AuditEvents.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
}
