using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the listing kit export (<see cref="ExportListingKit"/>). It reads what the other areas registered: the
    /// database, blob store, marketplace catalog (<c>AddMarketplaces</c>) and <see cref="Seo.ISeoEngine"/> (<c>AddLocalSeo</c>).
    /// </summary>
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ExportListingKit>();
        return services;
    }
}
