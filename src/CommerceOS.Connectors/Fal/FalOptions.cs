using CommerceOS.Connectors.Images;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Fal;

/// <summary>Configuration section <c>Fal</c>: fal.ai's queue API (external-apis.md section 2).</summary>
public sealed class FalOptions : RemoteImageProviderOptions
{
    public const string Section = "Fal";

    public string QueueBaseUrl { get; set; } = "https://queue.fal.run";

    /// <summary>Text-to-image model; input <c>image_size: {width, height}</c>.</summary>
    public string TextModel { get; set; } = "fal-ai/flux-pro/v1.1";

    /// <summary>Edit model; input <c>image_url</c> (sent as a data: URI).</summary>
    public string EditModel { get; set; } = "fal-ai/flux-pro/kontext";

    /// <summary>Background removal; output <c>image.url</c>, a PNG with alpha.</summary>
    public string BackgroundRemovalModel { get; set; } = "fal-ai/birefnet/v2";
}

public sealed class FalOptionsValidator : IValidateOptions<FalOptions>
{
    public ValidateOptionsResult Validate(string? name, FalOptions options)
    {
        var failures = new List<string>();
        options.Validate(FalOptions.Section, failures);
        RemoteImageProviderOptions.ValidateBaseUrl("Fal:QueueBaseUrl", options.QueueBaseUrl, failures);
        RemoteImageProviderOptions.ValidateModel("Fal:TextModel", options.TextModel, failures);
        RemoteImageProviderOptions.ValidateModel("Fal:EditModel", options.EditModel, failures);
        RemoteImageProviderOptions.ValidateModel("Fal:BackgroundRemovalModel", options.BackgroundRemovalModel, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
