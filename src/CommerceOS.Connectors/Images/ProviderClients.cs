using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Images;

/// <summary>The two named HttpClients of every remote image or video provider.</summary>
internal static class ProviderClients
{
    /// <summary>
    /// Binds a <c>Providers:*</c> selection, validated when the host starts, and returns the selected name in lower case
    /// (<c>local</c> when unset).
    /// </summary>
    public static string AddSelection<TSelection, TValidator>(IServiceCollection services, IConfiguration configuration, string section, string key)
        where TSelection : class
        where TValidator : class, IValidateOptions<TSelection>
    {
        AddValidated<TSelection, TValidator>(services, configuration, section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        return (configuration.GetSection(section)[key] ?? "local").Trim().ToLowerInvariant();
    }

    /// <summary>The selected provider: its options (validated at start-up, so a missing key stops the host), its two clients, itself.</summary>
    public static void AddProvider<TService, TImplementation, TOptions, TValidator>(
        IServiceCollection services,
        IConfiguration configuration,
        string section,
        string apiClient,
        string deliveryClient,
        long maxBufferedBytes)
        where TService : class
        where TImplementation : class, TService
        where TOptions : RemoteProviderOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        AddValidated<TOptions, TValidator>(services, configuration, section);
        Add<TOptions>(services, apiClient, deliveryClient, maxBufferedBytes);
        services.AddSingleton<TService, TImplementation>();
    }

    private static void AddValidated<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }

    /// <summary>
    /// An API client that carries the vendor key and never follows a redirect, and a delivery client without the key
    /// for result files (signed URLs need none, and they may live on another company's host).
    /// </summary>
    /// <param name="maxBufferedBytes">Cap of a buffered result; a streamed download counts its bytes itself.</param>
    private static void Add<TOptions>(IServiceCollection services, string apiClient, string deliveryClient, long maxBufferedBytes)
        where TOptions : RemoteProviderOptions
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
                client.MaxResponseContentBufferSize = maxBufferedBytes;
            })
            .AddResilienceHandler(deliveryClient, (builder, context) => ProviderHttp.ConfigurePipeline(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
    }
}
