using CommerceOS.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Publishing;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// The Publish Center: connections, listings, the gate, the publish job and the keep-in-sync sweep. The adapters
    /// (<see cref="IMarketplacePublisher"/>) come from <c>AddMarketplacePublishers</c> in Connectors.
    /// </summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublishingOptions>().Bind(configuration.GetSection("Publishing"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddSingleton<ConnectionSecrets>();
        services.AddSingleton<PublicMediaLinks>();
        services.AddSingleton<MarketplacePublishers>();
        services.AddScoped<ListingDrafts>();
        services.AddScoped<ConnectMarketplace>();
        services.AddScoped<CheckConnection>();
        services.AddScoped<DisconnectMarketplace>();
        services.AddScoped<ConnectionRelease>();
        services.AddScoped<ListConnections>();
        services.AddScoped<RequestPublication>();
        services.AddScoped<PublicationQueries>();
        services.AddScoped<PreviewListing>();
        services.AddSingleton<KeepInSyncSweep>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecurringSweep, KeepInSyncSweep>(sp => sp.GetRequiredService<KeepInSyncSweep>()));
        services.AddJobHandler<PublishJob>(RequestPublication.JobKind);
        services.AddSingleton<CategoryTrees>();
        services.AddSingleton<CategoryTreeSweep>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecurringSweep, CategoryTreeSweep>(sp => sp.GetRequiredService<CategoryTreeSweep>()));
        services.AddJobHandler<RefreshCategoryTree>(CategoryTrees.JobKind);
        return services;
    }
}
