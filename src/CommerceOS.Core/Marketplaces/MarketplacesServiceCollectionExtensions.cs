using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Marketplaces;

public static class MarketplacesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="MarketplaceCatalog"/> singleton. The data is loaded and validated here,
    /// during registration, so bad marketplace data fails the host at start.
    /// </summary>
    public static IServiceCollection AddMarketplaces(this IServiceCollection services)
    {
        services.AddSingleton<IMarketplaceCatalog>(new MarketplaceCatalog());
        return services;
    }
}
