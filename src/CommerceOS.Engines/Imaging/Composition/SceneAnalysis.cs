using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>What placement needs from a background photo.</summary>
/// <param name="SurfaceY">The support surface's line (fraction of the height from the top), or null when no long horizontal edge was found.</param>
/// <param name="LightX">-1 brighter on the left (light from the left) to +1 from the right.</param>
/// <param name="Contrast">Luma standard deviation over 255: hard light and busy scenes are high.</param>
/// <param name="Ambient">Mean colour.</param>
/// <param name="Brightness">Mean luma over 255.</param>
public sealed record SceneAnalysis(double? SurfaceY, double LightX, double Contrast, Rgb Ambient, double Brightness);

/// <summary>
/// Reads a scene the way a photographer would before placing a product in it: where the table or floor
/// line is, which side the light comes from, and the ambient colour and brightness. Runs on a copy at
/// most 256 pixels wide, in managed code: the numbers are coarse by nature.
/// </summary>
public static class SceneAnalyzer
{
    private const int AnalysisWidth = 256;

    /// <summary>A long edge must change the row mean by at least this much luma (0..255).</summary>
    private const double MinEdge = 5.0;

    public static SceneAnalysis Analyse(Image rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        using var s = new VipsScope();
        var scale = Math.Min(1.0, AnalysisWidth / (double)rgb.Width);
        var small = scale < 1 ? s.Add(rgb.Resize(scale, kernel: Enums.Kernel.Linear)) : rgb;
        var three = small.Bands >= 3 ? s.Add(small.ExtractBand(0, n: 3)) : s.Add(small.Bandjoin([small, small]));
        var uchar = three.Format == Enums.BandFormat.Uchar ? three : s.Add(s.Add(three.Clamp(min: 0, max: 255)).Cast(Enums.BandFormat.Uchar));
        var w = uchar.Width;
        var h = uchar.Height;
        var pixels = uchar.WriteToMemory<byte>();
        var luma = new double[w * h];
        double r = 0, g = 0, b = 0;
        for (var i = 0; i < w * h; i++)
        {
            var pr = pixels[i * 3];
            var pg = pixels[(i * 3) + 1];
            var pb = pixels[(i * 3) + 2];
            r += pr;
            g += pg;
            b += pb;
            luma[i] = (0.2126 * pr) + (0.7152 * pg) + (0.0722 * pb);
        }

        var n = (double)(w * h);
        var ambient = new Rgb(r / n, g / n, b / n);
        var mean = luma.Average();
        var variance = luma.Sum(v => (v - mean) * (v - mean)) / n;
        var surface = FindSurface(luma, w, h);
        var lightX = LightDirection(luma, w, h, surface is { } y ? (int)(y * h) : h);
        return new SceneAnalysis(surface, lightX, Math.Sqrt(variance) / 255, ambient, mean / 255);
    }

    /// <summary>
    /// The strongest long horizontal edge in the lower two thirds: the row where the mean luma above and
    /// below differ most, counted only when most columns agree on the edge's sign (so a single dark object
    /// does not make a horizon).
    /// </summary>
    private static double? FindSurface(double[] luma, int w, int h)
    {
        const int band = 2;
        var bestScore = 0.0;
        var bestRow = -1;
        for (var y = Math.Max(band, h / 3); y < h - band - 1; y++)
        {
            double sum = 0;
            var diffs = new double[w];
            for (var x = 0; x < w; x++)
            {
                double above = 0, below = 0;
                for (var k = 1; k <= band; k++)
                {
                    above += luma[((y - k) * w) + x];
                    below += luma[((y + k) * w) + x];
                }

                diffs[x] = (below - above) / band;
                sum += diffs[x];
            }

            var meanDiff = sum / w;
            if (Math.Abs(meanDiff) < MinEdge)
            {
                continue;
            }

            var agreeing = diffs.Count(d => Math.Sign(d) == Math.Sign(meanDiff) && Math.Abs(d) > Math.Abs(meanDiff) * 0.3);
            var coverage = agreeing / (double)w;
            if (coverage < 0.6)
            {
                continue;
            }

            var score = Math.Abs(meanDiff) * coverage;
            if (score > bestScore)
            {
                bestScore = score;
                bestRow = y;
            }
        }

        return bestRow < 0 ? null : (bestRow + 0.5) / h;
    }

    /// <summary>Left third against right third of the part above the surface: the brighter side is where the light comes from.</summary>
    private static double LightDirection(double[] luma, int w, int h, int bottom)
    {
        var rows = Math.Clamp(bottom, 1, h);
        double left = 0, right = 0;
        var third = Math.Max(1, w / 3);
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < third; x++)
            {
                left += luma[(y * w) + x];
                right += luma[(y * w) + (w - 1 - x)];
            }
        }

        left /= rows * third;
        right /= rows * third;
        var relative = (right - left) / Math.Max(20.0, (right + left) / 2);
        return Math.Abs(relative) < 0.03 ? 0 : Math.Clamp(relative * 3.0, -1, 1);
    }
}
