namespace CommerceOS.Core.Translation;

/// <summary>A language CommerceOS translates from and to; its display name is the resource <see cref="NameKey"/>.</summary>
/// <param name="Code">BCP 47 tag as CommerceOS spells it everywhere (<c>zh-CN</c>, <c>pt-BR</c>).</param>
/// <param name="UsesWordSpacing">False for scripts written without spaces between words (Chinese, Japanese, Thai):
/// term matching there cannot rely on word boundaries.</param>
/// <param name="EnglishName">For prompts and logs only; sellers see <see cref="NameKey"/>.</param>
public sealed record TranslationLanguage(string Code, bool UsesWordSpacing, string EnglishName)
{
    public string NameKey => "translation.language." + Code;
}

/// <summary>The languages of issue 4 ("Languages at least: ..."), as data.</summary>
public static class TranslationLanguages
{
    public static IReadOnlyList<TranslationLanguage> All { get; } =
    [
        new("en", true, "English"),
        new("zh-CN", false, "Simplified Chinese"),
        new("zh-TW", false, "Traditional Chinese"),
        new("ja", false, "Japanese"),
        new("ko", true, "Korean"),
        new("th", false, "Thai"),
        new("vi", true, "Vietnamese"),
        new("id", true, "Indonesian"),
        new("ms", true, "Malay"),
        new("es", true, "Spanish"),
        new("fr", true, "French"),
        new("de", true, "German"),
        new("it", true, "Italian"),
        new("pt-BR", true, "Brazilian Portuguese"),
        new("ru", true, "Russian"),
    ];

    private static readonly Dictionary<string, TranslationLanguage> ByCode =
        All.ToDictionary(l => l.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds a language by code, ignoring case and accepting <c>_</c> for <c>-</c> (<c>zh_cn</c>).</summary>
    public static bool TryFind(string? code, out TranslationLanguage language)
    {
        language = null!;
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        if (ByCode.TryGetValue(code.Trim().Replace('_', '-'), out var found))
        {
            language = found;
            return true;
        }

        return false;
    }
}
