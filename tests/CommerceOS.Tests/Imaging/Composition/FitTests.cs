using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Composition;
using CommerceOS.Tests.Assets;

namespace CommerceOS.Tests.Imaging.Composition;

public sealed class FitTests
{
    private static readonly XmpProvenance Source = new(DigitalSourceType.CompositeSynthetic, "local", "main-image/1");
    private static readonly XmpProvenance Fallback = new(DigitalSourceType.AlgorithmicMedia, "local", "variants/1");
    private readonly LocalImageComposer _composer = new();

    [Theory]
    [InlineData(1200, 600)]
    [InlineData(600, 900)]
    public void A_white_main_image_is_extended_with_white_and_keeps_its_fill(int width, int height)
    {
        var main = _composer.MainImage(Cutouts.Product(200, 300, (90, 40, 140)), new MainImageProfile(800, 800, 0.85, false, ImageFormat.Jpeg, null), false,
            new OutputSpec(ImageFormat.Jpeg, Source, false));

        var fitted = _composer.Fit(main.Bytes, width, height, new OutputSpec(ImageFormat.Jpeg, Fallback, false));

        var image = Cutouts.Decode(fitted.Bytes);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.All(image.Border(), p => Assert.Equal((255, 255, 255), p));
        var box = image.NonWhiteBox();
        Assert.InRange(Math.Max(box.Width / (double)width, box.Height / (double)height), 0.84, 0.865);
        Assert.InRange(box.X + (box.Width / 2.0), (width / 2.0) - 6, (width / 2.0) + 6);
    }

    [Fact]
    public void Fit_keeps_the_source_provenance_and_uses_the_fallback_only_without_one()
    {
        var main = _composer.MainImage(Cutouts.Bottle(), new MainImageProfile(600, 600, 0.85, false, ImageFormat.Png, null), false,
            new OutputSpec(ImageFormat.Png, Source, false));

        var kept = _composer.Fit(main.Bytes, 400, 300, new OutputSpec(ImageFormat.WebP, Fallback, false));
        var plain = _composer.Fit(TestImages.Jpeg(300, 200), 200, 200, new OutputSpec(ImageFormat.Jpeg, Fallback, false));

        Assert.Equal(ImageFormat.WebP, kept.Format);
        Assert.Equal(Source, ImageOutput.ReadProvenance(kept.Bytes));
        Assert.Equal(Fallback, ImageOutput.ReadProvenance(plain.Bytes));
    }

    [Fact]
    public void A_busy_image_is_cover_cropped_to_the_requested_size_without_distortion()
    {
        // Red follows x, green follows y across the whole 800 x 600 source.
        var busy = TestImages.Jpeg(800, 600);

        var fitted = _composer.Fit(busy, 300, 300, new OutputSpec(ImageFormat.Png, Fallback, false));

        var image = Cutouts.Decode(fitted.Bytes);
        Assert.Equal((300, 300), (image.Width, image.Height));
        // Full height kept (green spans 0..255), width cropped to 3/4 of the source (red spans ~191 levels): same scale both ways.
        var greenSpan = image.At(150, 299).G - image.At(150, 0).G;
        var redSpan = image.At(299, 150).R - image.At(0, 150).R;
        Assert.InRange(greenSpan, 240, 256);
        Assert.InRange(redSpan, 175, 205);
    }

    [Fact]
    public void Fit_refuses_bytes_that_are_not_an_image()
    {
        Assert.Throws<ImageRejectedException>(() => _composer.Fit("GIF89a not really"u8.ToArray(), 100, 100, new OutputSpec(ImageFormat.Png, Fallback, false)));
    }
}
