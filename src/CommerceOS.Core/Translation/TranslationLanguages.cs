namespace CommerceOS.Core.Translation;

/// <summary>A language CommerceOS translates from and to; its display name is the resource <see cref="NameKey"/>.</summary>
/// <param name="Code">BCP 47 tag as CommerceOS spells it everywhere (<c>zh-CN</c>, <c>pt-BR</c>).</param>
/// <param name="UsesWordSpacing">False for scripts written without spaces between words (Chinese, Japanese, Thai):
/// term matching there cannot rely on word boundaries.</param>
public sealed record TranslationLanguage(string Code, bool UsesWordSpacing)
{
    public string NameKey => "translation.language." + Code;
}

/// <summary>The languages of issue 4 ("Languages at least: ..."), as data.</summary>
public static class TranslationLanguages
{
    public static IReadOnlyList<TranslationLanguage> All { get; } =
    [
        new("en", true),
        new("zh-CN", false),
        new("zh-TW", false),
        new("ja", false),
        new("ko", true),
        new("th", false),
        new("vi", true),
        new("id", true),
        new("ms", true),
        new("es", true),
        new("fr", true),
        new("de", true),
        new("it", true),
        new("pt-BR", true),
        new("ru", true),
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
