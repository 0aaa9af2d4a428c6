using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Translation;

public static class TranslationCoreServiceCollectionExtensions
{
    /// <summary>The memory store and the learn use case (scoped: they need <c>AddDatabase</c>'s context).</summary>
    public static IServiceCollection AddTranslationMemory(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<TranslationMemory>();
        services.TryAddScoped<LearnTranslation>();
        return services;
    }
}
