using CommerceOS.Connectors.DeepL;
using CommerceOS.Connectors.Llm;
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
    /// translator); <c>deepl</c> the DeepL adapter with its HttpClient, <c>llm</c> the
    /// <see cref="LlmTranslator"/> over <c>AddLlm</c>'s model. Either remote provider becomes the
    /// (scoped) <see cref="ITranslator"/> behind a <see cref="MemoryFirstTranslator"/>, which needs the
    /// local translator keyed <c>"local"</c> (<c>AddLocalTranslation</c>, before or after this); the bare
    /// provider stays keyed by its name. Options are validated at start, so an unknown provider, a
    /// missing DeepL key or an <c>llm</c> without <c>Providers:Llm:BaseUrl</c> stops the host naming the key.
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
            UseBehindMemory<DeepLTranslator>(services, DeepLTranslator.ProviderName);
        }
        else if (selected == TranslationProvidersOptions.Llm)
        {
            var baseUrl = configuration.GetSection(LlmOptions.Section)[nameof(LlmOptions.BaseUrl)];
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TranslationProvidersOptions>>(new LlmTranslationOptionsValidator(baseUrl)));
            services.AddLlm(configuration);
            services.TryAddSingleton<LlmTranslator>();
            UseBehindMemory<LlmTranslator>(services, LlmTranslator.ProviderName);
        }

        return services;
    }

    private static void UseBehindMemory<TRemote>(IServiceCollection services, string name)
        where TRemote : class, ITranslator
    {
        // Removes the unkeyed local ITranslator only; the keyed "local" one stays for the memory.
        services.RemoveAll<ITranslator>();
        services.AddKeyedSingleton<ITranslator>(name, (sp, _) => sp.GetRequiredService<TRemote>());
        // Scoped: the memory translator reads the workspace's memory through the request's DbContext.
        services.AddScoped<ITranslator>(sp => new MemoryFirstTranslator(
            sp.GetKeyedService<ITranslator>(TranslationProvidersOptions.Local)
                ?? throw new InvalidOperationException(
                    $"Providers:Translation={name} consults the translation memory first: register AddLocalTranslation (the keyed \"local\" ITranslator) too."),
            sp.GetRequiredService<TRemote>()));
    }
}
