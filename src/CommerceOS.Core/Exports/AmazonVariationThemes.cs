namespace CommerceOS.Core.Exports;

/// <summary>How a product's options become an Amazon variation family.</summary>
/// <param name="Theme">The <c>variation_theme</c> name (<c>SIZE/COLOR</c>); null when some option fits no theme attribute.</param>
/// <param name="Attributes">Option name → the attribute that carries its value on each child (<c>Colour</c> → <c>color</c>).</param>
/// <param name="Unmapped">The options that fit no theme attribute (or a second option for one already taken).</param>
public sealed record AmazonVariation(string? Theme, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> Unmapped);

/// <summary>
/// The option names (English and Chinese, as sellers and imports spell them) that Amazon variation themes are made of,
/// shared by the offline export and the publishing adapter so both build the same family.
/// </summary>
// UNCONFIRMED: external-apis.md lists no variation attributes. Theme and attribute names follow Amazon's public
// product-type schemas (variation_theme enum values such as SIZE/COLOR; color, size, style, material, pattern);
// whether a product type accepts a theme is its schema's call, which the publish step's issues report.
public static class AmazonVariationThemes
{
    /// <summary>In the order a composite theme names its parts (Amazon writes SIZE/COLOR, not COLOR/SIZE).</summary>
    private static readonly (string Part, string Attribute, string[] Names)[] Table =
    [
        ("SIZE", "size", ["Size", "尺码", "尺寸"]),
        ("COLOR", "color", ["Color", "Colour", "颜色", "颜色分类"]),
        ("STYLE", "style", ["Style", "款式"]),
        ("MATERIAL", "material", ["Material", "材质"]),
        ("PATTERN", "pattern", ["Pattern", "图案"]),
    ];

    /// <summary>The theme of these options; with any unmapped, or none at all, no theme.</summary>
    public static AmazonVariation Resolve(IReadOnlyList<string> optionNames)
    {
        ArgumentNullException.ThrowIfNull(optionNames);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = new List<int>();
        var unmapped = new List<string>();
        foreach (var option in optionNames)
        {
            var row = Array.FindIndex(Table, t => t.Names.Any(n => string.Equals(n, option.Trim(), StringComparison.OrdinalIgnoreCase)));
            if (row < 0 || parts.Contains(row))
            {
                unmapped.Add(option);
                continue;
            }

            parts.Add(row);
            attributes[option] = Table[row].Attribute;
        }

        var theme = unmapped.Count == 0 && parts.Count > 0 ? string.Join('/', parts.Order().Select(p => Table[p].Part)) : null;
        return new AmazonVariation(theme, attributes, unmapped);
    }
}
