using System.Text;
using CommerceOS.Core.Catalog;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>
/// Turns a brand font (<see cref="BrandFontFamilies"/>) into a Pango family list of installed fonts.
/// </summary>
/// <remarks>
/// fontconfig sorts the fonts of a family list in the listed order and skips families that are not
/// installed, so a stack "Inter, Liberation Sans, Noto Sans CJK SC" renders Inter where it is
/// installed and Liberation Sans where not (the deployment ships Noto CJK, DejaVu and Liberation).
/// Every stack ends with a Simplified Chinese CJK face, so Pango picks it for any character the Latin
/// face lacks: without it fontconfig may pick the Japanese variant of a Han glyph, or none at all.
/// </remarks>
public static class FontStacks
{
    public const string CjkSans = "Noto Sans CJK SC";
    public const string CjkSerif = "Noto Serif CJK SC";

    private static readonly Dictionary<string, string[]> Stacks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Noto Sans"] = ["Noto Sans", CjkSans],
        ["Noto Serif"] = ["Noto Serif", CjkSerif, CjkSans],
        [CjkSans] = [CjkSans],
        [CjkSerif] = [CjkSerif, CjkSans],
        // Geometric and neo-grotesque sans faces fall back to the closest installed Latin sans.
        ["DM Sans"] = ["DM Sans", "Liberation Sans", CjkSans],
        ["Inter"] = ["Inter", "Liberation Sans", CjkSans],
        ["Liberation Sans"] = ["Liberation Sans", CjkSans],
        ["Liberation Serif"] = ["Liberation Serif", CjkSerif, CjkSans],
        ["DejaVu Sans"] = ["DejaVu Sans", CjkSans],
    };

    /// <summary>The Pango family list ("Inter, Liberation Sans, Noto Sans CJK SC") for a brand font name.</summary>
    public static string For(string? brandFont)
    {
        var name = Sanitize(brandFont);
        if (name.Length == 0)
        {
            name = BrandFontFamilies.Default;
        }

        if (Stacks.TryGetValue(name, out var known))
        {
            return string.Join(", ", known);
        }

        // A family named through the API: try it, then the CJK face matching its style.
        var serif = name.Contains("Serif", StringComparison.OrdinalIgnoreCase) || name.Contains("Song", StringComparison.OrdinalIgnoreCase);
        return serif ? $"{name}, {CjkSerif}, {CjkSans}" : $"{name}, {CjkSans}";
    }

    /// <summary>True when <paramref name="text"/> has Han, kana, Hangul or CJK punctuation (and so needs the CJK face and line breaking).</summary>
    public static bool HasCjk(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (v is (>= 0x2E80 and <= 0x9FFF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0xF900 and <= 0xFAFF)
                or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFFEF) or (>= 0x20000 and <= 0x3134F))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Keeps letters, digits, spaces and hyphens: the name goes into a Pango font description, where a comma
    /// would start another family and a trailing word like "Bold" or "48px" would change the style or size.
    /// </summary>
    private static string Sanitize(string? font)
    {
        if (string.IsNullOrWhiteSpace(font))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(font.Length);
        foreach (var c in font.Trim())
        {
            if (char.IsLetterOrDigit(c) || c is ' ' or '-')
            {
                builder.Append(c);
            }
        }

        var name = string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return name.Length > 64 ? name[..64] : name;
    }
}
