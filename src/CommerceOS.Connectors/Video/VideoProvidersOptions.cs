using CommerceOS.Connectors.Images;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Video;

/// <summary>Configuration key <c>Providers:Video</c>: which <c>IVideoProvider</c> the host uses.</summary>
public sealed class VideoProvidersOptions
{
    public const string Section = "Providers";

    public const string Local = "local";
    public const string Kling = "kling";
    public const string Veo = "veo";
    public const string Fal = "fal";

    /// <summary><c>local</c> (default: the local ffmpeg engine only, no remote model), <c>kling</c>, <c>veo</c> or <c>fal</c>.</summary>
    public string Video { get; set; } = Local;

    internal static string Normalize(string? value) => (value ?? Local).Trim().ToLowerInvariant();
}

/// <summary>Fails start-up on an unknown provider name.</summary>
public sealed class VideoProvidersOptionsValidator : IValidateOptions<VideoProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, VideoProvidersOptions options) =>
        VideoProvidersOptions.Normalize(options.Video) is VideoProvidersOptions.Local or VideoProvidersOptions.Kling or VideoProvidersOptions.Veo or VideoProvidersOptions.Fal
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Providers:Video must be '{VideoProvidersOptions.Local}', '{VideoProvidersOptions.Kling}', '{VideoProvidersOptions.Veo}' or '{VideoProvidersOptions.Fal}', not '{options.Video}'.");
}

/// <summary>Configuration section <c>Kling</c>: Kling AI's own API (external-apis.md section 3).</summary>
public sealed class KlingOptions : RemoteProviderOptions
{
    public const string Section = "Kling";

    public KlingOptions()
    {
        // Section 3.3: generations take minutes; poll every 5-10 s.
        PollInterval = TimeSpan.FromSeconds(10);
        Timeout = TimeSpan.FromMinutes(15);
    }

    /// <summary>The JWT's issuer (section 3.2). A secret like the key: environment variable <c>Kling__AccessKey</c>.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Signs the JWT (HS256); never sent. Environment variable <c>Kling__SecretKey</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Global host (section 3.1); <c>https://api-beijing.klingai.com</c> for mainland China.</summary>
    public string BaseUrl { get; set; } = "https://api-singapore.klingai.com";

    /// <summary><c>model_name</c> of image2video (section 3.3).</summary>
    public string Model { get; set; } = "kling-v2-1";

    /// <summary><c>std</c> or <c>pro</c> (section 3.3; pro costs more).</summary>
    public string Mode { get; set; } = "std";
}

public sealed class KlingOptionsValidator : ProviderOptionsValidator<KlingOptions>
{
    protected override void Check(KlingOptions options, List<string> failures)
    {
        RemoteProviderOptions.RequireSecret(KlingOptions.Section, nameof(KlingOptions.AccessKey), options.AccessKey, "Providers:Video", failures);
        RemoteProviderOptions.RequireSecret(KlingOptions.Section, nameof(KlingOptions.SecretKey), options.SecretKey, "Providers:Video", failures);
        options.Validate(KlingOptions.Section, failures);
        RemoteProviderOptions.ValidateBaseUrl("Kling:BaseUrl", options.BaseUrl, failures);
        RemoteProviderOptions.ValidateModel("Kling:Model", options.Model, failures);
        if (options.Mode is not ("std" or "pro"))
        {
            failures.Add($"Kling:Mode must be 'std' or 'pro', not '{options.Mode}'.");
        }
    }
}

/// <summary>Configuration section <c>Veo</c>: Veo on the Gemini API (external-apis.md section 4).</summary>
public sealed class VeoOptions : RemoteProviderOptions
{
    public const string Section = "Veo";

    public VeoOptions()
    {
        // Section 4.3: Google's samples poll every ~10 s; latency runs to minutes.
        PollInterval = TimeSpan.FromSeconds(10);
        Timeout = TimeSpan.FromMinutes(15);
    }

    /// <summary>A secret, sent as <c>x-goog-api-key</c>: environment variable <c>Veo__ApiKey</c> or user secrets.</summary>
    public string? ApiKey { get; set; }

    public string BaseUrl { get; set; } = "https://generativelanguage.googleapis.com/v1beta";

    /// <summary>
    /// Section 4.5: the <c>veo-3.1-*-preview</c> models were shut down on the Gemini API on 2026-10-22, so the default
    /// is a 3.0 model; a retired model answers 404 and the provider names this key.
    /// </summary>
    public string Model { get; set; } = "veo-3.0-fast-generate-001";

    /// <summary><c>parameters.resolution</c>: <c>720p</c> or <c>1080p</c> (section 4.2).</summary>
    public string Resolution { get; set; } = "720p";
}

public sealed class VeoOptionsValidator : ProviderOptionsValidator<VeoOptions>
{
    protected override void Check(VeoOptions options, List<string> failures)
    {
        RemoteProviderOptions.RequireSecret(VeoOptions.Section, nameof(VeoOptions.ApiKey), options.ApiKey, "Providers:Video", failures);
        options.Validate(VeoOptions.Section, failures);
        RemoteProviderOptions.ValidateBaseUrl("Veo:BaseUrl", options.BaseUrl, failures);
        RemoteProviderOptions.ValidateModel("Veo:Model", options.Model, failures);
        if (options.Resolution is not ("720p" or "1080p"))
        {
            failures.Add($"Veo:Resolution must be '720p' or '1080p', not '{options.Resolution}'.");
        }
    }
}
