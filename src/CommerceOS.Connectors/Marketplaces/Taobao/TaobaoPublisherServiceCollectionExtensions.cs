using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Connectors.Marketplaces.Taobao;

public static class TaobaoPublisherServiceCollectionExtensions
{
    /// <summary>The Taobao TOP publisher and category source with their named client, options from <c>Publishing:Taobao</c>.</summary>
    public static IServiceCollection AddTaobaoPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        MarketplaceHttp.AddClient<TaobaoOptions>(services, configuration, TaobaoOptions.Section, TaobaoPublisher.ClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplacePublisher, TaobaoPublisher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMarketplaceCategorySource, TaobaoCategories>());
        return services;
    }
}
