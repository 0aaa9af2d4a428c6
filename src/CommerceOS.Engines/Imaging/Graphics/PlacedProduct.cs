using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>A cut-out trimmed to its visible pixels, scaled to fit an area, with a soft drop shadow that stays inside that area.</summary>
internal sealed class PlacedProduct : IDisposable
{
    private const double ShadowOpacity = 0.30;

    private readonly byte[] _alpha;

    private PlacedProduct(Image product, PixelBox drawn, Image shadow, int shadowX, int shadowY, byte[] alpha)
    {
        Product = product;
        Drawn = drawn;
        Shadow = shadow;
        ShadowX = shadowX;
        ShadowY = shadowY;
        _alpha = alpha;
    }

    /// <summary>Straight-alpha RGBA product at its final size.</summary>
    public Image Product { get; }

    /// <summary>Where <see cref="Product"/> goes on the canvas.</summary>
    public PixelBox Drawn { get; }

    public Image Shadow { get; }

    public int ShadowX { get; }

    public int ShadowY { get; }

    public static PlacedProduct Place(RgbaImage cutout, PixelBox area, Rgb shadowColour)
    {
        using var scope = new VipsScope();
        var source = scope.Add(RgbaInterop.ToVips(cutout));
        var alpha = scope.Add(source[3]);
        var trim = alpha.FindTrim(threshold: 8, background: [0]);
        var (left, top, trimWidth, trimHeight) = ((int)trim[0], (int)trim[1], (int)trim[2], (int)trim[3]);
        // A fully transparent cut-out trims to nothing: keep the frame (it draws nothing, but the layout stays).
        var visible = trimWidth > 0 && trimHeight > 0 ? scope.Add(source.ExtractArea(left, top, trimWidth, trimHeight)) : source;

        var sigma = Math.Max(1.5, 0.018 * Math.Min(area.Width, area.Height));
        var pad = (int)Math.Ceiling(3 * sigma);
        var drop = (int)Math.Round(sigma * 0.8);
        var innerWidth = Math.Max(1, area.Width - (2 * pad));
        var innerHeight = Math.Max(1, area.Height - (2 * pad) - drop);
        var scale = Math.Min((double)innerWidth / visible.Width, (double)innerHeight / visible.Height);
        var targetWidth = Math.Clamp((int)Math.Round(visible.Width * scale), 1, innerWidth);
        var targetHeight = Math.Clamp((int)Math.Round(visible.Height * scale), 1, innerHeight);

        // Premultiplied resampling: a straight-alpha resize bleeds the invisible background colour into the edge.
        var premultiplied = scope.Add(visible.Premultiply());
        var resized = scope.Add(premultiplied.Resize((double)targetWidth / visible.Width, vscale: (double)targetHeight / visible.Height, kernel: Enums.Kernel.Lanczos3));
        var straight = scope.Add(resized.Unpremultiply());
        var product = straight.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        var x = area.X + pad + ((innerWidth - product.Width) / 2);
        var y = area.Y + pad + ((innerHeight - product.Height) / 2);

        var productAlpha = scope.Add(product[3]);
        var padded = scope.Add(productAlpha.Embed(pad, pad, product.Width + (2 * pad), product.Height + (2 * pad)));
        var blurred = scope.Add(padded.Gaussblur(sigma));
        var faded = scope.Add((blurred * ShadowOpacity).Cast(Enums.BandFormat.Uchar));
        var colour = scope.Add(faded.NewFromImage(shadowColour.Bands).Cast(Enums.BandFormat.Uchar));
        var shadow = colour.Bandjoin(faded).Copy(interpretation: Enums.Interpretation.Srgb);
        return new PlacedProduct(product, new PixelBox(x, y, product.Width, product.Height), shadow, x - pad, y - pad + drop, productAlpha.WriteToMemory<byte>());
    }

    /// <summary>
    /// The first opaque product pixel on the way from <paramref name="fromX"/>,<paramref name="fromY"/> to the
    /// product's centre, so a leader line ends at the silhouette rather than at its bounding box.
    /// </summary>
    public (double X, double Y) Silhouette(double fromX, double fromY)
    {
        var cx = Drawn.X + (Drawn.Width / 2.0);
        var cy = Drawn.Y + (Drawn.Height / 2.0);
        var length = Math.Max(1, Math.Sqrt(((cx - fromX) * (cx - fromX)) + ((cy - fromY) * (cy - fromY))));
        for (var t = 0.0; t <= length; t += 1)
        {
            var px = fromX + ((cx - fromX) * t / length);
            var py = fromY + ((cy - fromY) * t / length);
            var ix = (int)px - Drawn.X;
            var iy = (int)py - Drawn.Y;
            if (ix >= 0 && iy >= 0 && ix < Drawn.Width && iy < Drawn.Height && _alpha[(iy * Drawn.Width) + ix] >= 128)
            {
                return (px, py);
            }
        }

        return (cx, cy);
    }

    public void Dispose()
    {
        Product.Dispose();
        Shadow.Dispose();
    }
}
