using CommerceOS.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Assets;

public static class AssetsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the upload use case, the thumbnail job handler and the daily upload retention sweep. The capabilities they need come
    /// from elsewhere: <see cref="IBlobStore"/> and <see cref="IImageProcessor"/> from Engines
    /// (<c>AddLocalBlobStore</c>, <c>AddLocalImaging</c>) or a connector, <see cref="IJobScheduler"/>
    /// from Jobs, and the database from <c>AddDatabase</c>.
    /// </summary>
    public static IServiceCollection AddAssets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AssetsOptions>()
            .Bind(configuration.GetSection(AssetsOptions.Section))
            .Validate(o => o.MaxUploadBytes > 0, "Assets:MaxUploadBytes must be positive.")
            .Validate(o => o.UploadRetention > TimeSpan.Zero, "Assets:UploadRetention must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<UploadAsset>();
        services.AddScoped<ListAssets>();
        services.AddScoped<GetAsset>();
        services.AddJobHandler<ThumbnailJob>(ThumbnailJob.JobKind);
        services.AddLogging();
        services.AddSingleton<UploadRetentionSweep>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<UploadRetentionSweep>());
        return services;
    }
}
