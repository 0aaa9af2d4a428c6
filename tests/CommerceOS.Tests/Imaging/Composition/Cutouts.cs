using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Tests.Imaging.Composition;

/// <summary>Synthetic cut-outs: shaded superellipse products with a soft alpha edge and a label band, and measuring helpers.</summary>
internal static class Cutouts
{
    /// <summary>
    /// A product of <paramref name="width"/> x <paramref name="height"/> inside a transparent margin. Invisible pixels carry
    /// black RGB, as many cut-out tools leave them: a straight-alpha resize would bleed that into the edge.
    /// </summary>
    public static RgbaImage Product(int width, int height, (byte R, byte G, byte B) colour, bool shaded = true, int margin = 6)
    {
        var w = width + (2 * margin);
        var h = height + (2 * margin);
        var pixels = new byte[w * h * 4];
        var a = width / 2.0;
        var b = height / 2.0;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var nx = (x + 0.5 - (w / 2.0)) / a;
                var ny = (y + 0.5 - (h / 2.0)) / b;
                var f = Math.Pow(Math.Pow(Math.Abs(nx), 4) + Math.Pow(Math.Abs(ny), 4), 0.25);
                var distance = (f - 1) * Math.Min(a, b);
                var alpha = Math.Clamp(0.5 - (distance / 1.5), 0, 1);
                var i = ((y * w) + x) * 4;
                if (alpha <= 0)
                {
                    continue;
                }

                var shade = shaded ? 0.62 + (0.38 * Math.Cos(Math.Clamp(nx, -1, 1) * Math.PI / 2.2)) : 1.0;
                var label = shaded && ny is > -0.1 and < 0.25;
                var texture = shaded ? 0.92 + (0.08 * Math.Sin(y * 0.35)) : 1.0;
                var (r, g, bl) = label ? ((byte)235, (byte)205, (byte)70) : colour;
                pixels[i] = (byte)Math.Clamp(Math.Round(r * shade * texture), 0, 255);
                pixels[i + 1] = (byte)Math.Clamp(Math.Round(g * shade * texture), 0, 255);
                pixels[i + 2] = (byte)Math.Clamp(Math.Round(bl * shade * texture), 0, 255);
                pixels[i + 3] = (byte)Math.Round(alpha * 255);
            }
        }

        return new RgbaImage(w, h, pixels);
    }

    public static RgbaImage Bottle() => Product(180, 420, (40, 110, 190));

    /// <summary>An 8-bit sRGB decode of encoded bytes as interleaved RGB.</summary>
    public static Rgb8 Decode(byte[] encoded)
    {
        using var image = Image.NewFromBuffer(encoded);
        using var three = image.Bands >= 3 ? image.ExtractBand(0, n: 3) : image.Bandjoin([image, image]);
        return new Rgb8(three.Width, three.Height, three.WriteToMemory<byte>());
    }

    public static Rgb8 FromVips(Image image)
    {
        using var three = image.ExtractBand(0, n: 3);
        using var uchar = three.Cast(Enums.BandFormat.Uchar);
        return new Rgb8(uchar.Width, uchar.Height, uchar.WriteToMemory<byte>());
    }
}

/// <summary>Interleaved 8-bit RGB pixels with the measurements the tests need.</summary>
internal sealed record Rgb8(int Width, int Height, byte[] Pixels)
{
    public (int R, int G, int B) At(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    public bool IsWhite(int x, int y) => At(x, y) == (255, 255, 255);

    /// <summary>Box of pixels with any channel at or below 255 - <paramref name="tolerance"/> (what a fill checker sees).</summary>
    public (int X, int Y, int Width, int Height) NonWhiteBox(int tolerance = 8)
    {
        int minX = Width, minY = Height, maxX = -1, maxY = -1;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var (r, g, b) = At(x, y);
                if (Math.Min(r, Math.Min(g, b)) <= 255 - tolerance)
                {
                    minX = Math.Min(minX, x);
                    maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y);
                    maxY = Math.Max(maxY, y);
                }
            }
        }

        return maxX < 0 ? (0, 0, 0, 0) : (minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /// <summary>Every pixel of the outermost row and column on each side.</summary>
    public IEnumerable<(int R, int G, int B)> Border()
    {
        for (var x = 0; x < Width; x++)
        {
            yield return At(x, 0);
            yield return At(x, Height - 1);
        }

        for (var y = 0; y < Height; y++)
        {
            yield return At(0, y);
            yield return At(Width - 1, y);
        }
    }

    public double MeanLuma(int x0, int y0, int w, int h)
    {
        double sum = 0;
        for (var y = y0; y < y0 + h; y++)
        {
            for (var x = x0; x < x0 + w; x++)
            {
                var (r, g, b) = At(x, y);
                sum += (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
            }
        }

        return sum / (w * h);
    }

    public double MeanAbsDifference(Rgb8 other)
    {
        long sum = 0;
        for (var i = 0; i < Pixels.Length; i++)
        {
            sum += Math.Abs(Pixels[i] - other.Pixels[i]);
        }

        return sum / (double)Pixels.Length;
    }
}
