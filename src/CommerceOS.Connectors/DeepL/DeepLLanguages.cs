namespace CommerceOS.Connectors.DeepL;

/// <summary>CommerceOS language codes to DeepL's (external-apis.md §6.2 target_lang examples).</summary>
public static class DeepLLanguages
{
    // Malay is not among DeepL's languages (its /v2/languages list); Thai and Vietnamese joined in
    // 2025. Both facts are UNCONFIRMED against the reference: an unsupported pair comes back as
    // untranslated segments, never as a failed call.
    private static readonly Dictionary<string, (string Source, string Target)> Codes = new(StringComparer.Ordinal)
    {
        ["en"] = ("EN", "EN-US"),
        ["zh-CN"] = ("ZH", "ZH-HANS"),
        ["zh-TW"] = ("ZH", "ZH-HANT"),
        ["ja"] = ("JA", "JA"),
        ["ko"] = ("KO", "KO"),
        ["th"] = ("TH", "TH"),
        ["vi"] = ("VI", "VI"),
        ["id"] = ("ID", "ID"),
        ["es"] = ("ES", "ES"),
        ["fr"] = ("FR", "FR"),
        ["de"] = ("DE", "DE"),
        ["it"] = ("IT", "IT"),
        ["pt-BR"] = ("PT", "PT-BR"),
        ["ru"] = ("RU", "RU"),
    };

    /// <summary>Targets whose <c>supports_formality</c> is true in DeepL's language list.</summary>
    private static readonly HashSet<string> FormalityTargets = new(StringComparer.Ordinal) { "DE", "FR", "IT", "ES", "NL", "PL", "PT-BR", "PT-PT", "JA", "RU" };

    /// <summary><c>source_lang</c> (no variants), or null when DeepL does not translate from it.</summary>
    public static string? Source(string code) => Codes.TryGetValue(code, out var pair) ? pair.Source : null;

    /// <summary><c>target_lang</c>; English takes the configured variant (<c>EN-US</c>/<c>EN-GB</c>).</summary>
    public static string? Target(string code, string englishVariant) =>
        code == "en" ? englishVariant : Codes.TryGetValue(code, out var pair) ? pair.Target : null;

    /// <summary>Glossary languages are plain two-letter codes (<c>en</c>, <c>zh</c>, <c>pt</c>).</summary>
    public static string? Glossary(string code) => Source(code)?.ToLowerInvariant();

    /// <summary><c>more</c>/<c>less</c> are an error for other targets (external-apis.md §6.2), so they are sent only here.</summary>
    public static bool SupportsFormality(string target) => FormalityTargets.Contains(target);
}
