using System.Diagnostics;
using System.Text;
using CommerceOS.Core.Assets;
using CommerceOS.Engines.Imaging;
using NetVips;

namespace CommerceOS.Tests.Assets;

public sealed class LocalImageProcessorTests
{
    private readonly LocalImageProcessor _processor = new();

    public static TheoryData<string, ImageFormat, int, int> GoodImages => new()
    {
        { "jpeg", ImageFormat.Jpeg, 640, 480 },
        { "png", ImageFormat.Png, 300, 200 },
        { "png-alpha", ImageFormat.Png, 120, 90 },
        { "webp-lossy", ImageFormat.WebP, 333, 222 },
        { "webp-lossless", ImageFormat.WebP, 64, 65 },
        { "webp-alpha", ImageFormat.WebP, 150, 100 },
        { "tiff", ImageFormat.Tiff, 200, 150 },
    };

    [Theory]
    [MemberData(nameof(GoodImages))]
    public void Probe_GoodImage_ReadsFormatAndSizeFromHeader(string kind, ImageFormat format, int width, int height)
    {
        var info = _processor.Probe(Make(kind, width, height));

        Assert.Equal(new ImageInfo(format, width, height), info);
    }

    [Theory]
    [InlineData("jpeg", ImageFormat.Jpeg, "image/jpeg")]
    [InlineData("png", ImageFormat.Png, "image/png")]
    [InlineData("png-alpha", ImageFormat.Png, "image/png")]
    [InlineData("webp-lossy", ImageFormat.WebP, "image/webp")]
    [InlineData("webp-alpha", ImageFormat.WebP, "image/webp")]
    [InlineData("tiff", ImageFormat.Jpeg, "image/jpeg")]
    [InlineData("tiff-alpha", ImageFormat.Png, "image/png")]
    public void Reencode_GoodImage_KeepsFormatAndSize(string kind, ImageFormat expectedFormat, string contentType)
    {
        var encoded = _processor.Reencode(Make(kind, 320, 240));

        Assert.Equal(expectedFormat, encoded.Format);
        Assert.Equal(contentType, encoded.ContentType);
        Assert.Equal((320, 240), (encoded.Width, encoded.Height));
        Assert.Equal(new ImageInfo(expectedFormat, 320, 240), _processor.Probe(encoded.Bytes));
        using var decoded = Image.NewFromBuffer(encoded.Bytes);
        Assert.Equal(Enums.Interpretation.Srgb, decoded.Interpretation);
        Assert.Equal(kind.EndsWith("alpha", StringComparison.Ordinal), decoded.HasAlpha());
    }

    [Fact]
    public void Reencode_JpegWithExifGpsAndXmp_StripsAllMetadataAndAppliesOrientation()
    {
        var original = TestImages.JpegWithGps(64, 48);
        using (var check = Image.NewFromBuffer(original))
        {
            Assert.Contains("exif-ifd3-GPSLatitude", check.GetFields());
            Assert.Contains((byte)0xE1, TestImages.JpegHeaderMarkers(original));
            Assert.True(TestImages.Contains(original, "Exif"));
            Assert.True(TestImages.Contains(original, "xmpmeta"));
        }

        var encoded = _processor.Reencode(original);

        // Orientation 6 means "rotate 90° clockwise to display": the stored image is upright.
        Assert.Equal((48, 64), (encoded.Width, encoded.Height));
        var markers = TestImages.JpegHeaderMarkers(encoded.Bytes);
        Assert.DoesNotContain((byte)0xE1, markers);
        Assert.DoesNotContain((byte)0xE2, markers);
        Assert.DoesNotContain((byte)0xFE, markers);
        Assert.False(TestImages.Contains(encoded.Bytes, "Exif"));
        Assert.False(TestImages.Contains(encoded.Bytes, "GPS"));
        Assert.False(TestImages.Contains(encoded.Bytes, "xmpmeta"));
        Assert.False(TestImages.Contains(encoded.Bytes, "TestCam"));
        using var decoded = Image.NewFromBuffer(encoded.Bytes);
        Assert.DoesNotContain(decoded.GetFields(), f => f.StartsWith("exif-", StringComparison.Ordinal) || f is "xmp-data" or "icc-profile-data" or "orientation");
    }

    [Fact]
    public void Reencode_CmykJpeg_BecomesThreeBandSrgb()
    {
        var encoded = _processor.Reencode(TestImages.CmykJpeg(80, 60));

        using var decoded = Image.NewFromBuffer(encoded.Bytes);
        Assert.Equal(3, decoded.Bands);
        Assert.Equal(Enums.Interpretation.Srgb, decoded.Interpretation);
    }

    [Fact]
    public void Reencode_SixteenBitGreyPngWithProfile_BecomesEightBitSrgbWithoutProfile()
    {
        using var grey = Image.Black(50, 40).Linear([1.0], [30000.0]).Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Grey16);
        using var rgb = TestImages.Gradient(50, 40);
        using var p3 = rgb.IccTransform("p3", inputProfile: "srgb");

        var greyOut = _processor.Reencode(grey.PngsaveBuffer());
        var p3Out = _processor.Reencode(p3.PngsaveBuffer());

        using var greyDecoded = Image.NewFromBuffer(greyOut.Bytes);
        Assert.Equal((3, Enums.BandFormat.Uchar), (greyDecoded.Bands, greyDecoded.Format));
        Assert.True(TestImages.Contains(p3.PngsaveBuffer(), "iCCP"));
        Assert.False(TestImages.Contains(p3Out.Bytes, "iCCP"));
        using var p3Decoded = Image.NewFromBuffer(p3Out.Bytes);
        Assert.Equal(Enums.Interpretation.Srgb, p3Decoded.Interpretation);
    }

    [Fact]
    public void Reencode_PngWithHtmlInTextChunkAndAfterIend_StoresCleanPng()
    {
        var polyglot = TestImages.PngHtmlPolyglot();
        Assert.True(TestImages.Contains(polyglot, "<script>"));

        var encoded = _processor.Reencode(polyglot);

        Assert.Equal(ImageFormat.Png, encoded.Format);
        Assert.False(TestImages.Contains(encoded.Bytes, "<script>"));
        Assert.False(TestImages.Contains(encoded.Bytes, "tEXt"));
        Assert.True(encoded.Bytes.AsSpan()[^8..].SequenceEqual(TestImages.PngChunk("IEND", []).AsSpan()[^8..]));
    }

    public static TheoryData<string, UploadError> BadImages => new()
    {
        { "empty", UploadError.Empty },
        { "html", UploadError.UnsupportedType },
        { "svg", UploadError.UnsupportedType },
        { "gif", UploadError.UnsupportedType },
        { "gif-js-polyglot", UploadError.UnsupportedType },
        { "pdf", UploadError.UnsupportedType },
        { "zip", UploadError.UnsupportedType },
        { "avif", UploadError.UnsupportedType },
        { "bmp", UploadError.UnsupportedType },
        { "bigtiff", UploadError.UnsupportedType },
        { "jpeg-truncated", UploadError.Corrupt },
        { "jpeg-header-only", UploadError.Corrupt },
        { "jpeg-magic-then-garbage", UploadError.Corrupt },
        { "png-truncated", UploadError.Corrupt },
        { "png-bad-crc", UploadError.Corrupt },
        { "png-no-ihdr", UploadError.Corrupt },
        { "webp-truncated", UploadError.Corrupt },
        { "png-50000x50000", UploadError.TooManyPixels },
        { "png-7000x7000", UploadError.TooManyPixels },
        { "png-12001x1", UploadError.TooManyPixels },
        { "jpeg-65500x65500", UploadError.TooManyPixels },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Reencode_BadImage_ThrowsImageRejectedWithError(string kind, UploadError expected)
    {
        var data = MakeBad(kind);

        var error = Assert.Throws<ImageRejectedException>(() => _processor.Reencode(data));

        Assert.Equal(expected, error.Error);
    }

    [Theory]
    [InlineData(50_000, 50_000)]
    [InlineData(65_500, 65_500)]
    public void Probe_DecompressionBomb_RejectedFromHeaderWithinOneSecond(int width, int height)
    {
        var bomb = width == 50_000 ? TestImages.PngBomb(width, height) : TestImages.JpegHeader(width, height);
        Assert.True(bomb.Length < 20_000);
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<ImageRejectedException>(() => _processor.Reencode(bomb));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(UploadError.TooManyPixels, error.Error);
        Assert.Contains($"{width}x{height}", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_JustUnderLimits_IsAccepted()
    {
        Assert.Equal(new ImageInfo(ImageFormat.Png, 12_000, 3_333), _processor.Probe(TestImages.PngBomb(12_000, 3_333)));
        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, 8_000, 5_000), _processor.Probe(TestImages.JpegHeader(8_000, 5_000)));
    }

    [Theory]
    [InlineData(1200, 800, 400, 267)]
    [InlineData(300, 900, 133, 400)]
    [InlineData(120, 60, 120, 60)]
    public void Thumbnail_FitsLongSideWithoutUpscaling(int width, int height, int expectedWidth, int expectedHeight)
    {
        var stored = _processor.Reencode(TestImages.Jpeg(width, height));

        var thumbnail = _processor.Thumbnail(stored.Bytes, ImageLimits.ThumbnailMaxSide);

        Assert.Equal(ImageFormat.WebP, thumbnail.Format);
        Assert.Equal((expectedWidth, expectedHeight), (thumbnail.Width, thumbnail.Height));
        Assert.Equal(new ImageInfo(ImageFormat.WebP, expectedWidth, expectedHeight), _processor.Probe(thumbnail.Bytes));
    }

    [Fact]
    public void Thumbnail_UnsupportedInput_IsRejectedBeforeLibvipsSniffs()
    {
        var svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");

        var error = Assert.Throws<ImageRejectedException>(() => _processor.Thumbnail(svg, 400));

        Assert.Equal(UploadError.UnsupportedType, error.Error);
    }

    internal static byte[] Make(string kind, int width, int height) => kind switch
    {
        "jpeg" => TestImages.Jpeg(width, height),
        "png" => TestImages.Png(width, height),
        "png-alpha" => TestImages.Png(width, height, alpha: true),
        "webp-lossy" => TestImages.WebP(width, height),
        "webp-lossless" => TestImages.WebP(width, height, lossless: true),
        "webp-alpha" => TestImages.WebP(width, height, alpha: true),
        "tiff" => TestImages.Tiff(width, height),
        "tiff-alpha" => TestImages.Tiff(width, height, alpha: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static byte[] MakeBad(string kind)
    {
        switch (kind)
        {
            case "empty":
                return [];
            case "html":
                return "<!DOCTYPE html><html><body><script>fetch('/api/v1/keys')</script></body></html>"u8.ToArray();
            case "svg":
                return "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script><foreignObject><body xmlns=\"http://www.w3.org/1999/xhtml\"><iframe src=\"javascript:alert(2)\"/></body></foreignObject></svg>"u8.ToArray();
            case "gif":
                return TestImages.Gif(20, 20);
            case "gif-js-polyglot":
                return "GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(document.domain)//;"u8.ToArray();
            case "pdf":
                return "%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"u8.ToArray();
            case "zip":
                return [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, .. new byte[40]];
            case "avif":
            {
                using var image = TestImages.Gradient(16, 16);
                return image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1);
            }

            case "bmp":
                return [(byte)'B', (byte)'M', 0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0];
            case "bigtiff":
                return [(byte)'I', (byte)'I', 0x2B, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0];
            case "jpeg-truncated":
            {
                var jpeg = TestImages.Jpeg(400, 300);
                return jpeg[..(jpeg.Length / 2)];
            }

            case "jpeg-header-only":
            {
                var jpeg = TestImages.Jpeg(400, 300);
                return jpeg[..20];
            }

            case "jpeg-magic-then-garbage":
                return [0xFF, 0xD8, 0xFF, .. "this is not really a jpeg at all, just text"u8];
            case "png-truncated":
            {
                var png = TestImages.Png(400, 300);
                return png[..(png.Length - 200)];
            }

            case "png-bad-crc":
            {
                var png = TestImages.Png(100, 80);
                return TestImages.WithFlippedByte(png, png.Length - 20);
            }

            case "png-no-ihdr":
                return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. TestImages.PngChunk("IEND", [])];
            case "webp-truncated":
            {
                var webp = TestImages.WebP(400, 300);
                return webp[..(webp.Length / 2)];
            }

            case "png-50000x50000":
                return TestImages.PngBomb(50_000, 50_000);
            case "png-7000x7000":
                return TestImages.PngBomb(7_000, 7_000);
            case "png-12001x1":
                return TestImages.PngBomb(12_001, 1);
            case "jpeg-65500x65500":
                return TestImages.JpegHeader(65_500, 65_500);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
