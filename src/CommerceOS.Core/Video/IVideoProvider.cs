using CommerceOS.Core.Generation;

namespace CommerceOS.Core.Video;

/// <summary>An image-to-video request to a remote model.</summary>
/// <param name="Image">The start frame, PNG or JPEG, at least 300 px each side.</param>
/// <param name="AspectRatio">"9:16", "16:9" or "1:1"; a provider without the ratio picks its nearest and the clip is conformed.</param>
/// <param name="DurationSeconds">Wanted length; the provider rounds to what the model offers (Kling 5/10, Veo 4/6/8).</param>
public sealed record VideoGenerationRequest(byte[] Image, string ImageContentType, string Prompt, string AspectRatio, int DurationSeconds, string? NegativePrompt = null);

/// <summary>One poll of a submitted task.</summary>
/// <param name="Done">True once the result is ready to download: <see cref="Task"/> then carries where it is.</param>
/// <param name="Task">The task, possibly with more state (the result's location) to persist before downloading.</param>
public sealed record VideoPoll(bool Done, ProviderTask Task);

/// <summary>A downloaded clip.</summary>
public sealed record ProviderVideo(string Path, long Bytes, string ContentType, string Provider, string Model, string TaskId);

/// <summary>
/// A remote video model (Kling, Veo on the Gemini API, models on fal's queue), selected by <c>Providers:Video</c>. The job
/// submits once, persists the task, and polls one request at a time on its own schedule, so no worker thread waits for
/// minutes. Failures are <see cref="ProviderException"/> with a <see cref="ProviderFailure"/>: moderation, quota, timeout,
/// an expired result and so on.
/// </summary>
public interface IVideoProvider
{
    /// <summary>"kling", "veo" or "fal".</summary>
    string Name { get; }

    /// <summary>How long to wait between polls.</summary>
    TimeSpan PollInterval { get; }

    /// <summary>How long a task may take from submission before the job gives up with <see cref="ProviderFailure.Timeout"/>.</summary>
    TimeSpan Timeout { get; }

    /// <summary>Submits a paid task; the caller persists the returned task before anything else.</summary>
    Task<ProviderTask> SubmitAsync(VideoGenerationRequest request, CancellationToken cancellationToken);

    /// <summary>Asks once whether the task is finished. Throws for a failed, moderated or unknown task.</summary>
    Task<VideoPoll> PollAsync(ProviderTask task, CancellationToken cancellationToken);

    /// <summary>Downloads a finished task's clip (MP4) into <paramref name="destinationPath"/>; an expired URL is <see cref="ProviderFailure.ResultExpired"/>.</summary>
    Task<ProviderVideo> DownloadAsync(ProviderTask task, string destinationPath, CancellationToken cancellationToken);
}
