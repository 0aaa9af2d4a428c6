using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Privacy;

/// <summary>Deletes page views older than <see cref="AnalyticsOptions.Retention"/>, daily; a re-run deletes nothing more.</summary>
public sealed class AnalyticsRetentionSweep(IServiceScopeFactory scopes, IOptions<AnalyticsOptions> options, TimeProvider time) : IRecurringSweep
{
    public const string SweepId = "privacy-analytics-retention";

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<AnalyticsRetentionSweep>(SweepId, s => s.RunAsync(CancellationToken.None), Cron.Daily(3), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <returns>The page views deleted.</returns>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().UtcDateTime - options.Value.Retention;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PageViews.Where(v => v.ViewedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}

public static class PrivacyServiceCollectionExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<AnalyticsOptions>()
            .Bind(configuration.GetSection(AnalyticsOptions.Section))
            .Validate(o => o.Retention > TimeSpan.Zero, "Analytics:Retention must be positive.")
            .ValidateOnStart();
        services.AddOptions<DataExportOptions>()
            .Bind(configuration.GetSection(DataExportOptions.Section))
            .Validate(o => o.ExportLinkLifetime > TimeSpan.Zero && o.ExportLinkLifetime <= DataExportOptions.MaxLinkLifetime, "Privacy:ExportLinkLifetime must be positive and at most 24 hours.")
            .ValidateOnStart();
        services.AddScoped<Consents>();
        services.AddScoped<RequestDataExport>();
        services.AddScoped<PersonalDataArchive>();
        services.AddScoped<DataExportDownloads>();
        services.AddJobHandler<DataExportJob>(RequestDataExport.JobKind);
        services.AddSingleton<DataExportSweep>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<DataExportSweep>());
        services.AddScoped<AnalyticsCollector>();
        services.AddSingleton<AnalyticsRetentionSweep>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<AnalyticsRetentionSweep>());
        return services;
    }
}
