using CommerceOS.Core.Video;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Video;

public static class LocalVideoServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalVideoRenderer"/> (ffmpeg + libvips, stateless) as the singleton <see cref="IVideoRenderer"/>.</summary>
    public static IServiceCollection AddLocalVideo(this IServiceCollection services)
    {
        services.AddSingleton<IVideoRenderer, LocalVideoRenderer>();
        return services;
    }
}
