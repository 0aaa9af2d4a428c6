using CommerceOS.Connectors.Fal;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Video;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Video;

public static class VideoProviderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IVideoProvider"/> that <c>Providers:Video</c> selects: <c>local</c> (default) registers
    /// none, <c>kling</c> Kling's own API, <c>veo</c> Veo on the Gemini API, <c>fal</c> <c>Fal:VideoModel</c> on fal's
    /// queue, each with its API and delivery HttpClients. Options are validated at start-up, so an unknown provider, a
    /// missing key or a plain-HTTP base URL stops the host with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddVideoProvider(this IServiceCollection services, IConfiguration configuration)
    {
        var selected = ProviderClients.AddSelection<VideoProvidersOptions, VideoProvidersOptionsValidator>(
            services, configuration, VideoProvidersOptions.Section, nameof(VideoProvidersOptions.Video));
        if (selected == VideoProvidersOptions.Kling)
        {
            ProviderClients.AddProvider<IVideoProvider, KlingVideoProvider, KlingOptions, KlingOptionsValidator>(
                services, configuration, KlingOptions.Section, KlingVideoProvider.ApiClientName, KlingVideoProvider.DeliveryClientName, VideoDownloader.MaxBytes);
        }
        else if (selected == VideoProvidersOptions.Veo)
        {
            ProviderClients.AddProvider<IVideoProvider, VeoVideoProvider, VeoOptions, VeoOptionsValidator>(
                services, configuration, VeoOptions.Section, VeoVideoProvider.ApiClientName, VeoVideoProvider.DeliveryClientName, VideoDownloader.MaxBytes);
        }
        else if (selected == VideoProvidersOptions.Fal)
        {
            // Fal:ApiKey and the queue host are shared with Providers:Images; the clients are the video provider's own.
            ProviderClients.AddProvider<IVideoProvider, FalVideoProvider, FalOptions, FalOptionsValidator>(
                services, configuration, FalOptions.Section, FalVideoProvider.ApiClientName, FalVideoProvider.DeliveryClientName, VideoDownloader.MaxBytes);
        }

        // "local" (the ffmpeg engine only) registers nothing; an unknown name is reported by ValidateOnStart.
        return services;
    }
}
