using CommerceOS.Core.Assets;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Imaging;

public static class ImagingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalImageProcessor"/> (libvips) as the singleton <see cref="IImageProcessor"/>.</summary>
    public static IServiceCollection AddLocalImaging(this IServiceCollection services)
    {
        services.AddSingleton<IImageProcessor, LocalImageProcessor>();
        return services;
    }
}
