using NetVips;

namespace CommerceOS.Tests.Imaging.Compliance;

/// <summary>Synthetic product photos with known geometry, made with libvips at test time.</summary>
internal static class ComplianceImages
{
    /// <summary>
    /// A saturated, shaded ellipse (the "product") on a flat background. <paramref name="fill"/> is its
    /// width over the frame width (its longest axis: the height is 0.6 of the width).
    /// </summary>
    public static Image Product(int width, int height, double fill, byte[]? background = null)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        var rx = fill * width / 2.0;
        var ry = rx * 0.6;
        using var inside = Ellipse(x, y, width / 2.0, height / 2.0, rx, ry);
        using var colour = Shaded(x, y, width, height);
        using var back = Flat(width, height, background ?? [255, 255, 255]);
        using var composed = inside.Ifthenelse(colour, back);
        return composed.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>The same product with alpha: transparent (black, alpha 0) around it.</summary>
    public static Image TransparentProduct(int width, int height, double fill)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        var rx = fill * width / 2.0;
        using var inside = Ellipse(x, y, width / 2.0, height / 2.0, rx, rx * 0.6);
        using var colour = Shaded(x, y, width, height);
        using var black = Flat(width, height, [0, 0, 0]);
        using var rgb = inside.Ifthenelse(colour, black);
        using var rgba = rgb.Bandjoin(inside);
        return rgba.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>
    /// A tall product (longest axis vertical, 0.70 of the frame) with a soft grey shadow ellipse under it,
    /// either touching the product or separated from it by a gap.
    /// </summary>
    public static Image ProductWithShadow(int size, bool touching)
    {
        using var xy = Image.Xyz(size, size);
        using var x = xy[0];
        using var y = xy[1];
        double cx = size / 2.0, cy = size * 0.42, rx = size * 0.15, ry = size * 0.35;
        using var product = Ellipse(x, y, cx, cy, rx, ry);
        var shadowCy = cy + ry + (touching ? size * 0.02 : size * 0.09);
        using var shadow = Ellipse(x, y, cx, shadowCy, size * 0.2, size * 0.04);
        using var colour = Shaded(x, y, size, size);
        // Soft neutral grey: darkest (205) in the middle, fading to white at the edge.
        using var dx = (x - cx) / (size * 0.2);
        using var dy = (y - shadowCy) / (size * 0.04);
        using var r2 = (dx * dx) + (dy * dy);
        using var fade = (r2 * 50) + 205;
        using var fadeU = fade.Cast(Enums.BandFormat.Uchar);
        using var grey = fadeU.Bandjoin(fadeU, fadeU);
        using var white = Flat(size, size, [255, 255, 255]);
        using var withShadow = shadow.Ifthenelse(grey, white);
        using var composed = product.Ifthenelse(colour, withShadow);
        return composed.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>A lifestyle-like photo: strong noise over a gradient, no plain background anywhere.</summary>
    public static Image Busy(int width, int height)
    {
        using var noise = Noise(width, height);
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var shade = Shaded(x, y, width, height);
        using var sum = (noise * 0.5) + (shade * 0.5);
        using var cast = sum.Cast(Enums.BandFormat.Uchar);
        return cast.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static Image Flat(int width, int height, byte[] rgb)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var filled = black + new double[] { rgb[0], rgb[1], rgb[2] };
        using var cast = filled.Cast(Enums.BandFormat.Uchar);
        return cast.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>Mean absolute difference per channel between two equally sized 3-band images.</summary>
    public static double MeanDifference(Image a, Image b)
    {
        using var diff = a - b;
        using var abs = diff.Abs();
        return abs.Avg();
    }

    private static Image Ellipse(Image x, Image y, double cx, double cy, double rx, double ry)
    {
        using var dx = (x - cx) / rx;
        using var dy = (y - cy) / ry;
        using var r2 = (dx * dx) + (dy * dy);
        return r2 <= 1.0;
    }

    private static Image Shaded(Image x, Image y, int width, int height)
    {
        using var red = (x * (150.0 / width)) + 40;
        using var green = (y * (60.0 / height)) + 60;
        using var blue = 200 - (x * (90.0 / width));
        using var rgb = red.Bandjoin(green, blue);
        return rgb.Cast(Enums.BandFormat.Uchar);
    }

    private static Image Noise(int width, int height)
    {
        // One seeded noise field, decorrelated per channel by cheap point operations.
        using var r = Image.Gaussnoise(width, height, sigma: 70, mean: 128, seed: 11);
        using var g = 255 - r;
        using var flipped = r.Flip(Enums.Direction.Horizontal);
        using var rgb = r.Bandjoin(g, flipped);
        return rgb.Cast(Enums.BandFormat.Uchar);
    }
}
