namespace CommerceOS.Core.Catalog;

/// <summary>
/// The font families the Brand Center offers for headings and body text: the ones the local
/// imaging engine can render (Latin and CJK). The single list for pages, API docs and engines.
/// </summary>
/// <remarks>
/// <see cref="BrandValidator"/> does not restrict fonts to this list: a brand created through the
/// API may name another family, and pages keep such a value instead of dropping it.
/// </remarks>
public static class BrandFontFamilies
{
    public const string Default = "Noto Sans";

    public static readonly IReadOnlyList<string> All =
    [
        "Noto Sans",
        "Noto Serif",
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "DM Sans",
        "Inter",
        "Liberation Sans",
        "Liberation Serif",
        "DejaVu Sans",
    ];
}
