using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging;

/// <summary>Moves <see cref="RgbaImage"/> pixels in and out of libvips.</summary>
public static class RgbaInterop
{
    /// <summary>A 4-band uchar sRGB image over a copy of the pixels (libvips may outlive the array's pinning).</summary>
    public static Image ToVips(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var memory = Image.NewFromMemoryCopy(image.Pixels, image.Width, image.Height, 4, Enums.BandFormat.Uchar);
        return memory.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>Renders <paramref name="image"/> (any band count, uchar sRGB) to straight RGBA pixels.</summary>
    public static RgbaImage FromVips(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var rgba = ToRgba(image);
        var pixels = rgba.WriteToMemory<byte>();
        return new RgbaImage(rgba.Width, rgba.Height, pixels);
    }

    private static Image ToRgba(Image image)
    {
        var uchar = image.Format == Enums.BandFormat.Uchar ? image.Copy() : image.Cast(Enums.BandFormat.Uchar);
        switch (uchar.Bands)
        {
            case 4:
                return uchar;
            case 3:
                using (uchar)
                {
                    return uchar.Bandjoin(255);
                }

            case 2:
                using (uchar)
                using (var grey = uchar.ExtractBand(0))
                using (var alpha = uchar.ExtractBand(1))
                {
                    return grey.Bandjoin([grey, grey, alpha]);
                }

            case 1:
                using (uchar)
                {
                    return uchar.Bandjoin([uchar, uchar, 255]);
                }

            default:
                uchar.Dispose();
                throw new ArgumentException($"Cannot turn a {image.Bands}-band image into RGBA.", nameof(image));
        }
    }
}
