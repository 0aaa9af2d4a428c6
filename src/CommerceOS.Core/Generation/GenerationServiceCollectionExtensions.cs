using CommerceOS.Core.Jobs;
using CommerceOS.Core.Marketplaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Generation;

public static class GenerationServiceCollectionExtensions
{
    /// <summary>
    /// Registers Image Studio: the request use case, its job handler, the gallery query and the
    /// compliance check. The engines (<see cref="ICutoutEngine"/>, <see cref="IImageComposer"/>,
    /// <see cref="IGraphicsRenderer"/>, <see cref="IImageEncoder"/>, <see cref="IComplianceChecker"/>,
    /// <see cref="IMarketplaceCatalog"/>) come from <c>AddLocalImaging</c>; a remote
    /// <see cref="IImageProvider"/> from <c>AddImageProviders</c> when one is configured.
    /// </summary>
    public static IServiceCollection AddGeneration(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<RequestImages>();
        services.AddScoped<ListProductImages>();
        services.AddScoped<CheckCompliance>();
        services.AddJobHandler<GenerateImagesJob>(RequestImages.JobKind);
        return services;
    }
}
