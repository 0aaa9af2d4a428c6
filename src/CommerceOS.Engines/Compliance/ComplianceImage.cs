using CommerceOS.Core.Assets;
using CommerceOS.Engines.Imaging;
using NetVips;

namespace CommerceOS.Engines.Compliance;

/// <summary>
/// An untrusted image decoded for measuring: what the file is (format, bytes, colour space as stored)
/// and its pixels as 8-bit sRGB (3 bands, or 4 with alpha) after the EXIF orientation.
/// </summary>
internal sealed class ComplianceImage : IDisposable
{
    private ComplianceImage(ImageFormat format, long byteCount, string colourSpace, Image srgb)
    {
        Format = format;
        ByteCount = byteCount;
        ColourSpace = colourSpace;
        Srgb = srgb;
    }

    public ImageFormat Format { get; }

    public long ByteCount { get; }

    /// <summary>"srgb", "cmyk", "grey", "icc:&lt;profile description&gt;" or another libvips interpretation.</summary>
    public string ColourSpace { get; }

    /// <summary>Decoded into memory, uchar sRGB, 3 or 4 bands.</summary>
    public Image Srgb { get; }

    public int Width => Srgb.Width;

    public int Height => Srgb.Height;

    public bool HasAlpha => Srgb.Bands == 4;

    /// <summary>
    /// Header check first (unsupported types and pixel bombs never reach a decoder), then only the
    /// sniffed format's loader with fail-on-error, as <see cref="LocalImageProcessor"/> does.
    /// </summary>
    public static ComplianceImage Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var info = ImageHeaderReader.Read(bytes);
        using var owned = new VipsScope();
        try
        {
            var image = owned.Add(LocalImageProcessor.Load(info.Format, bytes));
            if (image.Width != info.Width || image.Height != info.Height)
            {
                throw new ImageRejectedException(UploadError.Corrupt, $"header says {info.Width}x{info.Height}, decoder says {image.Width}x{image.Height}");
            }

            var colourSpace = ColourSpaceOf(image);
            image = owned.Add(image.Autorot());
            image = LocalImageProcessor.ToSrgb(image, owned);

            // libvips is lazy: decoding into memory here makes any decoder error a rejection now,
            // and the measurements below read the pixels several times.
            return new ComplianceImage(info.Format, bytes.LongLength, colourSpace, image.CopyMemory());
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, $"{info.Format}: {e.Message.Split('\n', 2)[0].Trim()}");
        }
    }

    public void Dispose() => Srgb.Dispose();

    private static string ColourSpaceOf(Image image)
    {
        switch (image.Interpretation)
        {
            case Enums.Interpretation.Cmyk:
                return "cmyk";
            case Enums.Interpretation.Bw or Enums.Interpretation.Grey16:
                return "grey";
            case Enums.Interpretation.Srgb or Enums.Interpretation.Rgb16 or Enums.Interpretation.Multiband:
                if (!image.Contains("icc-profile-data"))
                {
                    // Untagged RGB is shown as sRGB by browsers and marketplaces.
                    return "srgb";
                }

                var description = IccProfile.Describe((byte[])image.Get("icc-profile-data"));
                return description is not null && description.Contains("srgb", StringComparison.OrdinalIgnoreCase)
                    ? "srgb"
                    : "icc:" + (description ?? "unknown");
            default:
                return image.Interpretation.ToString().ToLowerInvariant();
        }
    }
}
