using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

public static class TikTokShopPublisherServiceCollectionExtensions
{
    /// <summary>Adds the TikTok Shop publisher and category source, their options (<c>Publishing:TikTokShop</c>) and the named client.</summary>
    public static IServiceCollection AddTikTokShopPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<TikTokShopOptions>(services, configuration, TikTokShopOptions.Section, TikTokShopPublisher.ClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplacePublisher, TikTokShopPublisher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplaceCategorySource, TikTokShopCategories>());
        return services;
    }
}
