using CommerceOS.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<AnalyticsOptions>()
            .Bind(configuration.GetSection(AnalyticsOptions.Section))
            .Validate(o => o.Retention > TimeSpan.Zero, "Analytics:Retention must be positive.")
            .ValidateOnStart();
        services.AddOptions<LegalNoticeOptions>()
            .Bind(configuration.GetSection(LegalNoticeOptions.Section))
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "LegalNotices:BatchSize must be between 1 and 10000.")
            .Validate(o => o.Lease > TimeSpan.Zero, "LegalNotices:Lease must be positive.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.SweepCron), "LegalNotices:SweepCron is empty.")
            .ValidateOnStart();
        services.AddScoped<Consents>();
        services.TryAddSingleton<LegalVersions>();
        services.AddScoped<LegalNotices>();
        services.AddScoped<PublishLegalVersion>();
        services.AddSingleton<LegalNoticeDelivery>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<LegalNoticeDelivery>());
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
        services.AddLogging();
        services.AddSingleton<AnalyticsRetentionSweep>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<AnalyticsRetentionSweep>());

        services.AddOptions<ErasureOptions>()
            .Bind(configuration.GetSection(ErasureOptions.Section))
            .Validate(o => o.TerminatedContentRetention > TimeSpan.Zero, "Privacy:TerminatedContentRetention must be positive.")
            .ValidateOnStart();
        services.AddScoped<DeleteAccount>();
        services.AddScoped<HangfireJobRecords>();
        services.AddJobHandler<RevokeMarketplaceConnectionJob>(RevokeMarketplaceConnectionJob.JobKind);
        services.AddJobHandler<DeletePaymentCustomerJob>(DeletePaymentCustomerJob.JobKind);
        services.AddSingleton<TerminatedAccountPurge>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<TerminatedAccountPurge>());
        return services;
    }
}
