using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Privacy;

/// <summary>Deletes page views older than <see cref="AnalyticsOptions.Retention"/>, daily; a re-run deletes nothing more.</summary>
public sealed class AnalyticsRetentionSweep(
    IServiceScopeFactory scopes, IOptions<AnalyticsOptions> options, TimeProvider time, ILogger<AnalyticsRetentionSweep> logger)
    : RetentionSweep<AnalyticsRetentionSweep>(SweepId, Cron.Daily(3), scopes, time, logger)
{
    public const string SweepId = "privacy-analytics-retention";

    protected override TimeSpan Window => options.Value.Retention;

    protected override Task<int> PurgeAsync(IServiceProvider services, DateTime before, CancellationToken cancellationToken) =>
        services.GetRequiredService<AppDbContext>().PageViews.Where(v => v.ViewedAt < before).ExecuteDeleteAsync(cancellationToken);
}
