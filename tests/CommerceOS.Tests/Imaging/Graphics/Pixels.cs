using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Graphics;
using NetVips;

namespace CommerceOS.Tests.Imaging.Graphics;

/// <summary>Decoded RGB pixels and the measurements the graphics tests make on them.</summary>
internal sealed class Pixels
{
    private Pixels(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Rgb { get; }

    public static Pixels Decode(byte[] encoded)
    {
        using var image = Image.NewFromBuffer(encoded);
        using var rgb = image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();
        using var uchar = rgb.Cast(Enums.BandFormat.Uchar);
        return new Pixels(uchar.Width, uchar.Height, uchar.WriteToMemory<byte>());
    }

    public Rgb At(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return new Rgb(Rgb[i], Rgb[i + 1], Rgb[i + 2]);
    }

    public static int Distance(Rgb a, Rgb b) => Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));

    public int Count(PixelBox box, Func<Rgb, bool> predicate)
    {
        var count = 0;
        for (var y = Math.Max(0, box.Y); y < Math.Min(Height, box.Bottom); y++)
        {
            for (var x = Math.Max(0, box.X); x < Math.Min(Width, box.Right); x++)
            {
                if (predicate(At(x, y)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Bounding box of the pixels matching <paramref name="predicate"/>, or null.</summary>
    public PixelBox? Bounds(Func<Rgb, bool> predicate)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (predicate(At(x, y)))
                {
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                }
            }
        }

        return right < 0 ? null : new PixelBox(left, top, right - left + 1, bottom - top + 1);
    }

    /// <summary>Mean absolute difference per channel (0 to 255).</summary>
    public double MeanDifference(Pixels other)
    {
        Assert.Equal((Width, Height), (other.Width, other.Height));
        long sum = 0;
        for (var i = 0; i < Rgb.Length; i++)
        {
            sum += Math.Abs(Rgb[i] - other.Rgb[i]);
        }

        return (double)sum / Rgb.Length;
    }

    /// <summary>A product cut-out: a red rounded body and a dark cap on transparent ground.</summary>
    public static readonly Rgb ProductRed = new(0xD6, 0x28, 0x28);

    public static RgbaImage Cutout(int width = 300, int height = 450)
    {
        var svg = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'><rect x='{width * 0.2}' y='{height * 0.25}' width='{width * 0.6}' height='{height * 0.7}' rx='{width * 0.12}' fill='{ProductRed.Hex}'/><rect x='{width * 0.38}' y='{height * 0.05}' width='{width * 0.24}' height='{height * 0.25}' rx='{width * 0.04}' fill='#333333'/></svg>");
        using var image = Image.SvgloadBuffer(System.Text.Encoding.UTF8.GetBytes(svg));
        return RgbaInterop.FromVips(image);
    }

    /// <summary>Total alpha (ink) and the ink's bounding box of a rendered text image.</summary>
    public static (long Ink, PixelBox Box) Ink(Image text)
    {
        using var alpha = text[text.Bands - 1];
        var bytes = alpha.WriteToMemory<byte>();
        long ink = 0;
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < text.Height; y++)
        {
            for (var x = 0; x < text.Width; x++)
            {
                var a = bytes[(y * text.Width) + x];
                if (a > 0)
                {
                    ink += a;
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                }
            }
        }

        return (ink, right < 0 ? default : new PixelBox(left, top, right - left + 1, bottom - top + 1));
    }
}
