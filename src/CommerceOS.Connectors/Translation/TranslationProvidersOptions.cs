using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Translation;

/// <summary>Configuration key <c>Providers:Translation</c>: which <c>ITranslator</c> the host uses.</summary>
public sealed class TranslationProvidersOptions
{
    public const string Section = "Providers";

    public const string Local = "local";
    public const string DeepL = "deepl";

    /// <summary><c>local</c> (default: translation memory and glossary only) or <c>deepl</c>.</summary>
    public string Translation { get; set; } = Local;

    internal static string Normalize(string? value) => (value ?? Local).Trim().ToLowerInvariant();
}

public sealed class TranslationProvidersOptionsValidator : IValidateOptions<TranslationProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, TranslationProvidersOptions options) =>
        TranslationProvidersOptions.Normalize(options.Translation) is TranslationProvidersOptions.Local or TranslationProvidersOptions.DeepL
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Providers:Translation must be '{TranslationProvidersOptions.Local}' or '{TranslationProvidersOptions.DeepL}', not '{options.Translation}'.");
}
