using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Composition;

namespace CommerceOS.Tests.Imaging.Composition;

public sealed class MainImageTests
{
    private static readonly XmpProvenance Local = new(DigitalSourceType.CompositeSynthetic, "local", "main-image/1");
    private static readonly OutputSpec Png = new(ImageFormat.Png, Local, Watermark: false);
    private readonly LocalImageComposer _composer = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Jpeg_main_image_has_the_profile_size_and_a_pure_white_border(bool shadow)
    {
        var profile = new MainImageProfile(1000, 1000, 0.87, ShadowAllowed: true, ImageFormat.Jpeg, 10_000_000);

        var encoded = _composer.MainImage(Cutouts.Bottle(), profile, shadow, Png);

        Assert.Equal(ImageFormat.Jpeg, encoded.Format);
        var image = Cutouts.Decode(encoded.Bytes);
        Assert.Equal((1000, 1000), (image.Width, image.Height));
        Assert.All(image.Border(), p => Assert.Equal((255, 255, 255), p));
    }

    [Theory]
    [InlineData(120, 400, 0.85)]
    [InlineData(420, 140, 0.87)]
    [InlineData(260, 260, 0.90)]
    public void Product_fills_the_target_share_and_is_centred(int w, int h, double target)
    {
        var profile = new MainImageProfile(800, 800, target, ShadowAllowed: true, ImageFormat.Png, null);

        foreach (var shadow in new[] { false, true })
        {
            var image = Cutouts.Decode(_composer.MainImage(Cutouts.Product(w, h, (180, 60, 50)), profile, shadow, Png).Bytes);

            var box = image.NonWhiteBox();
            var fill = Math.Max(box.Width / 800.0, box.Height / 800.0);
            Assert.InRange(fill, target - 0.01, target + 0.01);
            Assert.InRange(box.X + (box.Width / 2.0), 400 - 8, 400 + 8);
            Assert.InRange(box.Y + (box.Height / 2.0), 400 - 8, 400 + 8);
            Assert.All(image.Border(), p => Assert.Equal((255, 255, 255), p));
        }
    }

    [Fact]
    public void Non_square_profiles_use_the_longest_relative_extent()
    {
        var profile = new MainImageProfile(900, 600, 0.85, ShadowAllowed: false, ImageFormat.Png, null);

        var image = Cutouts.Decode(_composer.MainImage(Cutouts.Product(300, 300, (20, 140, 90)), profile, false, Png).Bytes);

        var box = image.NonWhiteBox();
        Assert.Equal((900, 600), (image.Width, image.Height));
        Assert.InRange(box.Height / 600.0, 0.84, 0.86);
    }

    [Fact]
    public void A_light_product_with_black_invisible_pixels_gets_no_grey_halo()
    {
        // Flat pale product: no pixel of the result may be darker than the product itself.
        var cutout = Cutouts.Product(150, 330, (250, 232, 160), shaded: false);
        var profile = new MainImageProfile(700, 700, 0.85, ShadowAllowed: false, ImageFormat.Png, null);

        var image = Cutouts.Decode(_composer.MainImage(cutout, profile, false, Png).Bytes);

        var productLuma = (0.2126 * 250) + (0.7152 * 232) + (0.0722 * 160);
        var darkest = double.MaxValue;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.At(x, y);
                darkest = Math.Min(darkest, (0.2126 * r) + (0.7152 * g) + (0.0722 * b));
            }
        }

        Assert.True(darkest >= productLuma - 3, $"darkest pixel luma {darkest:F1} is below the product's {productLuma:F1}: a halo");
        // And the ring just outside the product is white.
        var box = image.NonWhiteBox(tolerance: 1);
        Assert.True(image.IsWhite(box.X - 2, box.Y + (box.Height / 2)));
        Assert.True(image.IsWhite(box.X + box.Width + 1, box.Y + (box.Height / 2)));
        Assert.True(image.IsWhite(box.X + (box.Width / 2), box.Y - 2));
    }

    [Fact]
    public void The_contact_shadow_darkens_the_base_only_when_the_marketplace_allows_it()
    {
        var cutout = Cutouts.Product(300, 300, (200, 200, 210), shaded: false);
        var allowed = new MainImageProfile(600, 600, 0.85, ShadowAllowed: true, ImageFormat.Png, null);
        var refused = allowed with { ShadowAllowed = false };

        var plain = Cutouts.Decode(_composer.MainImage(cutout, allowed, false, Png).Bytes);
        var shadowed = Cutouts.Decode(_composer.MainImage(cutout, allowed, true, Png).Bytes);
        var notAllowed = Cutouts.Decode(_composer.MainImage(cutout, refused, true, Png).Bytes);

        var box = plain.NonWhiteBox();
        // The rounded product leaves white corners at the bottom of its box: the shadow shows there.
        var corner = (x: box.X + (box.Width / 10), y: box.Y + box.Height - 4, w: box.Width / 8, h: 3);
        Assert.True(shadowed.MeanLuma(corner.x, corner.y, corner.w, corner.h) < plain.MeanLuma(corner.x, corner.y, corner.w, corner.h) - 3);
        Assert.Equal(0, notAllowed.MeanAbsDifference(plain));
        Assert.Equal(box, shadowed.NonWhiteBox());
    }

    [Fact]
    public void Watermark_only_when_asked_and_provenance_always()
    {
        var profile = new MainImageProfile(600, 600, 0.85, ShadowAllowed: false, ImageFormat.Png, null);
        var cutout = Cutouts.Bottle();

        var clean = _composer.MainImage(cutout, profile, false, Png);
        var marked = _composer.MainImage(cutout, profile, false, Png with { Watermark = true });

        var cleanImage = Cutouts.Decode(clean.Bytes);
        var markedImage = Cutouts.Decode(marked.Bytes);
        // The left strip is white background on the clean image; the mark tiles the whole frame.
        Assert.Equal(255, Darkest(cleanImage, 60));
        Assert.True(Darkest(markedImage, 60) < 235);
        Assert.Equal(Local, ImageOutput.ReadProvenance(clean.Bytes));
        Assert.Equal(Local, ImageOutput.ReadProvenance(marked.Bytes));
    }

    [Fact]
    public void A_fully_transparent_cutout_is_refused()
    {
        var empty = new RgbaImage(20, 20, new byte[20 * 20 * 4]);
        var profile = new MainImageProfile(600, 600, 0.85, ShadowAllowed: false, ImageFormat.Png, null);

        Assert.Throws<ArgumentException>(() => _composer.MainImage(empty, profile, false, Png));
    }

    private static int Darkest(Rgb8 image, int stripWidth)
    {
        var darkest = 255;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < stripWidth; x++)
            {
                var (r, g, b) = image.At(x, y);
                darkest = Math.Min(darkest, Math.Min(r, Math.Min(g, b)));
            }
        }

        return darkest;
    }
}
