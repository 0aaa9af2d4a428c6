using CommerceOS.Core.Seo;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Seo;

public static class SeoServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalSeoEngine"/> (stateless) as the singleton <see cref="ISeoEngine"/>.</summary>
    public static IServiceCollection AddLocalSeo(this IServiceCollection services)
    {
        services.AddSingleton<ISeoEngine, LocalSeoEngine>();
        return services;
    }
}
