using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the listing kit export (<see cref="ExportListingKit"/>). It reads what the other areas registered: the
    /// database, blob store, marketplace catalog (<c>AddMarketplaces</c>) and <see cref="Seo.ISeoEngine"/> (<c>AddLocalSeo</c>).
    /// </summary>
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExportOptions>()
            .Bind(configuration.GetSection(ExportOptions.Section))
            .Validate(o => o.ImageBaseUrl is null || (Uri.TryCreate(o.ImageBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"), "Exports:ImageBaseUrl must be an absolute http(s) URL.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.AmazonMarketplaceId), "Exports:AmazonMarketplaceId must not be empty.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ExportListingKit>();

        // Bulk sheets build each row from a Publish Center draft (ListingDrafts, MarketplacePublishers: AddPublishing).
        services.AddScoped<FillBulkSheet>();
        return services;
    }
}
