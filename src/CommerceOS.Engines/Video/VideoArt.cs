using System.Globalization;
using System.Text;
using CommerceOS.Core.Video;
using CommerceOS.Engines.Imaging.Graphics;
using NetVips;

namespace CommerceOS.Engines.Video;

/// <summary>A PNG of ours and its size in pixels.</summary>
public sealed record ArtFile(string Path, int Width, int Height);

/// <summary>
/// Draws every word a video shows (titles, hooks, selling points, labels, brand names) into PNGs with libvips and Pango,
/// so the seller's text reaches ffmpeg as pixels and never as filter syntax (issue 5: no user text interpreted by ffmpeg).
/// Chinese text is set in Noto Sans CJK SC, Latin in the default brand stack with the CJK face as fallback.
/// </summary>
public sealed class VideoArt(VideoFormat format, string language, string folder)
{
    private int _count;

    public VideoFormat Format { get; } = format;

    /// <summary>The Pango family list for the spec's language.</summary>
    public string Families { get; } = language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? FontStacks.CjkSans : FontStacks.For(null);

    /// <summary>
    /// <paramref name="text"/> wrapped and shrunk to fit <paramref name="boxWidth"/> x <paramref name="boxHeight"/> on a rounded panel
    /// of <paramref name="fill"/> (with <paramref name="bar"/> as a stripe on its left edge when given), in a colour readable on it.
    /// Null when the text is blank.
    /// </summary>
    public ArtFile? Panel(string? text, int boxWidth, int boxHeight, int maxPx, int minPx, Rgb fill, double opacity, Rgb? bar = null)
    {
        if (text is null || GraphicsText.IsBlank(text))
        {
            return null;
        }

        var ink = Rgb.Readable(Rgb.White, [fill]);
        var style = new TextStyle(Families, Bold: true, ink, Enums.Align.Centre, language);
        var pad = Math.Max(12, maxPx / 2);
        var barWidth = bar is null ? 0 : Math.Max(8, Format.Width / 90);
        using var fitted = GraphicsText.Fit(text, style, boxWidth - (2 * pad) - barWidth, boxHeight - (2 * pad), maxPx, minPx)!;
        var (w, h) = (fitted.Width + (2 * pad) + barWidth, fitted.Height + (2 * pad));
        var radius = Math.Min(pad, h / 2);
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\">"));
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{w}\" height=\"{h}\" rx=\"{radius}\" fill=\"{fill.Hex}\" fill-opacity=\"{opacity:0.###}\"/>");
        if (bar is { } stripe)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{barWidth + radius}\" height=\"{h}\" rx=\"{radius}\" fill=\"{stripe.Hex}\"/><rect x=\"{barWidth}\" width=\"{radius}\" height=\"{h}\" fill=\"{fill.Hex}\" fill-opacity=\"{opacity:0.###}\"/>");
        }

        svg.Append("</svg>");
        using var panel = Image.SvgloadBuffer(Encoding.UTF8.GetBytes(svg.ToString()));
        using var drawn = panel.Composite2(fitted.Image, Enums.BlendMode.Over, x: barWidth + pad, y: pad);
        return Save(drawn);
    }

    /// <summary>A full-frame card in <paramref name="background"/>: the logo, then a big line and a smaller one, centred.</summary>
    public ArtFile Card(Rgb background, string? logoPath, string? headline, string? subline)
    {
        var (w, h) = (Format.Width, Format.Height);
        var ink = Rgb.Readable(Rgb.White, [background]);
        using var blank = Image.Black(w, h, bands: 3);
        var card = blank.NewFromImage(background.Bands).Copy(interpretation: Enums.Interpretation.Srgb);
        var layers = new List<(Image Image, int Height)>();
        try
        {
            if (logoPath is not null)
            {
                var logo = Image.Thumbnail(logoPath, (int)(w * 0.45), height: (int)(h * 0.2), size: Enums.Size.Down);
                layers.Add((Rgba(logo), logo.Height));
            }

            var big = new TextStyle(Families, Bold: true, ink, Enums.Align.Centre, language);
            if (GraphicsText.Fit(headline ?? "", big, (int)(w * 0.84), (int)(h * 0.22), w / 8, w / 30) is { } title)
            {
                layers.Add((title.Image, title.Height));
            }

            var small = big with { Bold = false };
            if (GraphicsText.Fit(subline ?? "", small, (int)(w * 0.8), (int)(h * 0.16), w / 16, w / 40) is { } sub)
            {
                layers.Add((sub.Image, sub.Height));
            }

            var gap = h / 40;
            var total = layers.Sum(l => l.Height) + (gap * Math.Max(0, layers.Count - 1));
            var y = (h - total) / 2;
            foreach (var (image, height) in layers)
            {
                var next = card.Composite2(image, Enums.BlendMode.Over, x: (w - image.Width) / 2, y: y);
                card.Dispose();
                card = next;
                y += height + gap;
            }

            using var flat = card.Flatten(background: background.Bands);
            return Save(flat);
        }
        finally
        {
            card.Dispose();
            foreach (var (image, _) in layers)
            {
                image.Dispose();
            }
        }
    }

    private static Image Rgba(Image image)
    {
        using var srgb = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        image.Dispose();
        using var uchar = srgb.Cast(Enums.BandFormat.Uchar);
        return uchar.HasAlpha() ? uchar.Copy() : uchar.Bandjoin(255);
    }

    /// <summary>The visible label an AI-generated clip carries (GB 45438-2025 in China, EU AI Act Art. 50; marketplace-rules.md §9).</summary>
    public const string AiLabel = "AI 生成 · AI-generated";

    /// <summary>The free plan's tiled, translucent mark (the images' <see cref="Imaging.Watermark"/>) on a transparent frame.</summary>
    public ArtFile Watermark()
    {
        using var clear = Image.Black(Format.Width, Format.Height, bands: 4).Copy(interpretation: Enums.Interpretation.Srgb);
        using var marked = Imaging.Watermark.Apply(clear);
        return Save(marked);
    }

    /// <summary>
    /// What lies over a provider's whole clip: the <see cref="AiLabel"/> in the top-left corner on a dark translucent panel,
    /// and the free plan's mark when <paramref name="watermark"/>. A transparent frame-sized PNG.
    /// </summary>
    public ArtFile ClipOverlay(bool watermark)
    {
        var unit = Math.Min(Format.Width, Format.Height);
        var panel = Panel(AiLabel, unit / 2, unit / 10, unit / 28, unit / 48, Rgb.Parse("#111111"), 0.6)!;
        using var clear = Image.Black(Format.Width, Format.Height, bands: 4).Copy(interpretation: Enums.Interpretation.Srgb);
        using var basis = watermark ? Imaging.Watermark.Apply(clear) : clear.Copy();
        var margin = unit / 30;
        try
        {
            using var label = Image.NewFromFile(panel.Path);
            using var labelled = basis.Composite2(label, Enums.BlendMode.Over, x: margin, y: margin);
            return Save(labelled);
        }
        finally
        {
            // Read lazily by libvips: deleted only once the overlay is written.
            File.Delete(panel.Path);
        }
    }

    private ArtFile Save(Image image)
    {
        using var uchar = image.Cast(Enums.BandFormat.Uchar);
        var path = Path.Combine(folder, $"art-{_count++}.png");
        uchar.Pngsave(path, compression: 1);
        return new ArtFile(path, uchar.Width, uchar.Height);
    }
}
