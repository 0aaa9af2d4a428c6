using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Amazon;

public static class AmazonPublisherServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Amazon SP-API publisher with its named client (section <c>Publishing:Amazon</c>): the shared
    /// marketplace retry pipeline, then the per-seller token bucket inside it so every attempt is metered.
    /// </summary>
    public static IServiceCollection AddAmazonPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<AmazonOptions>(services, configuration, AmazonOptions.Section, AmazonPublisher.ClientName);
        services.TryAddSingleton(provider => new AmazonRateLimits(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IOptions<AmazonOptions>>()));
        services.AddHttpClient(AmazonPublisher.ClientName)
            .AddHttpMessageHandler(provider => new AmazonRateLimitHandler(provider.GetRequiredService<AmazonRateLimits>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplacePublisher, AmazonPublisher>());
        return services;
    }
}
