using CommerceOS.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Video;

public static class VideoServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Video Studio: request, job, queries, music upload and the work-folder sweep. The engine
    /// (<see cref="IVideoRenderer"/>) comes from <c>AddLocalVideo</c>, a remote <see cref="IVideoProvider"/> from
    /// <c>AddVideoProvider</c> when <c>Providers:Video</c> names one.
    /// </summary>
    public static IServiceCollection AddVideo(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<VideoOptions>().BindConfiguration(VideoOptions.Section);
        services.AddSingleton<VideoWorkFolders>();
        services.AddScoped<RequestVideos>();
        services.AddScoped<ListProductVideos>();
        services.AddScoped<ListMusic>();
        services.AddScoped<UploadMusic>();
        services.AddJobHandler<GenerateVideoJob>(RequestVideos.JobKind);
        services.AddHostedService<VideoWorkFolderSweep>();
        return services;
    }
}

/// <summary>
/// Removes work folders a crashed process left behind, on each machine (they are local disk): at start and hourly.
/// </summary>
internal sealed partial class VideoWorkFolderSweep(VideoWorkFolders folders, TimeProvider time, ILogger<VideoWorkFolderSweep> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var deleted = folders.Sweep();
            if (deleted > 0)
            {
                LogSwept(deleted);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} stale video work folders")]
    private partial void LogSwept(int count);
}
