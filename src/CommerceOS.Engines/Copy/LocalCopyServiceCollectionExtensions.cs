using CommerceOS.Core.Copy;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Engines.Copy;

public static class LocalCopyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LocalCopyEngine"/> (stateless) once, as the keyed <see cref="ICopyEngine"/> "local" and among the
    /// unkeyed <see cref="ICopyEngine"/>s; the local SEO engine it reads keywords and meta tags from is added if none is.
    /// </summary>
    public static IServiceCollection AddLocalCopy(this IServiceCollection services)
    {
        services.TryAddSingleton<ISeoEngine, LocalSeoEngine>();
        services.TryAddSingleton<LocalCopyEngine>();
        services.AddKeyedSingleton<ICopyEngine>(LocalCopyEngine.EngineName, (sp, _) => sp.GetRequiredService<LocalCopyEngine>());
        services.AddSingleton<ICopyEngine>(sp => sp.GetRequiredService<LocalCopyEngine>());
        return services;
    }
}
