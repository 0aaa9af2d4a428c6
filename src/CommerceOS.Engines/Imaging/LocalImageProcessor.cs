using CommerceOS.Core.Assets;
using NetVips;

namespace CommerceOS.Engines.Imaging;

/// <summary>
/// <see cref="IImageProcessor"/> on libvips (NetVips). Untrusted bytes go only to the loader of the
/// sniffed format (never libvips' own sniffing, which would also accept SVG, PDF, GIF...), with
/// fail-on-error, after <see cref="ImageHeaderReader"/> has checked the pixel limits.
/// </summary>
public sealed class LocalImageProcessor : IImageProcessor
{
    public const int JpegQuality = 90;
    public const int WebPQuality = 90;
    public const int ThumbnailQuality = 80;

    public ImageInfo Probe(ReadOnlySpan<byte> data) => ImageHeaderReader.Read(data);

    public EncodedImage Reencode(byte[] data)
    {
        var info = ImageHeaderReader.Read(data);
        using var owned = new VipsScope();
        try
        {
            var image = owned.Add(Load(info.Format, data));
            if (image.Width != info.Width || image.Height != info.Height)
            {
                throw new ImageRejectedException(UploadError.Corrupt, $"header says {info.Width}x{info.Height}, decoder says {image.Width}x{image.Height}");
            }

            image = owned.Add(image.Autorot());
            image = ToSrgb(image, owned);
            var target = info.Format == ImageFormat.Tiff
                ? (image.HasAlpha() ? ImageFormat.Png : ImageFormat.Jpeg)
                : info.Format;
            if (target == ImageFormat.Jpeg && image.HasAlpha())
            {
                image = owned.Add(image.Flatten(background: [255, 255, 255]));
            }

            // libvips is lazy: the full decode, and so any decoder error, happens during the save.
            var bytes = Save(image, target, target == ImageFormat.WebP ? WebPQuality : JpegQuality);
            return new EncodedImage(bytes, target, ContentTypeOf(target), image.Width, image.Height);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, FirstLine(e.Message));
        }
    }

    public EncodedImage Thumbnail(byte[] data, int maxSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        var info = ImageHeaderReader.Read(data);
        using var owned = new VipsScope();
        try
        {
            // Shrink-on-load; the bytes were sniffed above, so libvips picks the same loader we would.
            var image = owned.Add(Image.ThumbnailBuffer(data, maxSide, height: maxSide, size: Enums.Size.Down, failOn: Enums.FailOn.Error));
            image = ToSrgb(image, owned);
            var bytes = Save(image, ImageFormat.WebP, ThumbnailQuality);
            return new EncodedImage(bytes, ImageFormat.WebP, ContentTypeOf(ImageFormat.WebP), image.Width, image.Height);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, $"{info.Format}: {FirstLine(e.Message)}");
        }
    }

    public static string ContentTypeOf(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Tiff => "image/tiff",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The loader of the sniffed format only, failing on any decoder error.</summary>
    internal static Image Load(ImageFormat format, byte[] data) => format switch
    {
        ImageFormat.Jpeg => Image.JpegloadBuffer(data, failOn: Enums.FailOn.Error),
        ImageFormat.Png => Image.PngloadBuffer(data, failOn: Enums.FailOn.Error),
        ImageFormat.WebP => Image.WebploadBuffer(data, failOn: Enums.FailOn.Error),
        ImageFormat.Tiff => Image.TiffloadBuffer(data, failOn: Enums.FailOn.Error),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Embedded ICC profile (if usable) to sRGB, then any other colour space (CMYK, grey, 16-bit) to 8-bit sRGB.</summary>
    internal static Image ToSrgb(Image image, VipsScope owned)
    {
        if (image.Contains("icc-profile-data"))
        {
            try
            {
                image = owned.Add(image.IccTransform("srgb", embedded: true, intent: Enums.Intent.Perceptual));
            }
            catch (VipsException)
            {
                // An unusable profile is dropped; the interpretation-based conversion below still applies.
            }
        }

        if (image.Interpretation != Enums.Interpretation.Srgb || image.Format != Enums.BandFormat.Uchar)
        {
            image = owned.Add(image.Colourspace(Enums.Interpretation.Srgb));
        }

        if (image.Format != Enums.BandFormat.Uchar)
        {
            image = owned.Add(image.Cast(Enums.BandFormat.Uchar));
        }

        if (image.Bands > 4)
        {
            image = owned.Add(image.ExtractBand(0, n: 4));
        }

        // The ICC transform leaves the profile attached; it describes the old pixels, so drop it.
        if (image.Contains("icc-profile-data"))
        {
            image = owned.Add(image.Mutate(m => m.Remove("icc-profile-data")));
        }

        return image;
    }

    private static byte[] Save(Image image, ImageFormat format, int quality) => format switch
    {
        ImageFormat.Jpeg => image.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: Enums.ForeignKeep.None),
        ImageFormat.Png => image.PngsaveBuffer(compression: 6, keep: Enums.ForeignKeep.None),
        ImageFormat.WebP => image.WebpsaveBuffer(q: quality, effort: 4, keep: Enums.ForeignKeep.None),
        ImageFormat.Tiff => throw new InvalidOperationException("TIFF is never written."),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
