using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>
/// Small drawing vocabulary over libvips, in float: colour images are 3-band 0..255, masks are 1-band 0..1.
/// Every result is registered in the caller's <see cref="VipsScope"/>, so a renderer disposes all of its
/// intermediates at once. libvips is lazy: these calls build a pipeline, the pixels are computed once, at encode.
/// </summary>
internal static class Paint
{
    /// <summary>A constant colour image.</summary>
    public static Image Solid(VipsScope s, int width, int height, Rgb colour)
    {
        var black = s.Add(Image.Black(width, height));
        return s.Add(black.Linear([0, 0, 0], colour.ToArray()));
    }

    /// <summary>A constant 1-band mask.</summary>
    public static Image Constant(VipsScope s, int width, int height, double value)
    {
        var black = s.Add(Image.Black(width, height));
        return s.Add(black.Linear(0, value));
    }

    /// <summary>0 at the top row, 1 at the bottom row.</summary>
    public static Image RampY(VipsScope s, int width, int height)
    {
        var xy = s.Add(Image.Xyz(width, height));
        var y = s.Add(xy[1]);
        return s.Add(y.Linear(1.0 / Math.Max(1, height - 1), 0.0));
    }

    /// <summary>0 at the left column, 1 at the right column.</summary>
    public static Image RampX(VipsScope s, int width, int height)
    {
        var xy = s.Add(Image.Xyz(width, height));
        var x = s.Add(xy[0]);
        return s.Add(x.Linear(1.0 / Math.Max(1, width - 1), 0.0));
    }

    /// <summary>Normalised elliptic distance from (cx, cy) with radii (rx, ry): 0 at the centre, 1 on the ellipse.</summary>
    public static Image Distance(VipsScope s, int width, int height, double cx, double cy, double rx, double ry)
    {
        var xy = s.Add(Image.Xyz(width, height));
        var x = s.Add(xy[0]);
        var y = s.Add(xy[1]);
        var dx = s.Add(x.Linear(1.0 / rx, -cx / rx));
        var dy = s.Add(y.Linear(1.0 / ry, -cy / ry));
        var dx2 = s.Add(dx * dx);
        var dy2 = s.Add(dy * dy);
        var sum = s.Add(dx2 + dy2);
        return s.Add(sum.Pow(0.5));
    }

    /// <summary>A filled ellipse as a mask with an anti-aliased edge <paramref name="feather"/> pixels wide.</summary>
    public static Image Ellipse(VipsScope s, int width, int height, double cx, double cy, double rx, double ry, double feather = 1.0)
    {
        var d = Distance(s, width, height, cx, cy, rx, ry);
        // 1 inside, falling to 0 across the edge; the distance is in radius units, so scale the feather by the radius.
        var k = Math.Max(rx, ry) / Math.Max(0.5, feather);
        var edge = s.Add(d.Linear(-k, k));
        return Clamp01(s, edge);
    }

    /// <summary>A filled axis-aligned rectangle mask with a soft edge.</summary>
    public static Image Rect(VipsScope s, int width, int height, double x0, double y0, double x1, double y1, double feather = 1.0)
    {
        var xy = s.Add(Image.Xyz(width, height));
        var x = s.Add(xy[0]);
        var y = s.Add(xy[1]);
        var f = Math.Max(0.5, feather);
        var left = Clamp01(s, s.Add(x.Linear(1.0 / f, -x0 / f)));
        var right = Clamp01(s, s.Add(x.Linear(-1.0 / f, x1 / f)));
        var top = Clamp01(s, s.Add(y.Linear(1.0 / f, -y0 / f)));
        var bottom = Clamp01(s, s.Add(y.Linear(-1.0 / f, y1 / f)));
        var lr = s.Add(left * right);
        var tb = s.Add(top * bottom);
        return s.Add(lr * tb);
    }

    public static Image Clamp01(VipsScope s, Image mask) => s.Add(mask.Clamp(min: 0, max: 1));

    /// <summary>smoothstep over a mask already in 0..1.</summary>
    public static Image Smooth(VipsScope s, Image t)
    {
        var t2 = s.Add(t * t);
        var threeMinus = s.Add(t.Linear(-2.0, 3.0));
        return s.Add(t2 * threeMinus);
    }

    /// <summary>a + (b - a) * t, where a and b are images or colours and t a 1-band mask.</summary>
    public static Image Mix(VipsScope s, Image a, Image b, Image t)
    {
        var diff = s.Add(b - a);
        var scaled = s.Add(diff * t);
        return s.Add(a + scaled);
    }

    /// <summary>Colour <paramref name="c0"/> where t = 0 to <paramref name="c1"/> where t = 1.</summary>
    public static Image Ramp(VipsScope s, Image t, Rgb c0, Rgb c1) =>
        s.Add(t.Linear([c1.R - c0.R, c1.G - c0.G, c1.B - c0.B], c0.ToArray()));

    /// <summary>Paints <paramref name="colour"/> over <paramref name="image"/> with coverage <paramref name="mask"/> (0..1).</summary>
    public static Image Over(VipsScope s, Image image, Rgb colour, Image mask, double opacity = 1.0)
    {
        var t = opacity >= 1.0 ? mask : s.Add(mask * opacity);
        var inv = s.Add(t.Linear(-1.0, 1.0));
        var kept = s.Add(image * inv);
        var ink = s.Add(t.Linear(colour.ToArray(), [0, 0, 0]));
        return s.Add(kept + ink);
    }

    /// <summary>Paints an image layer over <paramref name="image"/> with coverage <paramref name="mask"/>.</summary>
    public static Image OverImage(VipsScope s, Image image, Image layer, Image mask, double opacity = 1.0)
    {
        var t = opacity >= 1.0 ? mask : s.Add(mask * opacity);
        return Mix(s, image, layer, t);
    }

    /// <summary>Multiplies brightness by (1 - strength * mask): shadows and vignettes.</summary>
    public static Image Darken(VipsScope s, Image image, Image mask, double strength)
    {
        var factor = s.Add(mask.Linear(-strength, 1.0));
        return s.Add(image * factor);
    }

    /// <summary>
    /// A Gaussian blur; large radii run on a reduced copy and are scaled back, which looks the same on
    /// smooth shapes and costs a fraction of a full-size kernel.
    /// </summary>
    public static Image Blur(VipsScope s, Image image, double sigma)
    {
        if (sigma < 0.4)
        {
            return image;
        }

        if (sigma <= 6 || image.Width < 64 || image.Height < 64)
        {
            return s.Add(image.Gaussblur(sigma, precision: Enums.Precision.Approximate));
        }

        var factor = Math.Min(8.0, sigma / 3.0);
        var small = s.Add(image.Resize(1.0 / factor, kernel: Enums.Kernel.Linear));
        var blurred = s.Add(small.Gaussblur(sigma / factor, precision: Enums.Precision.Approximate));
        var up = s.Add(blurred.Resize(image.Width / (double)blurred.Width, vscale: image.Height / (double)blurred.Height, kernel: Enums.Kernel.Linear));
        return up.Width == image.Width && up.Height == image.Height
            ? up
            : s.Add(up.Embed(0, 0, image.Width, image.Height, extend: Enums.Extend.Copy));
    }

    private const int GrainTile = 256;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Sigma, int Seed), Image> GrainTiles = new();

    /// <summary>
    /// Fine Gaussian grain (mean 0) in 255 units, seeded so renders are reproducible. A 256 px tile of
    /// noise is made once per (sigma, seed bucket) and repeated: per-pixel Gaussian noise over a whole
    /// 2000 x 2000 frame cost about half a second, and a repeat of pure noise is invisible.
    /// </summary>
    public static Image Grain(VipsScope s, int width, int height, double sigma, int seed)
    {
        // Immutable libvips images are safe to share between threads; 16 buckets bound the cache.
        var tile = GrainTiles.GetOrAdd((sigma, seed & 15), key =>
        {
            using var noise = Image.Gaussnoise(GrainTile, GrainTile, sigma: key.Sigma, mean: 0, seed: key.Seed);
            return noise.CopyMemory();
        });
        var across = (width + GrainTile - 1) / GrainTile;
        var down = (height + GrainTile - 1) / GrainTile;
        var tiled = s.Add(tile.Replicate(across, down));
        return s.Add(tiled.Crop(0, 0, width, height));
    }

    /// <summary>Perlin noise in about -1..1, rendered at 1/<paramref name="reduce"/> size and scaled up (textures are soft anyway).</summary>
    public static Image Perlin(VipsScope s, int width, int height, int cell, int seed, int reduce = 2)
    {
        var w = Math.Max(8, width / reduce);
        var h = Math.Max(8, height / reduce);
        var noise = s.Add(Image.Perlin(w, h, cellSize: Math.Max(2, cell / reduce), seed: seed));
        return Upscale(s, noise, width, height);
    }

    /// <summary>Perlin noise stretched <paramref name="stretchX"/> times along x (wood grain, water, streaks).</summary>
    public static Image PerlinStretched(VipsScope s, int width, int height, int cell, int seed, int stretchX)
    {
        var w = Math.Max(8, width / (2 * stretchX));
        var h = Math.Max(8, height / 2);
        var noise = s.Add(Image.Perlin(w, h, cellSize: Math.Max(2, cell / 2), seed: seed));
        return Upscale(s, noise, width, height);
    }

    /// <summary>Worley (cellular) distance noise normalised to about 0..1, at reduced size.</summary>
    public static Image Worley(VipsScope s, int width, int height, int cell, int seed, int reduce = 2)
    {
        var w = Math.Max(8, width / reduce);
        var h = Math.Max(8, height / reduce);
        var cellSize = Math.Max(2, cell / reduce);
        var noise = s.Add(Image.Worley(w, h, cellSize: cellSize, seed: seed));
        var normal = s.Add(noise.Linear(1.0 / cellSize, 0.0));
        return Upscale(s, Clamp01(s, normal), width, height);
    }

    /// <summary>Scales a texture to exactly width x height.</summary>
    public static Image Upscale(VipsScope s, Image image, int width, int height)
    {
        if (image.Width == width && image.Height == height)
        {
            return image;
        }

        var up = s.Add(image.Resize(width / (double)image.Width, vscale: height / (double)image.Height, kernel: Enums.Kernel.Linear));
        return up.Width == width && up.Height == height ? up : s.Add(up.Embed(0, 0, width, height, extend: Enums.Extend.Copy));
    }

    /// <summary>Backdrops are rendered at most this many pixels on their longest side, then scaled up.</summary>
    public const int WorkingSide = 720;

    /// <summary>
    /// Renders a smooth backdrop at a working size (longest side at most <see cref="WorkingSide"/>) and scales it
    /// up to width x height: generated backdrops are soft by design (they sit behind a sharp product, as with a
    /// shallow depth of field), and this keeps a 2000 x 2000 render as cheap as a 960 x 960 one.
    /// <paramref name="render"/> gets the working width, height and the factor from full size to working size.
    /// </summary>
    public static Image RenderAt(VipsScope s, int width, int height, Func<int, int, double, Image> render)
    {
        var k = Math.Min(1.0, WorkingSide / (double)Math.Max(width, height));
        var w = Math.Max(16, (int)Math.Round(width * k));
        var h = Math.Max(16, (int)Math.Round(height * k));
        // Materialise the working render once: libvips is demand-driven, and the upscale's overlapping
        // tiles would otherwise evaluate the whole procedural graph again for every tile they touch.
        var small = s.Add(render(w, h, k).CopyMemory());
        if (w == width && h == height)
        {
            return small;
        }

        var up = s.Add(small.Resize(width / (double)w, vscale: height / (double)h, kernel: Enums.Kernel.Cubic));
        return up.Width == width && up.Height == height ? up : s.Add(up.Embed(0, 0, width, height, extend: Enums.Extend.Copy));
    }

    /// <summary>Rounds a float colour image to 8-bit sRGB (cast alone would truncate 254.6 to 254).</summary>
    public static Image ToUchar(VipsScope s, Image image)
    {
        var rounded = s.Add(image.Round(Enums.OperationRound.Rint));
        var cast = s.Add(rounded.Cast(Enums.BandFormat.Uchar));
        return s.Add(cast.Copy(interpretation: Enums.Interpretation.Srgb));
    }
}
