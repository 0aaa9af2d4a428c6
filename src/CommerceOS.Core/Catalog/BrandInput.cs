using System.Text.RegularExpressions;
using CommerceOS.Core.Common;

namespace CommerceOS.Core.Catalog;

/// <summary>The editable fields of a brand profile (request DTO; never bind the entity).</summary>
/// <param name="Tone">One of <see cref="BrandValidator.Tones"/>, or null.</param>
/// <param name="Palette">Colours as <c>#RRGGBB</c>, primary first.</param>
/// <param name="Fonts">Heading and body font family; null keeps the default (Noto Sans).</param>
/// <param name="LogoAssetId">An asset of the same workspace, or null.</param>
public sealed record BrandInput(
    string? Name,
    string? Voice = null,
    string? Tone = null,
    IReadOnlyList<string>? Palette = null,
    BrandFonts? Fonts = null,
    Guid? LogoAssetId = null,
    IReadOnlyList<string>? BannedWords = null,
    IReadOnlyList<GlossaryTerm>? Glossary = null)
{
    /// <summary>
    /// Trims texts, lower-cases the tone, upper-cases colours, drops blank banned words and
    /// de-duplicates them case-insensitively (the first spelling wins).
    /// </summary>
    public BrandInput Normalized()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var bannedWords = new List<string>();
        foreach (var word in BannedWords ?? [])
        {
            var trimmed = word?.Trim() ?? "";
            if (trimmed.Length > 0 && seen.Add(trimmed))
            {
                bannedWords.Add(trimmed);
            }
        }

        return this with
        {
            Name = Name?.Trim() ?? "",
            Voice = string.IsNullOrWhiteSpace(Voice) ? null : Voice.Trim(),
            Tone = string.IsNullOrWhiteSpace(Tone) ? null : Tone.Trim().ToLowerInvariant(),
            Palette = (Palette ?? []).Select(c => c?.Trim().ToUpperInvariant() ?? "").ToList(),
            Fonts = Fonts is null ? null : new BrandFonts(Fonts.Heading?.Trim() ?? "", Fonts.Body?.Trim() ?? ""),
            BannedWords = bannedWords,
            Glossary = (Glossary ?? []).Select(g => new GlossaryTerm(g.Source?.Trim() ?? "", g.Target?.Trim() ?? "", g.Language?.Trim() ?? "")).ToList(),
        };
    }
}

/// <summary>Brand rules; uniqueness of the name and the logo asset are checked by the use cases.</summary>
/// <remarks>
/// Name required, at most 100 characters, unique per workspace (case-insensitive); voice at most
/// 2,000; tone one of <see cref="Tones"/>; at most 8 palette colours <c>#RRGGBB</c>; fonts non-empty,
/// at most 100; at most 200 banned words of at most 100 characters; at most 500 glossary terms with
/// source and target (at most 200 each) and a language tag: <c>en</c>, <c>zh-CN</c> or another
/// BCP-47 tag such as <c>ja</c>, <c>pt-BR</c>, <c>zh-Hant-TW</c>.
/// </remarks>
public static partial class BrandValidator
{
    public const int MaxNameLength = 100;
    public const int MaxVoiceLength = 2_000;
    public const int MaxPaletteColors = 8;
    public const int MaxFontLength = 100;
    public const int MaxBannedWords = 200;
    public const int MaxBannedWordLength = 100;
    public const int MaxGlossaryTerms = 500;
    public const int MaxGlossaryTermLength = 200;

    public static readonly IReadOnlyList<string> Tones = ["professional", "luxurious", "playful", "technical", "warm"];

    /// <summary>Validates a <see cref="BrandInput.Normalized"/> input.</summary>
    public static IReadOnlyList<FieldError> Validate(BrandInput input)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(input.Name))
        {
            errors.Add(new FieldError("name", CatalogErrors.BrandNameRequired));
        }
        else if (input.Name.Length > MaxNameLength)
        {
            errors.Add(FieldError.Of("name", CatalogErrors.BrandNameTooLong, MaxNameLength));
        }

        if (input.Voice is { Length: > MaxVoiceLength })
        {
            errors.Add(FieldError.Of("voice", CatalogErrors.BrandVoiceTooLong, MaxVoiceLength));
        }

        if (input.Tone is not null && !Tones.Contains(input.Tone, StringComparer.Ordinal))
        {
            errors.Add(FieldError.Of("tone", CatalogErrors.BrandToneInvalid, string.Join(", ", Tones)));
        }

        var palette = input.Palette ?? [];
        if (palette.Count > MaxPaletteColors)
        {
            errors.Add(FieldError.Of("palette", CatalogErrors.TooManyPaletteColors, MaxPaletteColors));
        }

        for (var i = 0; i < palette.Count; i++)
        {
            if (!HexColor().IsMatch(palette[i]))
            {
                errors.Add(FieldError.Of($"palette[{i}]", CatalogErrors.PaletteColorInvalid, palette[i]));
            }
        }

        if (input.Fonts is { } fonts)
        {
            if (fonts.Heading.Length is 0 or > MaxFontLength)
            {
                errors.Add(FieldError.Of("fonts.heading", CatalogErrors.FontInvalid, MaxFontLength));
            }

            if (fonts.Body.Length is 0 or > MaxFontLength)
            {
                errors.Add(FieldError.Of("fonts.body", CatalogErrors.FontInvalid, MaxFontLength));
            }
        }

        var bannedWords = input.BannedWords ?? [];
        if (bannedWords.Count > MaxBannedWords)
        {
            errors.Add(FieldError.Of("bannedWords", CatalogErrors.TooManyBannedWords, MaxBannedWords));
        }

        for (var i = 0; i < bannedWords.Count; i++)
        {
            if (bannedWords[i].Length > MaxBannedWordLength)
            {
                errors.Add(FieldError.Of($"bannedWords[{i}]", CatalogErrors.BannedWordTooLong, MaxBannedWordLength));
            }
        }

        ValidateGlossary(input.Glossary ?? [], errors);
        return errors;
    }

    /// <summary>A syntactic BCP-47 check: language (2-3 letters), then optional script, region and variant subtags.</summary>
    public static bool IsLanguageTag(string tag) => LanguageTag().IsMatch(tag);

    private static void ValidateGlossary(IReadOnlyList<GlossaryTerm> glossary, List<FieldError> errors)
    {
        if (glossary.Count > MaxGlossaryTerms)
        {
            errors.Add(FieldError.Of("glossary", CatalogErrors.TooManyGlossaryTerms, MaxGlossaryTerms));
        }

        for (var i = 0; i < glossary.Count; i++)
        {
            var term = glossary[i];
            if (term.Source.Length == 0)
            {
                errors.Add(new FieldError($"glossary[{i}].source", CatalogErrors.GlossarySourceRequired));
            }
            else if (term.Source.Length > MaxGlossaryTermLength)
            {
                errors.Add(FieldError.Of($"glossary[{i}].source", CatalogErrors.GlossaryTermTooLong, MaxGlossaryTermLength));
            }

            if (term.Target.Length == 0)
            {
                errors.Add(new FieldError($"glossary[{i}].target", CatalogErrors.GlossaryTargetRequired));
            }
            else if (term.Target.Length > MaxGlossaryTermLength)
            {
                errors.Add(FieldError.Of($"glossary[{i}].target", CatalogErrors.GlossaryTermTooLong, MaxGlossaryTermLength));
            }

            if (!IsLanguageTag(term.Language))
            {
                errors.Add(FieldError.Of($"glossary[{i}].language", CatalogErrors.GlossaryLanguageInvalid, term.Language));
            }
        }
    }

    [GeneratedRegex("^#[0-9A-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColor();

    [GeneratedRegex("^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}

/// <summary>A brand profile as the use cases return it.</summary>
public sealed record BrandDetails(
    Guid Id,
    string Name,
    string? Voice,
    string? Tone,
    IReadOnlyList<string> Palette,
    BrandFonts Fonts,
    Guid? LogoAssetId,
    IReadOnlyList<string> BannedWords,
    IReadOnlyList<GlossaryTerm> Glossary,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    internal static BrandDetails From(Brand brand) => new(
        brand.Id,
        brand.Name,
        brand.Voice,
        brand.Tone,
        brand.Palette.ToList(),
        brand.Fonts,
        brand.LogoAssetId,
        brand.BannedWords.ToList(),
        brand.Glossary.ToList(),
        brand.CreatedAt,
        brand.UpdatedAt);
}
