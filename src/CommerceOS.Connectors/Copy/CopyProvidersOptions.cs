using CommerceOS.Connectors.Llm;
using CommerceOS.Core.Copy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Copy;

/// <summary>
/// Configuration key <c>Providers:Copy</c>: which <see cref="ICopyEngine"/> writes listing copy. Each engine is registered
/// keyed by its name (<c>local</c>, <c>llm</c>), so the host resolves <see cref="Engine"/> with
/// <c>GetRequiredKeyedService&lt;ICopyEngine&gt;(options.Engine)</c>.
/// </summary>
public sealed class CopyProvidersOptions
{
    /// <summary>The parent section: <c>Providers:Copy</c> is a value beside the <c>Providers:Llm</c> section.</summary>
    public const string Section = "Providers";

    public const string Local = "local";
    public const string Llm = "llm";

    /// <summary><c>local</c> (default: the offline rule and template engine) or <c>llm</c>.</summary>
    public string Copy { get; set; } = Local;

    /// <summary><see cref="Copy"/> as the engine's key: trimmed, lower case, <c>local</c> when empty.</summary>
    public string Engine => Normalize(Copy);

    internal static string Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? Local : value.Trim().ToLowerInvariant();
}

/// <summary>
/// An unknown engine, or <c>llm</c> without an LLM to run it, stops the host at start naming the key to set. Checked
/// against what is registered (not against configuration text), so it also catches <c>AddLlmCopy</c> called before
/// <c>AddLlm</c>.
/// </summary>
public sealed class CopyProvidersOptionsValidator(IServiceProviderIsKeyedService registered) : IValidateOptions<CopyProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, CopyProvidersOptions options)
    {
        var engine = options.Engine;
        if (engine is not (CopyProvidersOptions.Local or CopyProvidersOptions.Llm))
        {
            return ValidateOptionsResult.Fail(
                $"Providers:Copy must be '{CopyProvidersOptions.Local}' or '{CopyProvidersOptions.Llm}', not '{options.Copy}'.");
        }

        if (engine == CopyProvidersOptions.Llm && !registered.IsKeyedService(typeof(ICopyEngine), LlmCopyEngine.EngineName))
        {
            return ValidateOptionsResult.Fail(
                $"Providers:Copy is 'llm' but no LLM is configured. Set {LlmOptions.Section}:BaseUrl (with {LlmOptions.Section}:Model and, for a remote service, {LlmOptions.Section}:ApiKey), or set Providers:Copy to 'local'.");
        }

        return ValidateOptionsResult.Success;
    }
}
