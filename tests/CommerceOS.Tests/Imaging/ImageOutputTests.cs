using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging;
using CommerceOS.Tests.Assets;
using NetVips;

namespace CommerceOS.Tests.Imaging;

public sealed class ImageOutputTests
{
    private static readonly XmpProvenance Local = new(DigitalSourceType.CompositeSynthetic, "local", "main-image/1");

    [Theory]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.WebP)]
    public void Every_format_carries_the_digital_source_type_in_xmp(ImageFormat format)
    {
        using var image = TestImages.Gradient(64, 48);
        var encoded = ImageOutput.Encode(image, new OutputSpec(format, new XmpProvenance(DigitalSourceType.CompositeWithTrainedAlgorithmicMedia, "flux", "flux-kontext-pro"), Watermark: false));

        Assert.Equal(format, encoded.Format);
        Assert.Equal((64, 48), (encoded.Width, encoded.Height));
        var read = ImageOutput.ReadProvenance(encoded.Bytes);
        Assert.Equal(new XmpProvenance(DigitalSourceType.CompositeWithTrainedAlgorithmicMedia, "flux", "flux-kontext-pro"), read);
    }

    [Fact]
    public void Xmp_escapes_the_model_name()
    {
        var xmp = ImageOutput.BuildXmp(new XmpProvenance(DigitalSourceType.TrainedAlgorithmicMedia, "fal", "a\"<b>&c"));

        Assert.Equal("a\"<b>&c", ImageOutput.ParseXmp(xmp)!.Model);
        Assert.Contains("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", System.Text.Encoding.UTF8.GetString(xmp), StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_without_our_xmp_has_no_provenance()
    {
        using var image = TestImages.Gradient(32, 32);
        Assert.Null(ImageOutput.ReadProvenance(image.JpegsaveBuffer()));
    }

    [Fact]
    public void Watermark_darkens_a_white_image_across_the_whole_frame()
    {
        using var white = Image.Black(800, 800, bands: 3).NewFromImage(255, 255, 255).Cast(Enums.BandFormat.Uchar);
        var plain = ImageOutput.Encode(white, new OutputSpec(ImageFormat.Png, Local, Watermark: false));
        var marked = ImageOutput.Encode(white, new OutputSpec(ImageFormat.Png, Local, Watermark: true));

        using var plainImage = Image.NewFromBuffer(plain.Bytes);
        using var markedImage = Image.NewFromBuffer(marked.Bytes);
        Assert.Equal(255, plainImage.Min());
        // Every quadrant carries part of the mark, so a crop cannot remove it.
        foreach (var (x, y) in new[] { (0, 0), (400, 0), (0, 400), (400, 400) })
        {
            using var quadrant = markedImage.ExtractArea(x, y, 400, 400);
            Assert.True(quadrant.Min() < 230, $"quadrant {x},{y} has no mark");
        }

        Assert.True(markedImage.Avg() > 200, "the mark must stay translucent");
    }

    [Fact]
    public void Jpeg_over_the_byte_limit_is_reencoded_smaller_at_the_same_size()
    {
        using var noise = Image.Gaussnoise(1200, 1200, mean: 128, sigma: 60).Cast(Enums.BandFormat.Uchar);
        using var rgb = noise.Bandjoin([noise, noise]).Copy(interpretation: Enums.Interpretation.Srgb);
        var unlimited = ImageOutput.Encode(rgb, new OutputSpec(ImageFormat.Jpeg, Local, Watermark: false));
        var limit = unlimited.Bytes.Length * 3 / 4;

        var limited = ImageOutput.Encode(rgb, new OutputSpec(ImageFormat.Jpeg, Local, Watermark: false, MaxBytes: limit));

        Assert.True(limited.Bytes.Length <= limit, $"{limited.Bytes.Length} > {limit}");
        Assert.Equal((1200, 1200), (limited.Width, limited.Height));
        Assert.NotNull(ImageOutput.ReadProvenance(limited.Bytes));
    }

    [Fact]
    public void Rgba_round_trips_through_libvips()
    {
        var pixels = new byte[3 * 2 * 4];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 10);
        }

        var source = new RgbaImage(3, 2, pixels);
        using var vips = RgbaInterop.ToVips(source);
        var back = RgbaInterop.FromVips(vips);

        Assert.Equal(pixels, back.Pixels);
        using var rgb = vips.ExtractBand(0, n: 3);
        Assert.Equal(255, RgbaInterop.FromVips(rgb).Pixels[3]);
    }
}
