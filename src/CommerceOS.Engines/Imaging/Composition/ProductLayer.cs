using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>An RGBA layer (straight alpha, uchar sRGB) and where its top-left corner goes on the canvas.</summary>
internal readonly record struct Layer(Image Image, int X, int Y);

/// <summary>The cut-out scaled for a canvas: the RGBA pixels and the opaque content's box inside them.</summary>
internal sealed record ScaledProduct(Image Rgba, PixelBox Content)
{
    public Image Alpha(VipsScope s) => s.Add(Rgba[3]);
}

/// <summary>
/// Everything done to the product layer: measuring, scaling, shadows, reflection, grade and light wrap.
/// The product's own pixels are only ever resampled and, in scenes, multiplied by a bounded per-channel gain.
/// </summary>
internal static class ProductLayer
{
    /// <summary>Alpha above this counts as product when measuring its box: faint soft-edge pixels do not move the fill.</summary>
    public const double AlphaThreshold = 12;

    /// <summary>Transparent margin added before resampling so the kernel never clips the soft edge at the cut-out's border.</summary>
    private const int Pad = 4;

    public static Image Load(VipsScope s, RgbaImage cutout) => s.Add(RgbaInterop.ToVips(cutout));

    /// <summary>The box of alpha above <see cref="AlphaThreshold"/>; throws for a fully transparent cut-out.</summary>
    public static PixelBox ContentBox(VipsScope s, Image rgba)
    {
        var alpha = s.Add(rgba[3]);
        var (left, top, width, height) = alpha.Trim(AlphaThreshold, [0]);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException("The cut-out has no opaque pixels.", nameof(rgba));
        }

        return new PixelBox(left, top, width, height);
    }

    /// <summary>
    /// Resamples the cut-out (cropped to its content plus a transparent pad) by <paramref name="scale"/>.
    /// Premultiplied, because resampling straight alpha pulls the colour of invisible pixels (often
    /// black) into the edge: that is the grey halo marketplaces reject. The premultiplied layer is rounded to
    /// 8 bits before resampling: libvips' 8-bit resize paths are several times faster than its float ones, and
    /// the uchar result clips the kernel's ringing below 0 and above 255 by itself; a colour that overshoots its
    /// alpha unpremultiplies above 255 and the final cast clips it. The cost is at most one level of colour
    /// in pixels that are mostly transparent.
    /// </summary>
    public static ScaledProduct Scale(VipsScope s, Image rgba, PixelBox content, double scale)
    {
        var cropped = s.Add(rgba.ExtractArea(content.X, content.Y, content.Width, content.Height));
        var padded = s.Add(cropped.Embed(Pad, Pad, content.Width + (2 * Pad), content.Height + (2 * Pad), extend: Enums.Extend.Black));
        var premultiplied = Paint.ToUchar(s, s.Add(padded.Premultiply()));
        var resized = Math.Abs(scale - 1.0) < 1e-9
            ? premultiplied
            : s.Add(premultiplied.Resize(scale, kernel: scale < 1 ? Enums.Kernel.Lanczos3 : Enums.Kernel.Mitchell));
        var straight = Paint.ToUchar(s, s.Add(resized.Unpremultiply(maxAlpha: 255)));
        // Materialise once: the box measurement and every later use read the same pixels.
        var memory = s.Add(straight.CopyMemory());
        var rgbaOut = s.Add(memory.Copy(interpretation: Enums.Interpretation.Srgb));
        return new ScaledProduct(rgbaOut, ContentBox(s, rgbaOut));
    }

    /// <summary>Left and right of the product's footprint: alpha in the bottom few percent of its content rows.</summary>
    public static (int Left, int Right) Footprint(VipsScope s, ScaledProduct product)
    {
        var c = product.Content;
        var rows = Math.Max(2, (int)Math.Round(c.Height * 0.06));
        var strip = s.Add(product.Rgba.ExtractArea(c.X, c.Bottom - rows, c.Width, rows));
        var alpha = s.Add(strip[3]);
        var (left, _, width, _) = alpha.Trim(AlphaThreshold, [0]);
        return width <= 0 ? (c.X, c.Right) : (c.X + left, c.X + left + width);
    }

    /// <summary>
    /// Main-image contact shadow: an ellipse under the base, kept strictly inside the product's own box
    /// (its lower footprint), so the border stays pure white and the measured fill does not change.
    /// </summary>
    public static Layer ContainedShadow(VipsScope s, ScaledProduct product, int x, int y)
    {
        var c = product.Content;
        var (left, right) = Footprint(s, product);
        var footprint = Math.Max(4, right - left);
        var ry = Math.Max(3.0, c.Height * 0.045);
        var rx = Math.Min(footprint * 0.55, (c.Width / 2.0) - 2);
        var cx = ((left + right) / 2.0) - c.X;
        var blur = ry * 0.45;
        var ellipse = Paint.Ellipse(s, c.Width, c.Height, cx, c.Height - ry - 1, rx - blur, ry - blur, feather: 1.5);
        var soft = Paint.Blur(s, ellipse, blur);
        // The blur leaks a faint tail past the box edge; clamp it to zero on the last row and column.
        var inside = Paint.Rect(s, c.Width, c.Height, 1, 1, c.Width - 1, c.Height - 1, feather: 1);
        var mask = s.Add(soft * inside);
        return new Layer(ShadowRgba(s, mask, 0.32, new Rgb(40, 40, 40)), x + c.X, y + c.Y);
    }

    /// <summary>Soft contact shadow on a floor: a dark core at the contact line inside a wider penumbra, nudged away from the light.</summary>
    public static Layer ContactShadow(VipsScope s, ScaledProduct product, int x, int y, double lightX, double strength, Rgb tint)
    {
        var c = product.Content;
        var (left, right) = Footprint(s, product);
        var footprint = Math.Max(4.0, right - left);
        var rx = (footprint * 0.58) + 2;
        var ry = Math.Max(3.0, (footprint * 0.07) + (c.Height * 0.012));
        var margin = (int)Math.Ceiling((ry * 3) + 4);
        var width = (int)Math.Ceiling((rx * 2) + (2 * margin));
        var height = (int)Math.Ceiling((ry * 2) + (2 * margin));
        var cx = width / 2.0;
        var cy = height / 2.0;
        var core = Paint.Blur(s, Paint.Ellipse(s, width, height, cx, cy, rx * 0.92, ry * 0.45, 1.5), ry * 0.22);
        var penumbra = Paint.Blur(s, Paint.Ellipse(s, width, height, cx, cy, rx * 1.05, ry), ry * 0.9);
        var coreA = s.Add(core * 0.62);
        var softA = s.Add(penumbra * 0.34);
        var invCore = s.Add(coreA.Linear(-1.0, 1.0));
        var both = s.Add(coreA + s.Add(softA * invCore));
        var shift = -lightX * 0.12 * footprint;
        var originX = x + ((left + right) / 2.0) + shift - cx;
        var originY = y + c.Bottom - cy - (ry * 0.15);
        return new Layer(ShadowRgba(s, both, strength, tint), (int)Math.Round(originX), (int)Math.Round(originY));
    }

    /// <summary>
    /// The silhouette projected on the floor, away from the light: squashed to a quarter of the height,
    /// sheared sideways, darker and sharper near the base, fading with distance.
    /// </summary>
    public static Layer? CastShadow(VipsScope s, ScaledProduct product, int x, int y, double lightX, double strength, Rgb tint)
    {
        if (Math.Abs(lightX) < 0.08 || strength <= 0)
        {
            return null;
        }

        var c = product.Content;
        var silhouette = s.Add(s.Add(product.Rgba.ExtractArea(c.X, c.Y, c.Width, c.Height))[3]);
        var squashH = Math.Max(4, (int)Math.Round(c.Height * 0.26));
        var squashed = s.Add(silhouette.Resize(1.0, vscale: squashH / (double)c.Height, kernel: Enums.Kernel.Linear));
        var hs = squashed.Height;
        var k = -Math.Clamp(lightX, -1, 1) * 1.7;
        var ox = Math.Max(0.0, -k * hs);
        var outW = (int)Math.Ceiling(c.Width + (Math.Abs(k) * hs) + 2);
        var xy = s.Add(Image.Xyz(outW, hs));
        var xs = s.Add(xy[0]);
        var ys = s.Add(xy[1]);
        // Output (X, Y) samples the squashed silhouette at x = X - ox - k (hs - Y): the base row stays put, the top leans away from the light.
        var sx = s.Add(s.Add(xs + s.Add(ys * k)) - (ox + (k * hs)));
        var map = s.Add(sx.Bandjoin(ys));
        // libvips holds its own reference to the interpolator once the operation is built.
        using var bilinear = Interpolate.NewFromName("bilinear");
        var sheared = s.Add(squashed.Mapim(map, interpolate: bilinear));
        var norm = s.Add(sheared * (1.0 / 255));
        var ramp = Paint.RampY(s, outW, hs);
        var fade = s.Add(s.Add(ramp.Pow(1.6)).Linear(0.85, 0.15));
        var faded = s.Add(norm * fade);
        var soft = Paint.Blur(s, faded, Math.Max(1.0, c.Height * 0.01));
        var opacity = strength * (0.25 + (0.35 * Math.Min(1.0, Math.Abs(lightX))));
        return new Layer(ShadowRgba(s, soft, opacity, tint), (int)Math.Round(x + c.X - ox), y + c.Bottom - hs);
    }

    /// <summary>A faded mirror image under the base, for glossy podiums and table tops.</summary>
    public static Layer Reflection(VipsScope s, ScaledProduct product, int x, int y, double opacity, double length = 0.35)
    {
        var c = product.Content;
        var body = s.Add(product.Rgba.ExtractArea(c.X, c.Y, c.Width, c.Height));
        var flipped = s.Add(body.Flip(Enums.Direction.Vertical));
        var rgb = s.Add(flipped.ExtractBand(0, n: 3));
        var alpha = s.Add(flipped[3]);
        var ramp = Paint.RampY(s, c.Width, c.Height);
        var fade = Paint.Clamp01(s, s.Add(ramp.Linear(-1.0 / length, 1.0)));
        var fade2 = s.Add(fade * fade);
        var a = s.Add(s.Add(alpha * fade2) * opacity);
        var rgba = s.Add(rgb.Bandjoin(a));
        return new Layer(Paint.ToUchar(s, rgba), x + c.X, y + c.Bottom);
    }

    /// <summary>Per-channel gain on the product's colour, alpha untouched: the bounded lighting match.</summary>
    public static Image Grade(VipsScope s, Image rgba, double[] gains)
    {
        var graded = s.Add(rgba.Linear([gains[0], gains[1], gains[2], 1.0], [0, 0, 0, 0]));
        return Paint.ToUchar(s, graded);
    }

    /// <summary>
    /// Light wrap: the blurred backdrop bleeds a little into the outermost product pixels, as real light
    /// does around an object's silhouette. Only pixels within a few pixels of the edge change.
    /// </summary>
    public static Image LightWrap(VipsScope s, Image rgba, Image backdrop, int x, int y, double strength)
    {
        var width = rgba.Width;
        var height = rgba.Height;
        var radius = Math.Clamp(Math.Min(width, height) * 0.008, 1.0, 6.0);
        var alpha = s.Add(s.Add(rgba[3]) * (1.0 / 255));
        var inner = Paint.Blur(s, alpha, radius);
        var edge = s.Add(alpha * s.Add(inner.Linear(-1.0, 1.0)));
        var wrap = Paint.Clamp01(s, s.Add(edge * (2.0 * strength)));
        var behind = s.Add(backdrop.Embed(-x, -y, width, height, extend: Enums.Extend.Copy));
        var glow = Paint.Blur(s, behind, radius * 2.5);
        var rgb = s.Add(rgba.ExtractBand(0, n: 3));
        var mixed = Paint.Mix(s, rgb, glow, wrap);
        var joined = s.Add(mixed.Bandjoin(s.Add(rgba[3])));
        return Paint.ToUchar(s, joined);
    }

    /// <summary>A shadow layer: tint colour with coverage <paramref name="mask"/> (0..1) times <paramref name="opacity"/>.</summary>
    public static Image ShadowRgba(VipsScope s, Image mask, double opacity, Rgb tint)
    {
        var colour = Paint.Solid(s, mask.Width, mask.Height, tint);
        var alpha = s.Add(Paint.Clamp01(s, mask) * (255.0 * opacity));
        return Paint.ToUchar(s, s.Add(colour.Bandjoin(alpha)));
    }

    /// <summary>
    /// Composites layers in order over an opaque 8-bit canvas in one libvips operation (it premultiplies
    /// straight alpha itself), so the full-size frame is written once rather than once per layer.
    /// </summary>
    public static Image Compose(VipsScope s, Image canvas, IEnumerable<Layer> layers)
    {
        var list = layers.ToList();
        if (list.Count == 0)
        {
            return canvas;
        }

        var composed = s.Add(canvas.Composite(
            list.Select(l => l.Image).ToArray(),
            Enumerable.Repeat(Enums.BlendMode.Over, list.Count).ToArray(),
            x: list.Select(l => l.X).ToArray(),
            y: list.Select(l => l.Y).ToArray()));
        return Paint.ToUchar(s, s.Add(composed.ExtractBand(0, n: 3)));
    }
}
