using System.Globalization;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Fal;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Video;

/// <summary>
/// An image-to-video model on fal's queue (external-apis.md sections 2.2 and 2.7), <c>Fal:VideoModel</c>: the same
/// submit, status and result steps as the image models (<see cref="FalQueue"/>), one status request per poll; once
/// completed, the poll reads the result's <c>video.url</c> at once (fal keeps results only briefly) and the download
/// fetches it without the key.
/// </summary>
public sealed class FalVideoProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<FalOptions> options,
    TimeProvider timeProvider,
    ILogger<FalVideoProvider> logger) : IVideoProvider
{
    public const string ProviderName = FalQueue.Vendor;

    // Not the image provider's clients: each named client gets one resilience handler, and both may be registered.
    internal const string ApiClientName = "CommerceOS.Fal.Video";
    internal const string DeliveryClientName = "CommerceOS.Fal.Video.Delivery";

    private FalOptions Options => options.Value;

    public string Name => ProviderName;

    public TimeSpan PollInterval => Options.VideoPollInterval;

    public TimeSpan Timeout => Options.VideoTimeout;

    public async Task<ProviderTask> SubmitAsync(VideoGenerationRequest request, CancellationToken cancellationToken)
    {
        VideoRequests.RequireImage(request, FalQueue.Vendor);
        var model = Options.VideoModel;
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["image_url"] = FalQueue.DataUri(request.Image),
        };
        if (model.Contains("veo", StringComparison.OrdinalIgnoreCase))
        {
            // Section 2.7, fal-ai/veo3*: duration "4s"|"6s"|"8s", aspect ratio 16:9 or 9:16.
            body["duration"] = $"{VideoRequests.Nearest(request.DurationSeconds, 4, 6, 8).ToString(CultureInfo.InvariantCulture)}s";
            body["aspect_ratio"] = VideoRequests.LandscapeOrPortrait(request.AspectRatio);
        }
        else
        {
            // Section 2.7, fal-ai/kling-video/*/image-to-video: duration "5"|"10", the shape of the start frame.
            body["duration"] = VideoRequests.Nearest(request.DurationSeconds, 5, 10).ToString(CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
        {
            body["negative_prompt"] = request.NegativePrompt;
        }

        var task = await Queue().SubmitAsync(model, body, Options.VideoTimeout, "Fal:VideoModel", cancellationToken);
        return task.ToProviderTask();
    }

    public async Task<VideoPoll> PollAsync(ProviderTask task, CancellationToken cancellationToken)
    {
        var state = FalTask.From(task, "Providers:Video");
        if (state.ResultUrl is not null)
        {
            return new VideoPoll(true, task);
        }

        var queue = Queue();
        if (!await queue.IsCompletedAsync(state, cancellationToken))
        {
            return new VideoPoll(false, task);
        }

        var result = await queue.FetchResultAsync(state, cancellationToken);
        var url = result.TryGetProperty("video", out var video) ? video.GetString("url") : null;
        ProviderHttp.VendorUrl(url, FalQueue.Vendor, "video.url");
        return new VideoPoll(true, (state with { ResultUrl = url }).ToProviderTask());
    }

    public async Task<ProviderVideo> DownloadAsync(ProviderTask task, string destinationPath, CancellationToken cancellationToken)
    {
        var state = FalTask.From(task, "Providers:Video");
        var uri = ProviderHttp.VendorUrl(
            state.ResultUrl ?? throw new ProviderException(ProviderFailure.Misconfigured, $"fal request {state.RequestId} is not finished; poll it until done first."),
            FalQueue.Vendor,
            "video.url");
        var bytes = await VideoDownloader.DownloadAsync(httpClientFactory.CreateClient(DeliveryClientName), uri, destinationPath, FalQueue.Vendor, Options.VideoTimeout, timeProvider, cancellationToken);
        logger.LogInformation("fal request {RequestId} delivered {Length} bytes of video", state.RequestId, bytes);
        return new ProviderVideo(destinationPath, bytes, "video/mp4", ProviderName, state.Model, state.RequestId);
    }

    private FalQueue Queue() => new(httpClientFactory.CreateClient(ApiClientName), Options, timeProvider, logger);
}
