using CommerceOS.Core.Generation;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Imaging.Cutout;

public static class CutoutServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalCutoutEngine"/> (classical, libvips plus pixel loops; stateless) as the singleton <see cref="ICutoutEngine"/>.</summary>
    public static IServiceCollection AddLocalCutout(this IServiceCollection services)
    {
        services.AddSingleton<ICutoutEngine, LocalCutoutEngine>();
        return services;
    }
}
