using NetVips;

namespace CommerceOS.Engines.Imaging;

/// <summary>The free-plan watermark: a diagonal, tiled, translucent "CommerceOS" over the whole image, so cropping cannot remove it.</summary>
public static class Watermark
{
    public const string Text = "CommerceOS · Free";

    /// <summary>Opacity of the mark; visible on white and on dark backgrounds because it is mid-grey.</summary>
    public const double Opacity = 0.28;

    public static Image Apply(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = new VipsScope();
        var fontPx = Math.Max(14, Math.Min(image.Width, image.Height) / 14);
        var text = scope.Add(Image.Text(Text, font: $"Noto Sans Bold {fontPx}px", dpi: 72));
        var rotated = scope.Add(text.Rotate(-30, background: [0]));
        var gap = fontPx * 3;
        var tile = scope.Add(rotated.Embed(gap / 2, gap / 2, rotated.Width + gap, rotated.Height + gap, extend: Enums.Extend.Black));
        var across = (image.Width / tile.Width) + 2;
        var down = (image.Height / tile.Height) + 2;
        var mask = scope.Add(tile.Replicate(across, down).ExtractArea(tile.Width / 3, tile.Height / 3, image.Width, image.Height));
        var alpha = scope.Add((mask * Opacity).Cast(Enums.BandFormat.Uchar));
        var ink = scope.Add(Image.Black(image.Width, image.Height, bands: 3).NewFromImage(96, 96, 96).Cast(Enums.BandFormat.Uchar));
        var overlay = scope.Add(ink.Bandjoin(alpha).Copy(interpretation: Enums.Interpretation.Srgb));
        var basis = image.Interpretation == Enums.Interpretation.Srgb ? image : scope.Add(image.Copy(interpretation: Enums.Interpretation.Srgb));
        var composed = basis.Composite2(overlay, Enums.BlendMode.Over);
        using (composed)
        {
            return (basis.HasAlpha() ? composed : composed.ExtractBand(0, n: 3)).Cast(Enums.BandFormat.Uchar);
        }
    }
}
