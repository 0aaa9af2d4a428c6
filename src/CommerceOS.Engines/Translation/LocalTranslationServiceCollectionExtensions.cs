using CommerceOS.Core.Translation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Engines.Translation;

public static class LocalTranslationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the translation memory, <see cref="LearnTranslation"/> and the <see cref="LocalTranslator"/>
    /// (options from <c>TranslationMemory</c>, validated at start). The local translator is always
    /// available as the keyed service <c>"local"</c>, and is the <see cref="ITranslator"/> unless a
    /// provider (<c>AddTranslation</c> with <c>Providers:Translation=deepl</c>) registered another.
    /// </summary>
    public static IServiceCollection AddLocalTranslation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalTranslatorOptions>().Bind(configuration.GetSection(LocalTranslatorOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalTranslatorOptions>, LocalTranslatorOptionsValidator>());
        services.AddTranslationMemory();
        services.TryAddScoped<LocalTranslator>();
        services.TryAddKeyedScoped<ITranslator>(LocalTranslator.EngineName, (sp, _) => sp.GetRequiredService<LocalTranslator>());
        services.TryAddScoped<ITranslator>(sp => sp.GetRequiredService<LocalTranslator>());
        return services;
    }
}
