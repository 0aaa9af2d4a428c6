using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>
/// Infographics and size charts on libvips: shapes from one SVG layer, text from Pango (brand font
/// stacks with a Simplified Chinese fallback), the product cut-out with a soft shadow, all composited
/// in one pass and finished by <see cref="ImageOutput.Encode"/> (watermark, provenance XMP).
/// </summary>
public sealed class LocalGraphicsRenderer : IGraphicsRenderer
{
    public const int MinSide = 64;
    public const int MaxSide = 8000;

    public EncodedImage Infographic(RgbaImage cutout, InfographicRequest request, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(cutout);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        CheckSize(request.Width, request.Height);
        using var scope = new VipsScope();
        using var image = RenderInfographic(cutout, request, scope);
        return ImageOutput.Encode(image, output);
    }

    public EncodedImage SizeChart(SizeChartRequest request, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        CheckSize(request.Width, request.Height);
        using var scope = new VipsScope();
        using var image = SizeChartRenderer.Render(request, scope);
        return ImageOutput.Encode(image, output);
    }

    private static Image RenderInfographic(RgbaImage cutout, InfographicRequest request, VipsScope scope)
    {
        var palette = GraphicsPalette.From(request.Style);
        var callouts = request.Callouts.Where(c => !GraphicsText.IsBlank(c)).Take(InfographicGeometry.MaxCallouts).Select(c => c.Trim()).ToList();
        var plan = InfographicGeometry.Plan(request.Layout, request.Width, request.Height, callouts.Count);
        var s = Math.Min(request.Width, request.Height);
        var heading = FontStacks.For(request.Style.HeadingFont);
        var body = FontStacks.For(request.Style.BodyFont);

        var layers = new List<(Image Image, int X, int Y)>();
        using var product = PlacedProduct.Place(cutout, plan.Product, palette.Primary.Mix(Rgb.Black, 0.8));
        layers.Add((product.Shadow, product.ShadowX, product.ShadowY));
        layers.Add((product.Product, product.Drawn.X, product.Drawn.Y));

        var svg = new SvgLayer(request.Width, request.Height).Rect(0, 0, request.Width, request.Height, palette.Background);
        var radius = Math.Max(2, s * 0.018);
        foreach (var slot in plan.Callouts)
        {
            if (slot.Card is { } card)
            {
                // A faint offset copy reads as elevation without an expensive blur filter.
                svg.Rect(card.X, card.Y + Math.Max(1, s * 0.003), card.Width, card.Height, palette.Primary.Mix(Rgb.Black, 0.6), radius, 0.10)
                    .Rect(card.X, card.Y, card.Width, card.Height, palette.Surface, radius)
                    .StrokeRect(card.X + 0.5, card.Y + 0.5, card.Width - 1, card.Height - 1, palette.Border, Math.Max(1, s * 0.0015), radius);
            }
        }

        for (var i = 0; i < plan.Callouts.Count; i++)
        {
            var badge = plan.Callouts[i].Badge;
            var (cx, cy, r) = (badge.X + (badge.Width / 2.0), badge.Y + (badge.Height / 2.0), badge.Width / 2.0);
            if (request.Layout == InfographicLayout.Radial)
            {
                // Drawn under the product, so the line meets the silhouette and a small overshoot stays hidden.
                var (hx, hy) = product.Silhouette(cx, cy);
                var (dx, dy) = (hx - cx, hy - cy);
                var length = Math.Max(1, Math.Sqrt((dx * dx) + (dy * dy)));
                var overshoot = Math.Min(4, length);
                svg.Line(cx, cy, hx + (dx / length * overshoot), hy + (dy / length * overshoot), palette.Accent, Math.Max(1.5, s * 0.003));
                svg.Circle(hx, hy, Math.Max(2.5, s * 0.005), palette.Accent);
            }

            svg.Circle(cx, cy, r, palette.Accent);
            if (request.Layout == InfographicLayout.Grid)
            {
                svg.Check(cx, cy, r, palette.OnAccent);
            }
        }

        var canvas = scope.Add(svg.Render());
        var title = Title(request.Title, plan, heading, palette, request.Language, s);
        if (title is not null)
        {
            scope.Add(title.Image);
            layers.Add((title.Image, Place(plan.Title, title.Width, plan.TitleAlign), Centre(plan.Title.Y, plan.Title.Height, title.Height)));
        }

        AddCallouts(callouts, plan, body, palette, request.Language, s, layers, scope);
        if (request.Layout != InfographicLayout.Grid)
        {
            AddBadgeNumbers(plan, heading, palette, request.Language, layers, scope);
        }

        return Compose(canvas, layers, scope);
    }

    private static FittedText? Title(string text, InfographicPlan plan, string families, GraphicsPalette palette, string language, int s)
    {
        var style = new TextStyle(families, Bold: true, palette.Title, plan.TitleAlign, language);
        var maxPx = Math.Max(8, (int)Math.Min(plan.Title.Height * 0.62, s * 0.065));
        var minPx = Math.Max(8, (int)(plan.Title.Height * 0.2));
        return GraphicsText.Fit(text, style, plan.Title.Width, plan.Title.Height, maxPx, minPx);
    }

    private static void AddCallouts(List<string> callouts, InfographicPlan plan, string families, GraphicsPalette palette, string language, int s, List<(Image, int, int)> layers, VipsScope scope)
    {
        if (plan.Callouts.Count == 0)
        {
            return;
        }

        var box = plan.Callouts[0].Text;
        var style = new TextStyle(families, Bold: false, palette.Text, Enums.Align.Low, language);
        var maxPx = Math.Max(8, (int)Math.Min(s * 0.04, box.Height * 0.5));
        var minPx = Math.Max(8, Math.Min(maxPx, (int)Math.Round(s * 0.012)));
        var size = GraphicsText.CommonSize(callouts, style, box.Width, box.Height, maxPx, minPx);
        for (var i = 0; i < plan.Callouts.Count; i++)
        {
            var slot = plan.Callouts[i];
            var fitted = GraphicsText.Fit(callouts[i], style with { Align = slot.Align }, slot.Text.Width, slot.Text.Height, size, minPx);
            if (fitted is not null)
            {
                scope.Add(fitted.Image);
                layers.Add((fitted.Image, Place(slot.Text, fitted.Width, slot.Align), Centre(slot.Text.Y, slot.Text.Height, fitted.Height)));
            }
        }
    }

    private static void AddBadgeNumbers(InfographicPlan plan, string families, GraphicsPalette palette, string language, List<(Image, int, int)> layers, VipsScope scope)
    {
        var style = new TextStyle(families, Bold: true, palette.OnAccent, Enums.Align.Centre, language);
        for (var i = 0; i < plan.Callouts.Count; i++)
        {
            var badge = plan.Callouts[i].Badge;
            var inner = Math.Max(1, (int)(badge.Width * 0.62));
            var number = GraphicsText.Fit((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), style, inner, inner, Math.Max(6, (int)(badge.Width * 0.52)), 6);
            if (number is not null)
            {
                scope.Add(number.Image);
                layers.Add((number.Image, badge.X + ((badge.Width - number.Width) / 2), badge.Y + ((badge.Height - number.Height) / 2)));
            }
        }
    }

    /// <summary>All layers over the canvas in one libvips composite, flattened to opaque RGB.</summary>
    internal static Image Compose(Image canvas, List<(Image Image, int X, int Y)> layers, VipsScope scope)
    {
        var composed = layers.Count == 0
            ? canvas
            : scope.Add(canvas.Composite(
                [.. layers.Select(l => l.Image)],
                [.. layers.Select(_ => Enums.BlendMode.Over)],
                [.. layers.Select(l => l.X)],
                [.. layers.Select(l => l.Y)]));
        var rgb = scope.Add(composed.ExtractBand(0, n: 3));
        return rgb.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    internal static int Place(PixelBox box, int width, Enums.Align align) => align switch
    {
        Enums.Align.Low => box.X,
        Enums.Align.Centre => box.X + ((box.Width - width) / 2),
        Enums.Align.High => box.Right - width,
        _ => box.X,
    };

    internal static int Centre(int y, int height, int content) => y + ((height - content) / 2);

    private static void CheckSize(int width, int height)
    {
        if (width is < MinSide or > MaxSide || height is < MinSide or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Graphics are {MinSide} to {MaxSide} pixels a side; got {width}x{height}.");
        }
    }
}
