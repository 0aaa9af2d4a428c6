using CommerceOS.Connectors.Images;

namespace CommerceOS.Connectors.Fal;

/// <summary>
/// Configuration section <c>Fal</c>: fal.ai's queue API (external-apis.md section 2), used by <c>Providers:Images</c>
/// and <c>Providers:Video</c> alike. <see cref="RemoteProviderOptions.PollInterval"/> and
/// <see cref="RemoteProviderOptions.Timeout"/> pace image requests; a video takes minutes, so it has its own pair.
/// </summary>
public sealed class FalOptions : RemoteProviderOptions
{
    public const string Section = "Fal";

    /// <summary>A secret: from the environment variable <c>Fal__ApiKey</c> or user secrets.</summary>
    public string? ApiKey { get; set; }

    public string QueueBaseUrl { get; set; } = "https://queue.fal.run";

    /// <summary>Text-to-image model; input <c>image_size: {width, height}</c>.</summary>
    public string TextModel { get; set; } = "fal-ai/flux-pro/v1.1";

    /// <summary>Edit model; input <c>image_url</c> (sent as a data: URI).</summary>
    public string EditModel { get; set; } = "fal-ai/flux-pro/kontext";

    /// <summary>Background removal; output <c>image.url</c>, a PNG with alpha.</summary>
    public string BackgroundRemovalModel { get; set; } = "fal-ai/birefnet/v2";

    /// <summary>Image-to-video model (section 2.7): input <c>prompt</c>, <c>image_url</c>, <c>duration</c>; output <c>video.url</c>.</summary>
    public string VideoModel { get; set; } = "fal-ai/kling-video/v2.1/standard/image-to-video";

    /// <summary>Wait between two status polls of a video request (section 2.2: 5-10 s is reasonable for video).</summary>
    public TimeSpan VideoPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a video request may take from submission; also sent as <c>X-Fal-Request-Timeout</c>.</summary>
    public TimeSpan VideoTimeout { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class FalOptionsValidator : ProviderOptionsValidator<FalOptions>
{
    protected override void Check(FalOptions options, List<string> failures)
    {
        RemoteProviderOptions.RequireSecret(FalOptions.Section, nameof(FalOptions.ApiKey), options.ApiKey, "Providers:Images or Providers:Video", failures);
        options.Validate(FalOptions.Section, failures);
        RemoteProviderOptions.ValidateBaseUrl("Fal:QueueBaseUrl", options.QueueBaseUrl, failures);
        RemoteProviderOptions.ValidateModel("Fal:TextModel", options.TextModel, failures);
        RemoteProviderOptions.ValidateModel("Fal:EditModel", options.EditModel, failures);
        RemoteProviderOptions.ValidateModel("Fal:BackgroundRemovalModel", options.BackgroundRemovalModel, failures);
        RemoteProviderOptions.ValidateModel("Fal:VideoModel", options.VideoModel, failures);
        RemoteProviderOptions.ValidatePacing("Fal:VideoPollInterval", options.VideoPollInterval, "Fal:VideoTimeout", options.VideoTimeout, failures);
    }
}
