using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NetVips;

namespace CommerceOS.Tests.Assets;

/// <summary>Test images made at test time: real ones encoded by libvips, hostile ones crafted byte by byte.</summary>
internal static class TestImages
{
    /// <summary>A smooth colour gradient (so JPEG and WebP have real content), optionally with an alpha band.</summary>
    public static Image Gradient(int width, int height, bool alpha = false)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var red = x * (255.0 / width);
        using var green = y * (255.0 / height);
        using var sum = x + y;
        using var blue = sum * (255.0 / (width + height));
        using var rgb = red.Bandjoin(green, blue);
        using var opaque = rgb.Cast(Enums.BandFormat.Uchar);
        var image = alpha ? opaque.Bandjoin(200) : opaque.Copy();
        return image.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static byte[] Jpeg(int width, int height)
    {
        using var image = Gradient(width, height);
        return image.JpegsaveBuffer(q: 85);
    }

    public static byte[] Png(int width, int height, bool alpha = false)
    {
        using var image = Gradient(width, height, alpha);
        return image.PngsaveBuffer();
    }

    public static byte[] WebP(int width, int height, bool lossless = false, bool alpha = false)
    {
        using var image = Gradient(width, height, alpha);
        return image.WebpsaveBuffer(q: 80, lossless: lossless);
    }

    public static byte[] Tiff(int width, int height, bool alpha = false)
    {
        using var image = Gradient(width, height, alpha);
        return image.TiffsaveBuffer(compression: Enums.ForeignTiffCompression.Deflate);
    }

    public static byte[] Gif(int width, int height)
    {
        using var image = Gradient(width, height);
        return image.GifsaveBuffer();
    }

    /// <summary>A JPEG carrying EXIF (camera, GPS position, orientation 6 = rotate 90° clockwise) and XMP.</summary>
    public static byte[] JpegWithGps(int width, int height)
    {
        using var image = Gradient(width, height);
        using var tagged = image.Mutate(m =>
        {
            m.Set(GValue.GStrType, "exif-ifd0-Make", "TestCam");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitudeRef", "N");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitude", "31/1 14/1 2/1");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLongitudeRef", "E");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLongitude", "121/1 28/1 5/1");
            m.Set(GValue.GIntType, "orientation", 6);
            m.Set(GValue.BlobType, "xmp-data", Encoding.UTF8.GetBytes(
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"31,14.03N\"/></rdf:RDF></x:xmpmeta>"));
        });
        return tagged.JpegsaveBuffer(q: 90);
    }

    /// <summary>A CMYK JPEG (no profile), as print workflows export them.</summary>
    public static byte[] CmykJpeg(int width, int height)
    {
        using var rgb = Gradient(width, height);
        using var cmyk = rgb.Colourspace(Enums.Interpretation.Cmyk);
        return cmyk.JpegsaveBuffer(q: 90);
    }

    /// <summary>PNG with the given header dimensions and a tiny IDAT: a few rows of zeros, about 1 KB compressed.</summary>
    public static byte[] PngBomb(int width, int height)
    {
        var rows = new byte[(1 + width) * 16];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(rows);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        return [.. PngSignature, .. PngChunk("IHDR", ihdr), .. PngChunk("IDAT", compressed.ToArray()), .. PngChunk("IEND", [])];
    }

    /// <summary>Only the start of a baseline JPEG whose frame header declares the given size.</summary>
    public static byte[] JpegHeader(int width, int height)
    {
        byte[] app0 = [0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
        byte[] sof0 =
        [
            0xFF, 0xC0, 0x00, 0x11, 0x08,
            (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width,
            0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        ];
        return [0xFF, 0xD8, .. app0, .. sof0, 0xFF, 0xD9];
    }

    /// <summary>A valid PNG with HTML in a tEXt chunk and appended after IEND.</summary>
    public static byte[] PngHtmlPolyglot()
    {
        var png = Png(32, 32);
        var html = "<html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();
        var iendStart = png.Length - 12;
        byte[] text = [.. "Comment"u8, 0, .. html];
        return [.. png.AsSpan(0, iendStart), .. PngChunk("tEXt", text), .. png.AsSpan(iendStart), .. html];
    }

    public static byte[] WithFlippedByte(byte[] data, int index)
    {
        var copy = data.ToArray();
        copy[index] ^= 0x5A;
        return copy;
    }

    public static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>Markers of the JPEG segments before the first scan (0xE1 = APP1, where EXIF and XMP live).</summary>
    public static List<byte> JpegHeaderMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            markers.Add(marker);
            if (marker == 0xDA)
            {
                break;
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }

        return markers;
    }

    public static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
