using CommerceOS.Connectors.Fal;
using CommerceOS.Connectors.Flux;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Images;

public static class ImageProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IImageProvider"/> that <c>Providers:Images</c> selects: <c>local</c>
    /// (default) registers none, <c>flux</c> the BFL adapter, <c>fal</c> the fal queue adapter, each
    /// with its API and delivery HttpClients. Options are validated at start-up, so an unknown
    /// provider, a missing key or a plain-HTTP base URL stops the host with a message naming the key.
    /// </summary>
    public static IServiceCollection AddImageProviders(this IServiceCollection services, IConfiguration configuration)
    {
        var selected = ProviderClients.AddSelection<ImageProvidersOptions, ImageProvidersOptionsValidator>(
            services, configuration, ImageProvidersOptions.Section, nameof(ImageProvidersOptions.Images));
        if (selected == ImageProvidersOptions.Flux)
        {
            ProviderClients.AddProvider<IImageProvider, FluxImageProvider, FluxOptions, FluxOptionsValidator>(
                services, configuration, FluxOptions.Section, FluxImageProvider.ApiClientName, FluxImageProvider.DeliveryClientName, ImageDownloader.MaxBytes);
        }
        else if (selected == ImageProvidersOptions.Fal)
        {
            ProviderClients.AddProvider<IImageProvider, FalImageProvider, FalOptions, FalOptionsValidator>(
                services, configuration, FalOptions.Section, FalImageProvider.ApiClientName, FalImageProvider.DeliveryClientName, ImageDownloader.MaxBytes);
        }

        // "local" registers nothing; an unknown name is reported by ValidateOnStart.
        return services;
    }
}
