using CommerceOS.Connectors.Marketplaces.Amazon;
using CommerceOS.Connectors.Marketplaces.Shopee;
using CommerceOS.Connectors.Marketplaces.Shopify;
using CommerceOS.Connectors.Marketplaces.Taobao;
using CommerceOS.Connectors.Marketplaces.TikTokShop;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Marketplaces;

public static class MarketplacePublishersServiceCollectionExtensions
{
    /// <summary>
    /// Every marketplace adapter of the Publish Center. Each is idle until a seller connects a store: the credentials are the
    /// seller's (per connection, encrypted), and the endpoints are configuration under <c>Publishing:{Platform}</c>.
    /// </summary>
    public static IServiceCollection AddMarketplacePublishers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddShopifyPublisher(configuration);
        services.AddAmazonPublisher(configuration);
        services.AddTikTokShopPublisher(configuration);
        services.AddTaobaoPublisher(configuration);
        services.AddShopeePublisher(configuration);
        return services;
    }
}
