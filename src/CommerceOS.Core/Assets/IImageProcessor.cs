namespace CommerceOS.Core.Assets;

/// <summary>The raster formats an upload may have. Anything else (SVG, GIF, PDF, HTML, ZIP, HEIC...) is refused.</summary>
public enum ImageFormat
{
    Jpeg = 0,
    Png = 1,
    WebP = 2,
    Tiff = 3,
}

/// <summary>Format and pixel size as read from the file header, before any pixel is decoded.</summary>
public sealed record ImageInfo(ImageFormat Format, int Width, int Height);

/// <summary>Freshly encoded bytes (sRGB, no metadata) and what they are.</summary>
public sealed record EncodedImage(byte[] Bytes, ImageFormat Format, string ContentType, int Width, int Height);

/// <summary>Limits applied to every untrusted image before it is decoded (security-privacy.md 1.4).</summary>
public static class ImageLimits
{
    public const long MaxPixels = 40_000_000;

    public const int MaxSide = 12_000;

    public const int ThumbnailMaxSide = 400;
}

/// <summary>
/// Untrusted image handling. Every method sniffs the magic bytes and reads the dimensions from the
/// header first, and refuses (<see cref="ImageRejectedException"/>) before decoding when the type is
/// not allowed or the image exceeds <see cref="ImageLimits"/>. Methods are CPU-bound and thread-safe.
/// </summary>
public interface IImageProcessor
{
    /// <summary>Reads only the header. Throws <see cref="ImageRejectedException"/> (unsupported, too many pixels, corrupt header).</summary>
    ImageInfo Probe(ReadOnlySpan<byte> data);

    /// <summary>
    /// Decodes fully (any decoder error or truncation is a rejection), applies the EXIF orientation,
    /// converts to sRGB and encodes a fresh file without any metadata (EXIF, GPS, XMP, ICC, comments).
    /// JPEG, PNG and WebP keep their format; TIFF becomes PNG when it has alpha, JPEG otherwise.
    /// </summary>
    EncodedImage Reencode(byte[] data);

    /// <summary>A WebP no larger than <paramref name="maxSide"/> on its long side (never upscaled), without metadata.</summary>
    EncodedImage Thumbnail(byte[] data, int maxSide);
}
