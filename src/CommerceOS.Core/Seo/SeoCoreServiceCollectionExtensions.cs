using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Seo;

public static class SeoCoreServiceCollectionExtensions
{
    /// <summary>The SEO use cases; the <see cref="ISeoEngine"/> comes from <c>AddLocalSeo</c>.</summary>
    public static IServiceCollection AddSeo(this IServiceCollection services)
    {
        services.AddScoped<GetProductSeo>();
        return services;
    }
}
