using System.Globalization;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Core.Exports;

/// <summary>A reason a marketplace may refuse a file: a resource key and its format arguments.</summary>
public sealed record KitFlag(string Code, IReadOnlyList<string> Args);

/// <summary>
/// Whether an image is at a size and in a format the marketplace accepts. The measures are the marketplace's own
/// error-severity image rules (<c>marketplaces.json</c>, transcribed from marketplace-rules.md); background and fill need
/// the pixels and are the compliance checker's, already stored with each main image. Nothing is resized: the seller sees
/// the flag and regenerates at the right size.
/// </summary>
public static class KitChecks
{
    public static IReadOnlyList<KitFlag> Image(MarketplaceProfile profile, int width, int height, long bytes, string contentType, ImageTemplate? template = null)
    {
        var flags = new List<KitFlag>();
        if (template is not null)
        {
            if (width != template.Width || height != template.Height)
            {
                flags.Add(new KitFlag(KitFlags.TemplateSize, [Size(width, height), Size(template.Width, template.Height)]));
            }

            return flags;
        }

        var shortSide = Math.Min(width, height);
        var longSide = Math.Max(width, height);
        var aspect = height > 0 ? (double)width / height : 0;
        var format = FormatOf(contentType);
        foreach (var rule in profile.MainImageRules.Where(r => r.Severity == RuleSeverity.Error))
        {
            var limit = rule.Kind switch
            {
                RuleKinds.MinSide when shortSide < rule.Min => Num(rule.Min),
                RuleKinds.MinLongSide when longSide < rule.Min => Num(rule.Min),
                RuleKinds.MaxSide when longSide > rule.Max => Num(rule.Max),
                RuleKinds.FileSize when bytes > rule.Max => Num(rule.Max),
                RuleKinds.Aspect when aspect < rule.Min - MarketplaceCatalog.AspectTolerance || aspect > rule.Max + MarketplaceCatalog.AspectTolerance =>
                    $"{Num(rule.Min)}-{Num(rule.Max)}",
                RuleKinds.Format when format is not null && !rule.Allowed!.Contains(format, StringComparer.Ordinal) => string.Join(", ", rule.Allowed!),
                _ => null,
            };
            if (limit is not null && flags.TrueForAll(f => f.Code != KitFlags.RulePrefix + rule.Kind))
            {
                flags.Add(new KitFlag(KitFlags.RulePrefix + rule.Kind, [limit]));
            }
        }

        return flags;
    }

    /// <summary>The rule vocabulary's format name ("jpeg", "png"...) for a content type; null when unknown.</summary>
    public static string? FormatOf(string contentType) => contentType.ToLowerInvariant() switch
    {
        "image/jpeg" => "jpeg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/tiff" => "tiff",
        "image/bmp" => "bmp",
        _ => null,
    };

    private static string Size(int width, int height) => string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");

    private static string Num(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-";
}
