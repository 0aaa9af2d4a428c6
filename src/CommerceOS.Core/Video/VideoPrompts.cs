using System.Text;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;

namespace CommerceOS.Core.Video;

/// <summary>The prompt an AI video model gets: the seller's own prompt, or one written from the product and the template.</summary>
public static partial class VideoPrompts
{
    /// <summary>What product videos must not show (marketplace-rules.md §1.2: no competitor logos, URLs or reviews).</summary>
    public const string Negative = "text, watermark, logo, url, blur, distortion, extra objects, people's faces, low quality";

    public static string For(VideoJobInput input, Product product)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(product);
        if (!string.IsNullOrWhiteSpace(input.Prompt))
        {
            return input.Prompt.Trim();
        }

        var text = new StringBuilder();
        text.Append("Product video of ").Append(product.Title.Trim());
        if (!string.IsNullOrWhiteSpace(product.Category))
        {
            text.Append(" (").Append(product.Category.Trim()).Append(')');
        }

        text.Append(". ").Append(VideoTemplates.Find(input.Template) switch
        {
            VideoTemplate.Turntable => "The product turns slowly through 360 degrees on a clean turntable.",
            VideoTemplate.Ugc => "Handheld creator-style shot, natural light, the product shown in use.",
            VideoTemplate.BeforeAfter => "The product in use, showing the result it makes.",
            _ => "Slow, smooth camera move around the product, studio lighting, premium commercial look.",
        });
        var points = (input.Points ?? []).Take(3).ToList();
        if (points.Count > 0)
        {
            text.Append(" Show: ").Append(string.Join("; ", points)).Append('.');
        }

        text.Append(" Keep the product exactly as in the image.");
        return text.ToString();
    }

    public static bool IsHexColour(string? value) => value is not null && HexColour().IsMatch(value);

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColour();
}
