using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Brands;

/// <summary>
/// The brand form as posted: plain strings, blank palette slots and glossary rows included. It only
/// turns form fields into a <see cref="BrandInput"/>; every rule is checked by the Core use cases.
/// </summary>
public sealed class BrandForm
{
    public const int GlossaryBlankRows = 3;

    public string? Name { get; set; }

    public string? Voice { get; set; }

    public string? Tone { get; set; }

    public List<string?> Palette { get; set; } = [];

    public string? HeadingFont { get; set; }

    public string? BodyFont { get; set; }

    /// <summary>One banned word or phrase per line.</summary>
    public string? BannedWords { get; set; }

    public List<GlossaryRow> Glossary { get; set; } = [];

    public static BrandForm From(BrandDetails brand) => new()
    {
        Name = brand.Name,
        Voice = brand.Voice,
        Tone = brand.Tone,
        Palette = [.. brand.Palette],
        HeadingFont = brand.Fonts.Heading,
        BodyFont = brand.Fonts.Body,
        BannedWords = string.Join('\n', brand.BannedWords),
        Glossary = [.. brand.Glossary.Select(g => new GlossaryRow { Source = g.Source, Target = g.Target, Language = g.Language })],
    };

    /// <summary>
    /// Drops blank palette slots and blank glossary rows (the form always offers empty ones) and
    /// keeps the rest in order, so Core's <c>palette[i]</c> and <c>glossary[i]</c> errors point at
    /// the i-th entry that <see cref="Compact"/> leaves on the form.
    /// </summary>
    public BrandInput ToInput(Guid? logoAssetId) => new(
        Name,
        Voice,
        Tone,
        [.. Palette.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!)],
        new BrandFonts(
            string.IsNullOrWhiteSpace(HeadingFont) ? BrandFontFamilies.Default : HeadingFont,
            string.IsNullOrWhiteSpace(BodyFont) ? BrandFontFamilies.Default : BodyFont),
        logoAssetId,
        (BannedWords ?? "").Split('\n'),
        [.. Glossary.Where(g => !g.IsBlank).Select(g => new GlossaryTerm(g.Source ?? "", g.Target ?? "", g.Language ?? ""))]);

    /// <summary>The form as re-shown after a failed save: entries as <see cref="ToInput"/> saw them.</summary>
    public void Compact()
    {
        Palette = [.. Palette.Where(c => !string.IsNullOrWhiteSpace(c))];
        Glossary = [.. Glossary.Where(g => !g.IsBlank)];
    }

    /// <summary>Exactly <see cref="BrandValidator.MaxPaletteColors"/> slots (more when too many were posted, so none is lost).</summary>
    public IReadOnlyList<string> PaletteSlots() =>
        [.. Palette.Select(c => c ?? ""), .. Enumerable.Repeat("", Math.Max(0, BrandValidator.MaxPaletteColors - Palette.Count))];

    /// <summary>The filled rows, then a few empty ones to add terms without JavaScript.</summary>
    public IReadOnlyList<GlossaryRow> GlossaryRows() =>
        [.. Glossary, .. Enumerable.Range(0, GlossaryBlankRows).Select(_ => new GlossaryRow())];

    /// <summary>The offered fonts, plus <paramref name="current"/> when the brand uses another one (set through the API).</summary>
    public static IReadOnlyList<string> FontChoices(string? current) =>
        string.IsNullOrWhiteSpace(current) || BrandFontFamilies.All.Contains(current, StringComparer.Ordinal)
            ? BrandFontFamilies.All
            : [.. BrandFontFamilies.All, current];
}

public sealed class GlossaryRow
{
    public string? Source { get; set; }

    public string? Target { get; set; }

    public string? Language { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Source) && string.IsNullOrWhiteSpace(Target) && string.IsNullOrWhiteSpace(Language);
}

/// <summary>Core field errors, localized and grouped by field path (<c>name</c>, <c>palette[2]</c>, <c>glossary[0].target</c>).</summary>
public sealed class FormErrors
{
    private readonly List<(string Field, string Message)> _errors = [];

    public bool Any => _errors.Count > 0;

    public IEnumerable<string> All => _errors.Select(e => e.Message);

    public void Add(IEnumerable<FieldError> errors, IStringLocalizer localizer)
    {
        foreach (var error in errors)
        {
            Add(error.Field, localizer[error.Code, [.. error.Args]].Value);
        }
    }

    public void Add(string field, string message) => _errors.Add((field, message));

    /// <summary>Errors of <paramref name="field"/> itself and of its items (<c>palette</c> matches <c>palette[3]</c>).</summary>
    public IEnumerable<string> For(string field) => _errors
        .Where(e => e.Field == field || e.Field.StartsWith(field + "[", StringComparison.Ordinal) || e.Field.StartsWith(field + ".", StringComparison.Ordinal))
        .Select(e => e.Message);

    public bool Has(string field) => For(field).Any();
}
