using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Compliance;
using CommerceOS.Engines.Imaging.Composition;
using CommerceOS.Engines.Imaging.Cutout;
using CommerceOS.Engines.Imaging.Graphics;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Imaging;

public static class ImagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the local imaging engines as singletons: upload processing (<see cref="IImageProcessor"/>),
    /// cut-out, composition, graphics, the output encoder, the marketplace rules and the compliance checker.
    /// All are thread-safe and CPU-bound.
    /// </summary>
    public static IServiceCollection AddLocalImaging(this IServiceCollection services)
    {
        VipsRuntime.Configure();
        services.AddSingleton<IImageProcessor, LocalImageProcessor>();
        services.AddSingleton<IImageEncoder, LocalImageEncoder>();
        services.AddMarketplaces();
        services.AddLocalCutout();
        services.AddLocalComposition();
        services.AddLocalGraphics();
        services.AddLocalCompliance();
        return services;
    }
}
