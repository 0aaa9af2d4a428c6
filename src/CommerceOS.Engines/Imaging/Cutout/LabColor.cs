namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>
/// 8-bit sRGB to CIE L*a*b* (D65) through lookup tables: a cube root per channel per pixel would cost
/// more than the rest of the segmentation, and the 8-bit input does not need more precision than the
/// interpolated table gives (well under 0.05 delta-E).
/// </summary>
internal static class LabColor
{
    private const float TMax = 1.1f;
    private const int FSize = 4096;
    private static readonly float[] Linear = BuildLinear();
    private static readonly float[] FTable = BuildF();

    /// <summary>Converts <paramref name="count"/> packed RGB pixels into three planes.</summary>
    public static void FromRgb(ReadOnlySpan<byte> rgb, int count, Span<float> l, Span<float> a, Span<float> b)
    {
        var lin = Linear;
        for (var i = 0; i < count; i++)
        {
            var r = lin[rgb[3 * i]];
            var g = lin[rgb[(3 * i) + 1]];
            var bl = lin[rgb[(3 * i) + 2]];
            var fx = F(((0.4124f * r) + (0.3576f * g) + (0.1805f * bl)) / 0.95047f);
            var fy = F((0.2126f * r) + (0.7152f * g) + (0.0722f * bl));
            var fz = F(((0.0193f * r) + (0.1192f * g) + (0.9505f * bl)) / 1.08883f);
            l[i] = (116f * fy) - 16f;
            a[i] = 500f * (fx - fy);
            b[i] = 200f * (fy - fz);
        }
    }

    private static float F(float t)
    {
        var x = t * ((FSize - 1) / TMax);
        if (x <= 0)
        {
            return FTable[0];
        }

        var i = (int)x;
        if (i >= FSize - 1)
        {
            return FTable[FSize - 1];
        }

        var frac = x - i;
        return FTable[i] + ((FTable[i + 1] - FTable[i]) * frac);
    }

    private static float[] BuildLinear()
    {
        var table = new float[256];
        for (var i = 0; i < 256; i++)
        {
            var c = i / 255.0;
            table[i] = (float)(c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
        }

        return table;
    }

    private static float[] BuildF()
    {
        var table = new float[FSize];
        for (var i = 0; i < FSize; i++)
        {
            var t = i * (double)TMax / (FSize - 1);
            table[i] = (float)(t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116.0));
        }

        return table;
    }
}
