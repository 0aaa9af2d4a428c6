using System.Globalization;
using System.Text;
using NetVips;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>
/// Anti-aliased shapes (cards, badges, check marks, leader lines) drawn as one SVG and rasterised by
/// libvips (librsvg): libvips' own draw operations are not anti-aliased. No user text ever goes into
/// the SVG; only numbers and colours produced here.
/// </summary>
public sealed class SvgLayer(int width, int height)
{
    private readonly StringBuilder _body = new();

    public int Width { get; } = width;

    public int Height { get; } = height;

    public SvgLayer Rect(double x, double y, double w, double h, Rgb fill, double radius = 0, double opacity = 1)
    {
        Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" rx=\"{N(radius)}\" fill=\"{fill.Hex}\" fill-opacity=\"{N(opacity)}\"/>");
        return this;
    }

    public SvgLayer StrokeRect(double x, double y, double w, double h, Rgb stroke, double strokeWidth, double radius = 0)
    {
        Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" rx=\"{N(radius)}\" fill=\"none\" stroke=\"{stroke.Hex}\" stroke-width=\"{N(strokeWidth)}\"/>");
        return this;
    }

    public SvgLayer Circle(double cx, double cy, double r, Rgb fill)
    {
        Append($"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill.Hex}\"/>");
        return this;
    }

    public SvgLayer Line(double x1, double y1, double x2, double y2, Rgb stroke, double strokeWidth)
    {
        Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke.Hex}\" stroke-width=\"{N(strokeWidth)}\" stroke-linecap=\"round\"/>");
        return this;
    }

    /// <summary>A check mark inside the circle at (<paramref name="cx"/>, <paramref name="cy"/>) of radius <paramref name="r"/>.</summary>
    public SvgLayer Check(double cx, double cy, double r, Rgb stroke)
    {
        var w = r * 0.16;
        Append($"<path d=\"M{N(cx - (r * 0.42))} {N(cy + (r * 0.02))} L{N(cx - (r * 0.12))} {N(cy + (r * 0.32))} L{N(cx + (r * 0.45))} {N(cy - (r * 0.30))}\" fill=\"none\" stroke=\"{stroke.Hex}\" stroke-width=\"{N(w)}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>");
        return this;
    }

    /// <summary>The layer as a 4-band uchar sRGB image of exactly <see cref="Width"/> x <see cref="Height"/>.</summary>
    public Image Render()
    {
        var svg = string.Create(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">{_body}</svg>");
        using var loaded = Image.SvgloadBuffer(Encoding.UTF8.GetBytes(svg), unlimited: false);
        return loaded.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private void Append(string element) => _body.Append(element);
}
