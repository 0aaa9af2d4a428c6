using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Translation;

/// <summary>Configuration key <c>Providers:Translation</c>: which <c>ITranslator</c> the host uses.</summary>
public sealed class TranslationProvidersOptions
{
    public const string Section = "Providers";

    public const string Local = "local";
    public const string DeepL = "deepl";
    public const string Llm = "llm";

    /// <summary><c>local</c> (default: translation memory and glossary only), <c>deepl</c> or <c>llm</c>
    /// (the <c>Providers:Llm</c> model); both remote ones behind the memory.</summary>
    public string Translation { get; set; } = Local;

    internal static string Normalize(string? value) => (value ?? Local).Trim().ToLowerInvariant();
}

public sealed class TranslationProvidersOptionsValidator : IValidateOptions<TranslationProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, TranslationProvidersOptions options) =>
        TranslationProvidersOptions.Normalize(options.Translation) is TranslationProvidersOptions.Local or TranslationProvidersOptions.DeepL or TranslationProvidersOptions.Llm
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Providers:Translation must be '{TranslationProvidersOptions.Local}', '{TranslationProvidersOptions.DeepL}' or '{TranslationProvidersOptions.Llm}', not '{options.Translation}'.");
}

/// <summary>
/// With <c>Providers:Translation=llm</c>, the LLM must be configured: without <c>Providers:Llm:BaseUrl</c>
/// no model is registered, and translating would fail on the first request instead of at start.
/// </summary>
/// <param name="llmBaseUrl">The configured <c>Providers:Llm:BaseUrl</c> (its own validator checks its form).</param>
public sealed class LlmTranslationOptionsValidator(string? llmBaseUrl) : IValidateOptions<TranslationProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, TranslationProvidersOptions options) =>
        TranslationProvidersOptions.Normalize(options.Translation) != TranslationProvidersOptions.Llm || !string.IsNullOrWhiteSpace(llmBaseUrl)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "Providers:Translation is 'llm' but Providers:Llm:BaseUrl is empty. Set Providers:Llm:BaseUrl (e.g. https://api.openai.com/v1), Providers:Llm:Model " +
                "and Providers:Llm:ApiKey (environment variable Providers__Llm__ApiKey), or choose 'local' or 'deepl'.");
}
