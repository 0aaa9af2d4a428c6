using CommerceOS.Core.Generation;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Imaging.Composition;

public static class CompositionServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LocalImageComposer"/> (libvips, stateless) as the singleton <see cref="IImageComposer"/>.</summary>
    public static IServiceCollection AddLocalComposition(this IServiceCollection services)
    {
        services.AddSingleton<IImageComposer, LocalImageComposer>();
        return services;
    }
}
