using CommerceOS.Connectors.Images;

namespace CommerceOS.Connectors.Flux;

/// <summary>Configuration section <c>Flux</c>: Black Forest Labs' API (external-apis.md section 1).</summary>
public sealed class FluxOptions : RemoteProviderOptions
{
    public const string Section = "Flux";

    /// <summary>A secret: from the environment variable <c>Flux__ApiKey</c> or user secrets.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Global host; <c>https://api.eu.bfl.ai</c> or <c>https://api.us.bfl.ai</c> for data residency.</summary>
    public string BaseUrl { get; set; } = "https://api.bfl.ai";

    /// <summary>Text-to-image endpoint under <c>/v1/</c>; takes width/height in multiples of 32.</summary>
    public string TextModel { get; set; } = "flux-pro-1.1";

    /// <summary>Edit-with-input-image endpoint under <c>/v1/</c>.</summary>
    public string EditModel { get; set; } = "flux-kontext-pro";
}

public sealed class FluxOptionsValidator : ProviderOptionsValidator<FluxOptions>
{
    protected override void Check(FluxOptions options, List<string> failures)
    {
        RemoteProviderOptions.RequireSecret(FluxOptions.Section, nameof(FluxOptions.ApiKey), options.ApiKey, "Providers:Images", failures);
        options.Validate(FluxOptions.Section, failures);
        RemoteProviderOptions.ValidateBaseUrl("Flux:BaseUrl", options.BaseUrl, failures);
        RemoteProviderOptions.ValidateModel("Flux:TextModel", options.TextModel, failures);
        RemoteProviderOptions.ValidateModel("Flux:EditModel", options.EditModel, failures);
    }
}
