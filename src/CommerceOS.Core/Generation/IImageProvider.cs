namespace CommerceOS.Core.Generation;

/// <summary>Why a remote generation failed, in our words, not the vendor's (architecture.md section 4).</summary>
public enum ProviderFailure
{
    /// <summary>429 or too many concurrent tasks: retry after <see cref="ProviderException.RetryAfter"/>.</summary>
    RateLimited = 0,

    /// <summary>5xx, connection failure, malformed body: retry with back-off.</summary>
    Transient = 1,

    /// <summary>No result within the configured deadline.</summary>
    Timeout = 2,

    /// <summary>The vendor's moderation refused the input or the output. Not retried.</summary>
    Moderated = 3,

    /// <summary>The vendor refused the request as invalid (400/422). Not retried.</summary>
    Rejected = 4,

    /// <summary>The vendor account has no credits left (402). Not retried.</summary>
    InsufficientCredits = 5,

    /// <summary>Bad or missing key (401/403), unsupported operation. Not retried.</summary>
    Misconfigured = 6,

    /// <summary>The result URL expired before it could be downloaded: generate again.</summary>
    ResultExpired = 7,
}

public sealed class ProviderException(ProviderFailure failure, string detail, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public ProviderFailure Failure { get; } = failure;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Retrying the job can help.</summary>
    public bool IsRetryable => Failure is ProviderFailure.RateLimited or ProviderFailure.Transient or ProviderFailure.Timeout or ProviderFailure.ResultExpired;
}

/// <summary>
/// A vendor task that was accepted: persisted by the caller before polling, so a restarted job
/// polls the same task instead of paying for a second one. Opaque to the caller.
/// </summary>
public sealed record ProviderTask(string Provider, string State);

/// <param name="Seed">Null lets the vendor choose.</param>
/// <param name="Resume">A task submitted by an earlier attempt of the same job.</param>
/// <param name="OnSubmitted">Called once the vendor accepted the task, before the first poll.</param>
public sealed record TextToImageRequest(
    string Prompt,
    int Width,
    int Height,
    long? Seed = null,
    ProviderTask? Resume = null,
    Func<ProviderTask, CancellationToken, Task>? OnSubmitted = null);

/// <param name="Image">Encoded input image (PNG or JPEG).</param>
public sealed record ImageEditRequest(
    byte[] Image,
    string Prompt,
    string AspectRatio,
    long? Seed = null,
    ProviderTask? Resume = null,
    Func<ProviderTask, CancellationToken, Task>? OnSubmitted = null);

/// <summary>A downloaded result: the vendor URL is never kept (it expires), the bytes are.</summary>
public sealed record ProviderImage(byte[] Bytes, string ContentType, string Provider, string Model, string TaskId, long? Seed);

/// <summary>A remote image model (FLUX via BFL, fal). Selected by <c>Providers:Images</c>.</summary>
public interface IImageProvider
{
    /// <summary>"flux" or "fal".</summary>
    string Name { get; }

    bool SupportsBackgroundRemoval { get; }

    Task<ProviderImage> TextToImageAsync(TextToImageRequest request, CancellationToken cancellationToken);

    Task<ProviderImage> EditImageAsync(ImageEditRequest request, CancellationToken cancellationToken);

    /// <summary>A PNG with alpha. Throws <see cref="ProviderException"/> with <see cref="ProviderFailure.Misconfigured"/> when unsupported.</summary>
    Task<ProviderImage> RemoveBackgroundAsync(byte[] image, ProviderTask? resume, Func<ProviderTask, CancellationToken, Task>? onSubmitted, CancellationToken cancellationToken);
}
