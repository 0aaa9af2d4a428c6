using CommerceOS.Core.Generation;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Imaging.Graphics;

public static class GraphicsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalGraphicsRenderer"/> (libvips + Pango, stateless) as the singleton <see cref="IGraphicsRenderer"/>.</summary>
    public static IServiceCollection AddLocalGraphics(this IServiceCollection services)
    {
        services.AddSingleton<IGraphicsRenderer, LocalGraphicsRenderer>();
        return services;
    }
}
