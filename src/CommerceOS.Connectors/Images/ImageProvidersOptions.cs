using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Images;

/// <summary>Configuration key <c>Providers:Images</c>: which <c>IImageProvider</c> the host uses.</summary>
public sealed class ImageProvidersOptions
{
    public const string Section = "Providers";

    public const string Local = "local";
    public const string Flux = "flux";
    public const string Fal = "fal";

    /// <summary><c>local</c> (default: local engines only, no remote provider), <c>flux</c> or <c>fal</c>.</summary>
    public string Images { get; set; } = Local;

    internal static string Normalize(string? value) => (value ?? Local).Trim().ToLowerInvariant();
}

/// <summary>Fails start-up on an unknown provider name.</summary>
public sealed class ImageProvidersOptionsValidator : IValidateOptions<ImageProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageProvidersOptions options) =>
        ImageProvidersOptions.Normalize(options.Images) is ImageProvidersOptions.Local or ImageProvidersOptions.Flux or ImageProvidersOptions.Fal
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Providers:Images must be '{ImageProvidersOptions.Local}', '{ImageProvidersOptions.Flux}' or '{ImageProvidersOptions.Fal}', not '{options.Images}'.");
}
