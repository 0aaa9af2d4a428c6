using CommerceOS.Connectors.DeepL;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Translation;

public static class TranslationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ITranslator"/> that <c>Providers:Translation</c> selects: <c>local</c>
    /// (default) registers nothing here (the engines' <c>AddLocalTranslation</c> provides the memory
    /// translator), <c>deepl</c> the DeepL adapter with its HttpClient, replacing the local one as
    /// <see cref="ITranslator"/> (the local one stays available keyed <c>"local"</c>). Options are
    /// validated at start, so an unknown provider or a missing key stops the host naming the key.
    /// </summary>
    public static IServiceCollection AddTranslation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TranslationProvidersOptions>().Bind(configuration.GetSection(TranslationProvidersOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TranslationProvidersOptions>, TranslationProvidersOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        var selected = TranslationProvidersOptions.Normalize(configuration.GetSection(TranslationProvidersOptions.Section)[nameof(TranslationProvidersOptions.Translation)]);
        if (selected == TranslationProvidersOptions.DeepL)
        {
            services.AddOptions<DeepLOptions>().Bind(configuration.GetSection(DeepLOptions.Section)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeepLOptions>, DeepLOptionsValidator>());
            services.AddHttpClient(DeepLTranslator.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
                // The key travels in a header that .NET does not strip on redirects: never follow one.
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
                .AddResilienceHandler(DeepLTranslator.ClientName, (builder, context) => DeepLHttp.ConfigurePipeline(
                    builder,
                    context.ServiceProvider.GetRequiredService<IOptions<DeepLOptions>>().Value,
                    context.ServiceProvider.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<DeepLTranslator>();
            services.RemoveAll<ITranslator>();
            services.AddKeyedSingleton<ITranslator>(DeepLTranslator.ProviderName, (sp, _) => sp.GetRequiredService<DeepLTranslator>());
            services.AddSingleton<ITranslator>(sp => sp.GetRequiredService<DeepLTranslator>());
        }

        return services;
    }
}
