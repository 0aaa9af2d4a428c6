using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Shopify;

public static class ShopifyPublisherServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Shopify <see cref="IMarketplacePublisher"/> with its named HttpClient (retries, per-attempt timeout)
    /// and <see cref="ShopifyOptions"/> from <c>Publishing:Shopify</c>, validated at start-up.
    /// </summary>
    public static IServiceCollection AddShopifyPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<ShopifyOptions>(services, configuration, ShopifyOptions.Section, ShopifyPublisher.ClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShopifyOptions>, ShopifyOptionsValidator>());
        services.AddOptions<ShopifyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplacePublisher, ShopifyPublisher>());
        return services;
    }
}
