using CommerceOS.Connectors.Fal;
using CommerceOS.Connectors.Flux;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        services.AddOptions<ImageProvidersOptions>().Bind(configuration.GetSection(ImageProvidersOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImageProvidersOptions>, ImageProvidersOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        var selected = ImageProvidersOptions.Normalize(configuration.GetSection(ImageProvidersOptions.Section)[nameof(ImageProvidersOptions.Images)]);
        switch (selected)
        {
            case ImageProvidersOptions.Flux:
                services.AddOptions<FluxOptions>().Bind(configuration.GetSection(FluxOptions.Section)).ValidateOnStart();
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FluxOptions>, FluxOptionsValidator>());
                AddClients<FluxOptions>(services, FluxImageProvider.ApiClientName, FluxImageProvider.DeliveryClientName);
                services.AddSingleton<IImageProvider, FluxImageProvider>();
                break;

            case ImageProvidersOptions.Fal:
                services.AddOptions<FalOptions>().Bind(configuration.GetSection(FalOptions.Section)).ValidateOnStart();
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FalOptions>, FalOptionsValidator>());
                AddClients<FalOptions>(services, FalImageProvider.ApiClientName, FalImageProvider.DeliveryClientName);
                services.AddSingleton<IImageProvider, FalImageProvider>();
                break;

            default:
                // "local", or an unknown name that ValidateOnStart reports.
                break;
        }

        return services;
    }

    private static void AddClients<TOptions>(IServiceCollection services, string apiClient, string deliveryClient)
        where TOptions : RemoteImageProviderOptions
    {
        // The per-attempt timeout lives in the pipeline (on the injected clock); HttpClient's own
        // 100 s default would cut a slow download short of it.
        services.AddHttpClient(apiClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The key travels in a header that .NET does not strip on redirects: never follow one.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler(apiClient, (builder, context) => ProviderHttp.ConfigurePipeline(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>()));

        services.AddHttpClient(deliveryClient, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.MaxResponseContentBufferSize = ImageDownloader.MaxBytes;
            })
            .AddResilienceHandler(deliveryClient, (builder, context) => ProviderHttp.ConfigurePipeline(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
    }
}
