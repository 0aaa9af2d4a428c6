using CommerceOS.Connectors.Images;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Flux;

/// <summary>Configuration section <c>Flux</c>: Black Forest Labs' API (external-apis.md section 1).</summary>
public sealed class FluxOptions : RemoteImageProviderOptions
{
    public const string Section = "Flux";

    /// <summary>Global host; <c>https://api.eu.bfl.ai</c> or <c>https://api.us.bfl.ai</c> for data residency.</summary>
    public string BaseUrl { get; set; } = "https://api.bfl.ai";

    /// <summary>Text-to-image endpoint under <c>/v1/</c>; takes width/height in multiples of 32.</summary>
    public string TextModel { get; set; } = "flux-pro-1.1";

    /// <summary>Edit-with-input-image endpoint under <c>/v1/</c>.</summary>
    public string EditModel { get; set; } = "flux-kontext-pro";
}

public sealed class FluxOptionsValidator : IValidateOptions<FluxOptions>
{
    public ValidateOptionsResult Validate(string? name, FluxOptions options)
    {
        var failures = new List<string>();
        options.Validate(FluxOptions.Section, failures);
        RemoteImageProviderOptions.ValidateBaseUrl("Flux:BaseUrl", options.BaseUrl, failures);
        RemoteImageProviderOptions.ValidateModel("Flux:TextModel", options.TextModel, failures);
        RemoteImageProviderOptions.ValidateModel("Flux:EditModel", options.EditModel, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
