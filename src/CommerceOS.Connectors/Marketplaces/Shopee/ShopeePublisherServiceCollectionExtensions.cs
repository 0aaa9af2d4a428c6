using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Connectors.Marketplaces.Shopee;

public static class ShopeePublisherServiceCollectionExtensions
{
    /// <summary>The Shopee v2 publisher and category source with their named client, options from <c>Publishing:Shopee</c>.</summary>
    public static IServiceCollection AddShopeePublisher(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<ShopeeOptions>(services, configuration, ShopeeOptions.Section, ShopeePublisher.ClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplacePublisher, ShopeePublisher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplaceCategorySource, ShopeeCategories>());
        return services;
    }
}
