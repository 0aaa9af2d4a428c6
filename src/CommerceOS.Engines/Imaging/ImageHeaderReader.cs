using System.Buffers.Binary;
using CommerceOS.Core.Assets;

namespace CommerceOS.Engines.Imaging;

/// <summary>
/// Magic-byte sniffing and dimensions from the file header, in managed code, before any decoder
/// sees the bytes. Everything that is not JPEG, PNG, WebP or classic TIFF is unsupported; a known
/// signature with a damaged or missing header is corrupt.
/// </summary>
public static class ImageHeaderReader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageInfo Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ImageRejectedException(UploadError.Empty, "no bytes");
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ReadJpeg(data);
        }

        if (data.StartsWith(PngSignature))
        {
            return ReadPng(data);
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return ReadWebP(data);
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return ReadTiff(data, littleEndian: data[0] == (byte)'I');
        }

        throw new ImageRejectedException(UploadError.UnsupportedType, "unrecognised signature");
    }

    private static ImageInfo ReadJpeg(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (true)
        {
            if (i >= data.Length || data[i] != 0xFF)
            {
                throw Corrupt("JPEG: no frame header (truncated or bad marker)");
            }

            while (i < data.Length && data[i] == 0xFF)
            {
                i++;
            }

            if (i >= data.Length)
            {
                throw Corrupt("JPEG: truncated in a marker");
            }

            var marker = data[i++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue;
            }

            if (marker is 0xD8 or 0xD9 or 0xDA)
            {
                throw Corrupt($"JPEG: marker 0x{marker:X2} before the frame header");
            }

            if (i + 2 > data.Length)
            {
                throw Corrupt("JPEG: truncated segment length");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            if (length < 2)
            {
                throw Corrupt("JPEG: bad segment length");
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8 || i + 7 > data.Length)
                {
                    throw Corrupt("JPEG: truncated frame header");
                }

                int height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 3)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                return Checked(ImageFormat.Jpeg, width, height);
            }

            i += length;
        }
    }

    private static ImageInfo ReadPng(ReadOnlySpan<byte> data)
    {
        if (data.Length < 33 || BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 13 || !data[12..16].SequenceEqual("IHDR"u8))
        {
            throw Corrupt("PNG: missing or truncated IHDR");
        }

        return Checked(ImageFormat.Png, BinaryPrimitives.ReadUInt32BigEndian(data[16..]), BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
    }

    private static ImageInfo ReadWebP(ReadOnlySpan<byte> data)
    {
        if (data.Length < 30)
        {
            throw Corrupt("WebP: truncated header");
        }

        var chunk = data[12..16];
        var payload = data[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (payload[3] != 0x9D || payload[4] != 0x01 || payload[5] != 0x2A)
            {
                throw Corrupt("WebP: bad VP8 start code");
            }

            return Checked(ImageFormat.WebP, BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]) & 0x3FFF);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (payload[0] != 0x2F)
            {
                throw Corrupt("WebP: bad VP8L signature");
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            return Checked(ImageFormat.WebP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            var width = (payload[4] | (payload[5] << 8) | (payload[6] << 16)) + 1;
            var height = (payload[7] | (payload[8] << 8) | (payload[9] << 16)) + 1;
            return Checked(ImageFormat.WebP, width, height);
        }

        throw Corrupt("WebP: unknown first chunk");
    }

    private static ImageInfo ReadTiff(ReadOnlySpan<byte> data, bool littleEndian)
    {
        if (data.Length < 8)
        {
            throw Corrupt("TIFF: truncated header");
        }

        var ifd = U32(data[4..], littleEndian);
        if (ifd < 8 || ifd > data.Length - 2)
        {
            throw Corrupt("TIFF: first IFD outside the file");
        }

        var offset = (int)ifd;
        var count = U16(data[offset..], littleEndian);
        if (offset + 2 + ((long)count * 12) > data.Length)
        {
            throw Corrupt("TIFF: truncated IFD");
        }

        long width = -1;
        long height = -1;
        for (var n = 0; n < count; n++)
        {
            var entry = data[(offset + 2 + (n * 12))..];
            var tag = U16(entry, littleEndian);
            if (tag is not (256 or 257))
            {
                continue;
            }

            var value = U16(entry[2..], littleEndian) switch
            {
                3 => U16(entry[8..], littleEndian),
                4 => U32(entry[8..], littleEndian),
                _ => throw Corrupt("TIFF: bad dimension type"),
            };
            if (tag == 256)
            {
                width = value;
            }
            else
            {
                height = value;
            }
        }

        return Checked(ImageFormat.Tiff, width, height);
    }

    private static ImageInfo Checked(ImageFormat format, long width, long height)
    {
        if (width <= 0 || height <= 0)
        {
            throw Corrupt($"{format}: zero or missing dimensions");
        }

        if (width > ImageLimits.MaxSide || height > ImageLimits.MaxSide || width * height > ImageLimits.MaxPixels)
        {
            throw new ImageRejectedException(UploadError.TooManyPixels, $"{format} header says {width}x{height}");
        }

        return new ImageInfo(format, (int)width, (int)height);
    }

    private static uint U16(ReadOnlySpan<byte> span, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16BigEndian(span);

    private static uint U32(ReadOnlySpan<byte> span, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32BigEndian(span);

    private static ImageRejectedException Corrupt(string detail) => new(UploadError.Corrupt, detail);
}
