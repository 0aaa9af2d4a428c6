using CommerceOS.Engines.Imaging;
using NetVips;

namespace CommerceOS.Engines.Compliance;

/// <summary>A rectangle in full-resolution pixels.</summary>
internal readonly record struct PixelBox(int Left, int Top, int Width, int Height);

/// <summary>What the checker measured on one image (everything the rules need).</summary>
internal sealed record ComplianceMeasurements(
    int Width,
    int Height,
    int BorderBand,
    long BorderPixels,
    long NonWhiteBorderPixels,
    string WorstBorderPixel,
    bool BackgroundFound,
    bool BackgroundNearWhite,
    string BackgroundEstimate,
    PixelBox? Product,
    double? Fill)
{
    public double NonWhiteShare => BorderPixels == 0 ? 0 : (double)NonWhiteBorderPixels / BorderPixels;

    /// <summary>Whiten, re-pad and re-scale need a plain near-white (or transparent) background and a product on it.</summary>
    public bool CanCompose => BackgroundFound && BackgroundNearWhite && Product is not null;
}

/// <summary>
/// Border purity at full resolution (exact: 255,255,255 or not) and the product's extent on a
/// downscaled, median-denoised copy (so JPEG noise and dust do not count as product).
/// </summary>
internal static class ComplianceMeasurer
{
    /// <summary>Longest side of the copy the product is found on: 1 px there is 0.1% of the frame.</summary>
    public const int AnalysisSide = 1000;

    /// <summary>A pixel is product when a channel differs from the background estimate by more than this (after the median).</summary>
    public const int ProductTolerance = 10;

    /// <summary>Border pixels within this of the estimate count as background when judging whether there is one.</summary>
    public const int UniformTolerance = 16;

    /// <summary>At least this share of the border must be the background colour, or the photo has no plain background (lifestyle, busy).</summary>
    public const double UniformShare = 0.75;

    /// <summary>Near-white background pixels (every channel at least 255 minus this) are whitened by the fix.</summary>
    public const int WhitenTolerance = 12;

    /// <summary>The border band: 1% of the shorter side, at least 2 px.</summary>
    public static int BandOf(int width, int height) =>
        Math.Min(Math.Max(2, (int)Math.Round(0.01 * Math.Min(width, height))), Math.Max(1, Math.Min(width, height) / 2));

    /// <summary>The four border strips (top and bottom full width, left and right between them), no pixel twice.</summary>
    public static IEnumerable<PixelBox> BorderStrips(int width, int height, int band)
    {
        yield return new PixelBox(0, 0, width, band);
        if (height - band > band)
        {
            yield return new PixelBox(0, height - band, width, band);
        }

        var middle = height - (2 * band);
        if (middle > 0)
        {
            yield return new PixelBox(0, band, band, middle);
            if (width - band > band)
            {
                yield return new PixelBox(width - band, band, band, middle);
            }
        }
    }

    /// <summary>Not pure opaque white: any colour channel below 255, or any transparency (marketplaces show it grey or black).</summary>
    public static bool IsOffending(ReadOnlySpan<byte> pixel) =>
        pixel[0] != 255 || pixel[1] != 255 || pixel[2] != 255 || (pixel.Length > 3 && pixel[3] != 255);

    public static ComplianceMeasurements Measure(ComplianceImage image)
    {
        var (band, total, offending, worst) = MeasureBorder(image.Srgb);
        var analysis = FindProduct(image);
        return new ComplianceMeasurements(
            image.Width,
            image.Height,
            band,
            total,
            offending,
            worst,
            analysis.BackgroundFound,
            analysis.NearWhite,
            analysis.Estimate,
            analysis.Product,
            analysis.Product is { } box ? Math.Max((double)box.Width / image.Width, (double)box.Height / image.Height) : null);
    }

    private static (int Band, long Total, long Offending, string Worst) MeasureBorder(Image srgb)
    {
        var band = BandOf(srgb.Width, srgb.Height);
        var bands = srgb.Bands;
        long total = 0;
        long offending = 0;
        var worstScore = -1;
        var worst = new byte[bands];
        foreach (var strip in BorderStrips(srgb.Width, srgb.Height, band))
        {
            using var area = srgb.ExtractArea(strip.Left, strip.Top, strip.Width, strip.Height);
            var pixels = area.WriteToMemory<byte>();
            for (var i = 0; i < pixels.Length; i += bands)
            {
                var pixel = pixels.AsSpan(i, bands);
                total++;
                if (!IsOffending(pixel))
                {
                    continue;
                }

                offending++;
                // Worst = furthest from opaque white; transparency weighs like a dark pixel.
                var score = (765 - pixel[0] - pixel[1] - pixel[2]) + (bands > 3 ? (255 - pixel[3]) * 3 : 0);
                if (score > worstScore)
                {
                    worstScore = score;
                    pixel.CopyTo(worst);
                }
            }
        }

        if (worstScore < 0)
        {
            worst.AsSpan().Fill(255);
        }

        var text = bands > 3 && worst[3] != 255
            ? $"{worst[0]},{worst[1]},{worst[2]},alpha {worst[3]}"
            : $"{worst[0]},{worst[1]},{worst[2]}";
        return (band, total, offending, text);
    }

    private sealed record ProductAnalysis(bool BackgroundFound, bool NearWhite, string Estimate, PixelBox? Product);

    private static ProductAnalysis FindProduct(ComplianceImage image)
    {
        using var owned = new VipsScope();
        var working = image.Srgb;
        if (image.HasAlpha)
        {
            // Transparent areas are background for finding the product (the border check already flagged them).
            working = owned.Add(working.Flatten(background: [255, 255, 255]));
            working = owned.Add(working.Cast(Enums.BandFormat.Uchar));
        }

        var scale = Math.Min(1.0, (double)AnalysisSide / Math.Max(image.Width, image.Height));
        if (scale < 1.0)
        {
            working = owned.Add(working.Resize(scale, kernel: Enums.Kernel.Linear));
        }

        // A light denoise: JPEG ringing and sensor noise on a flat background are single-pixel specks.
        working = owned.Add(working.Median(3));
        var w = working.Width;
        var h = working.Height;
        var rgb = working.WriteToMemory<byte>();

        var background = EstimateBackground(rgb, w, h, out var uniformShare);
        var estimate = $"{background[0]},{background[1]},{background[2]}";
        var nearWhite = background.All(c => c >= 255 - WhitenTolerance);
        if (uniformShare < UniformShare)
        {
            return new ProductAnalysis(false, nearWhite, estimate, null);
        }

        var box = ProductBox(rgb, w, h, background);
        if (box is not { } small)
        {
            return new ProductAnalysis(true, nearWhite, estimate, null);
        }

        // Back to full resolution; partially covered edge pixels of the small copy round outwards.
        var left = (int)Math.Floor(small.Left / scale);
        var top = (int)Math.Floor(small.Top / scale);
        var right = Math.Min(image.Width, (int)Math.Ceiling((small.Left + small.Width) / scale));
        var bottom = Math.Min(image.Height, (int)Math.Ceiling((small.Top + small.Height) / scale));
        return new ProductAnalysis(true, nearWhite, estimate, new PixelBox(left, top, right - left, bottom - top));
    }

    /// <summary>Per-channel median of the border band, and the share of border pixels close to it.</summary>
    private static byte[] EstimateBackground(byte[] rgb, int w, int h, out double uniformShare)
    {
        var band = BandOf(w, h);
        var histograms = new long[3, 256];
        long count = 0;
        foreach (var strip in BorderStrips(w, h, band))
        {
            ForEach(strip, w, (i) =>
            {
                histograms[0, rgb[i]]++;
                histograms[1, rgb[i + 1]]++;
                histograms[2, rgb[i + 2]]++;
                count++;
            });
        }

        var median = new byte[3];
        for (var c = 0; c < 3; c++)
        {
            long seen = 0;
            for (var v = 0; v < 256; v++)
            {
                seen += histograms[c, v];
                if (seen * 2 >= count)
                {
                    median[c] = (byte)v;
                    break;
                }
            }
        }

        long close = 0;
        foreach (var strip in BorderStrips(w, h, band))
        {
            ForEach(strip, w, (i) =>
            {
                if (Difference(rgb, i, median) <= UniformTolerance)
                {
                    close++;
                }
            });
        }

        uniformShare = count == 0 ? 0 : (double)close / count;
        return median;
    }

    /// <summary>
    /// The bounding box of the product: pixels that differ from the background, grouped into
    /// 8-connected parts. Specks are dropped; a part that is only a soft neutral shadow is dropped
    /// when it does not touch the product (a shadow touching the product is part of its footprint).
    /// </summary>
    private static PixelBox? ProductBox(byte[] rgb, int w, int h, byte[] background)
    {
        var pixels = w * h;
        var mask = new bool[pixels];
        for (var p = 0; p < pixels; p++)
        {
            mask[p] = Difference(rgb, p * 3, background) > ProductTolerance;
        }

        var minPart = Math.Max(4, pixels / 10_000);
        var backgroundLuma = Luma(background[0], background[1], background[2]);
        var labels = new int[pixels];
        var queue = new int[pixels];
        var parts = new List<(int Left, int Top, int Right, int Bottom, int Count, bool Shadow)>();
        for (var start = 0; start < pixels; start++)
        {
            if (!mask[start] || labels[start] != 0)
            {
                continue;
            }

            var label = parts.Count + 1;
            int head = 0, tail = 0;
            queue[tail++] = start;
            labels[start] = label;
            int left = w, top = h, right = -1, bottom = -1, count = 0, shadowLike = 0;
            while (head < tail)
            {
                var p = queue[head++];
                int x = p % w, y = p / w;
                count++;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
                if (IsShadowLike(rgb, p * 3, backgroundLuma))
                {
                    shadowLike++;
                }

                for (var dy = -1; dy <= 1; dy++)
                {
                    var ny = y + dy;
                    if (ny < 0 || ny >= h)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var nx = x + dx;
                        if (nx < 0 || nx >= w)
                        {
                            continue;
                        }

                        var n = (ny * w) + nx;
                        if (mask[n] && labels[n] == 0)
                        {
                            labels[n] = label;
                            queue[tail++] = n;
                        }
                    }
                }
            }

            parts.Add((left, top, right, bottom, count, shadowLike >= count * 0.98));
        }

        var kept = parts.Where(part => part.Count >= minPart).ToList();
        if (kept.Any(part => !part.Shadow))
        {
            kept.RemoveAll(part => part.Shadow);
        }

        if (kept.Count == 0)
        {
            return null;
        }

        var l = kept.Min(part => part.Left);
        var t = kept.Min(part => part.Top);
        var r = kept.Max(part => part.Right);
        var b = kept.Max(part => part.Bottom);
        return new PixelBox(l, t, r - l + 1, b - t + 1);
    }

    /// <summary>A soft shadow: neutral (no hue) and only somewhat darker than the background.</summary>
    private static bool IsShadowLike(byte[] rgb, int i, double backgroundLuma)
    {
        var max = Math.Max(rgb[i], Math.Max(rgb[i + 1], rgb[i + 2]));
        var min = Math.Min(rgb[i], Math.Min(rgb[i + 1], rgb[i + 2]));
        return max - min <= 12 && backgroundLuma - Luma(rgb[i], rgb[i + 1], rgb[i + 2]) <= 90;
    }

    private static double Luma(byte r, byte g, byte b) => (0.299 * r) + (0.587 * g) + (0.114 * b);

    private static int Difference(byte[] rgb, int i, byte[] reference) =>
        Math.Max(Math.Abs(rgb[i] - reference[0]), Math.Max(Math.Abs(rgb[i + 1] - reference[1]), Math.Abs(rgb[i + 2] - reference[2])));

    private static void ForEach(PixelBox strip, int width, Action<int> visit)
    {
        for (var y = strip.Top; y < strip.Top + strip.Height; y++)
        {
            for (var x = strip.Left; x < strip.Left + strip.Width; x++)
            {
                visit(((y * width) + x) * 3);
            }
        }
    }
}
