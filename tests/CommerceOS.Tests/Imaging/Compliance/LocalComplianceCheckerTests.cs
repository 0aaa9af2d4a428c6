using System.Text;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Compliance;
using CommerceOS.Engines.Imaging;
using CommerceOS.Tests.Assets;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace CommerceOS.Tests.Imaging.Compliance;

public sealed class LocalComplianceCheckerTests
{
    private static readonly MarketplaceCatalog Catalog = new();
    private static readonly MarketplaceProfile Amazon = Catalog.Find("amazon")!;
    private static readonly MarketplaceProfile Shopee = Catalog.Find("shopee")!;
    private static readonly MarketplaceProfile Taobao = Catalog.Find("taobao")!;

    private readonly LocalComplianceChecker _checker = new();

    [Fact]
    public void A_white_2000_square_with_an_88_percent_product_passes_amazon()
    {
        var report = _checker.Check(Png(ComplianceImages.Product(2000, 2000, 0.88)), Amazon);

        Assert.True(report.Passed);
        Assert.Equal("amazon", report.Marketplace);
        Assert.All(report.Rules, r => Assert.True(r.Passed, $"{r.Kind} failed: {r.Measured} {r.MeasuredText}"));
        Assert.Equal(0.88, Rule(report, RuleKinds.Fill).Measured!.Value, 0.01);
        Assert.Equal(0, Rule(report, RuleKinds.Background).Measured);
        Assert.Equal("png", Rule(report, RuleKinds.Format).MeasuredText);
    }

    [Fact]
    public void An_off_white_254_254_253_background_fails_with_the_worst_pixel()
    {
        var report = _checker.Check(Png(ComplianceImages.Product(800, 800, 0.88, [254, 254, 253])), Amazon);

        var background = Rule(report, RuleKinds.Background);
        Assert.False(background.Passed);
        Assert.Equal("254,254,253", background.MeasuredText);
        Assert.Equal(1.0, background.Measured);
        Assert.True(background.Fixable);
        Assert.False(report.Passed);
        // The product is still found on the off-white background.
        Assert.Equal(0.88, Rule(report, RuleKinds.Fill).Measured!.Value, 0.01);
    }

    [Fact]
    public void A_product_at_70_percent_fails_fill_with_the_measured_fraction()
    {
        var report = _checker.Check(Jpeg(ComplianceImages.Product(1000, 1000, 0.70)), Amazon);

        var fill = Rule(report, RuleKinds.Fill);
        Assert.False(fill.Passed);
        Assert.Equal(0.70, fill.Measured!.Value, 0.01);
        Assert.Equal(0.85, fill.Min);
        Assert.True(fill.Fixable);
        Assert.False(report.Passed);
    }

    [Fact]
    public void A_landscape_photo_fails_aspect_only_where_square_is_required()
    {
        var bytes = Jpeg(ComplianceImages.Product(1500, 1000, 0.6));

        var shopee = _checker.Check(bytes, Shopee);
        var aspect = Rule(shopee, RuleKinds.Aspect);
        Assert.False(aspect.Passed);
        Assert.Equal(1.5, aspect.Measured);
        Assert.Equal(RuleSeverity.Error, aspect.Severity);
        Assert.False(shopee.Passed);

        // Taobao's square rule is prototype data, a warning: the rule fails but the report does not.
        var taobao = _checker.Check(bytes, Taobao);
        Assert.False(Rule(taobao, RuleKinds.Aspect).Passed);
        Assert.DoesNotContain(taobao.Rules, r => r.Kind == RuleKinds.Aspect && r.Severity == RuleSeverity.Error);

        // Amazon has no aspect rule.
        Assert.DoesNotContain(_checker.Check(bytes, Amazon).Rules, r => r.Kind == RuleKinds.Aspect);
    }

    [Fact]
    public void Transparency_counts_as_not_white()
    {
        var report = _checker.Check(Png(ComplianceImages.TransparentProduct(800, 800, 0.88)), Amazon);

        var background = Rule(report, RuleKinds.Background);
        Assert.False(background.Passed);
        Assert.Equal(1.0, background.Measured);
        Assert.Equal("0,0,0,alpha 0", background.MeasuredText);
        Assert.True(background.Fixable);
        // Transparent areas are background when finding the product.
        Assert.Equal(0.88, Rule(report, RuleKinds.Fill).Measured!.Value, 0.01);
    }

    [Fact]
    public void A_cmyk_jpeg_fails_colour_space()
    {
        using var product = ComplianceImages.Product(600, 600, 0.88);
        using var cmyk = product.Colourspace(Enums.Interpretation.Cmyk);

        var report = _checker.Check(cmyk.JpegsaveBuffer(q: 92), Amazon);

        var colour = Rule(report, RuleKinds.ColourSpace);
        Assert.False(colour.Passed);
        Assert.Equal("cmyk", colour.MeasuredText);
        Assert.True(colour.Fixable);
        // The pixels are still measured after conversion to sRGB.
        Assert.Equal(0.88, Rule(report, RuleKinds.Fill).Measured!.Value, 0.01);
    }

    [Fact]
    public void A_wide_gamut_icc_profile_fails_colour_space_and_srgb_tagged_passes()
    {
        using var product = ComplianceImages.Product(400, 400, 0.88);
        using var p3 = product.IccTransform("p3");
        using var tagged = product.IccTransform("srgb");

        var wide = Rule(_checker.Check(p3.PngsaveBuffer(), Amazon), RuleKinds.ColourSpace);
        var srgb = Rule(_checker.Check(tagged.PngsaveBuffer(), Amazon), RuleKinds.ColourSpace);

        Assert.False(wide.Passed);
        Assert.StartsWith("icc:", wide.MeasuredText, StringComparison.Ordinal);
        Assert.True(srgb.Passed, srgb.MeasuredText);
    }

    [Fact]
    public void A_file_over_2_mb_fails_shopee_file_size()
    {
        var bytes = StoredPng(ComplianceImages.Product(1024, 1024, 0.88));
        Assert.True(bytes.Length > 2_000_000, $"test image is only {bytes.Length} bytes");

        var size = Rule(_checker.Check(bytes, Shopee), RuleKinds.FileSize);

        Assert.False(size.Passed);
        Assert.Equal(bytes.Length, size.Measured);
        Assert.Equal(2_000_000, size.Max);
        Assert.True(size.Fixable);
    }

    [Fact]
    public void Amazon_size_rules_use_the_longest_side()
    {
        // 1200x450: the longest side clears 1,000 px (zoom) although the shortest is under 500.
        var report = _checker.Check(Jpeg(ComplianceImages.Product(1200, 450, 0.5)), Amazon);

        Assert.All(report.Rules.Where(r => r.Kind == RuleKinds.MinLongSide), r => Assert.True(r.Passed));
        Assert.Equal(1200, report.Rules.First(r => r.Kind == RuleKinds.MinLongSide).Measured);
        Assert.False(Rule(_checker.Check(Jpeg(ComplianceImages.Product(480, 300, 0.5)), Amazon), RuleKinds.MinLongSide, RuleSeverity.Error).Passed);
    }

    [Fact]
    public void A_shadow_counts_as_footprint_only_when_it_touches_the_product()
    {
        var touching = Rule(_checker.Check(Png(ComplianceImages.ProductWithShadow(1000, touching: true)), Amazon), RuleKinds.Fill);
        var detached = Rule(_checker.Check(Png(ComplianceImages.ProductWithShadow(1000, touching: false)), Amazon), RuleKinds.Fill);

        Assert.Equal(0.70, detached.Measured!.Value, 0.01);
        Assert.True(touching.Measured > 0.75, $"touching shadow measured {touching.Measured}");
    }

    [Fact]
    public void A_busy_photo_has_no_background_and_no_fill()
    {
        var report = _checker.Check(Jpeg(ComplianceImages.Busy(1000, 1000)), Amazon);

        var fill = Rule(report, RuleKinds.Fill);
        Assert.False(fill.Passed);
        Assert.Null(fill.Measured);
        Assert.Equal("no plain background found", fill.MeasuredText);
        Assert.False(fill.Fixable);
        Assert.False(Rule(report, RuleKinds.Background).Fixable);
    }

    [Fact]
    public void The_overlay_marks_exactly_the_offending_border_pixels()
    {
        const int Size = 400;
        using var product = ComplianceImages.Product(Size, Size, 0.88);
        // Band = max(2, 1% of 400) = 4 px. Three offending pixels inside it, one off-white pixel outside it.
        var offending = new[] { (0, 0), (150, 2), (397, 300) };
        using var marked = product.Mutate(m =>
        {
            foreach (var (x, y) in offending)
            {
                m.DrawRect([254, 254, 253], x, y, 1, 1, fill: true);
            }

            m.DrawRect([250, 250, 250], 10, 200, 1, 1, fill: true);
        });

        var overlay = _checker.RenderOverlay(Png(marked), Amazon);

        Assert.Equal((ImageFormat.Png, Size, Size), (overlay.Format, overlay.Width, overlay.Height));
        var magenta = MagentaPixels(overlay.Bytes);
        Assert.Equal(offending.Order(), magenta.Order());
    }

    [Fact]
    public void The_overlay_of_a_clean_image_has_no_magenta_and_a_green_box_for_a_passing_fill()
    {
        var clean = _checker.RenderOverlay(Png(ComplianceImages.Product(400, 400, 0.88)), Amazon);
        var small = _checker.RenderOverlay(Png(ComplianceImages.Product(400, 400, 0.60)), Amazon);

        Assert.Empty(MagentaPixels(clean.Bytes));
        // The product box is outlined just outside its left edge, at mid height.
        Assert.Equal(Pixel(clean.Bytes, (int)(200 - (0.88 * 200)) - 1, 200), [0, 200, 70]);
        Assert.Equal(Pixel(small.Bytes, (int)(200 - (0.60 * 200)) - 1, 200), [230, 30, 30]);
        // Everything else is dimmed grey.
        var centre = Pixel(clean.Bytes, 200, 200);
        Assert.True(centre[0] == centre[1] && centre[1] == centre[2] && centre[0] < 255);
    }

    public static TheoryData<string> FailingCases => new(["off-white", "small-product", "landscape", "transparent", "cmyk", "too-large"]);

    [Theory]
    [MemberData(nameof(FailingCases))]
    public void Fix_turns_a_failing_image_into_a_passing_one(string name)
    {
        var (bytes, marketplace, kind) = Case(name);
        var before = _checker.Check(bytes, marketplace);
        Assert.Contains(before.Rules, r => r.Kind == kind && !r.Passed);

        var fix = _checker.Fix(bytes, marketplace);

        Assert.NotNull(fix);
        Assert.Contains(kind, fix.Applied);
        Assert.True(fix.After.Passed, string.Join("; ", fix.After.Rules.Where(r => !r.Passed).Select(r => $"{r.Kind} {r.Measured} {r.MeasuredText}")));
        Assert.All(fix.After.Rules.Where(r => r.Kind == kind), r => Assert.True(r.Passed));
        Assert.Equal(marketplace.Main.Format, fix.Image.Format);
        Assert.True(fix.Image.Bytes.LongLength <= marketplace.Main.MaxBytes);
        Assert.Equal(LocalComplianceChecker.FixProvenance, ImageOutput.ReadProvenance(fix.Image.Bytes));

        // Independently of the checker: the whole border is pure white and the file is plain sRGB.
        using var decoded = Image.NewFromBuffer(fix.Image.Bytes);
        Assert.Equal(Enums.Interpretation.Srgb, decoded.Interpretation);
        Assert.Equal(3, decoded.Bands);
        var band = Math.Max(2, (int)Math.Round(0.01 * Math.Min(decoded.Width, decoded.Height)));
        foreach (var (x, y, w, h) in new[] { (0, 0, decoded.Width, band), (0, decoded.Height - band, decoded.Width, band), (0, 0, band, decoded.Height), (decoded.Width - band, 0, band, decoded.Height) })
        {
            using var strip = decoded.ExtractArea(x, y, w, h);
            Assert.Equal(255, strip.Min());
        }
    }

    public static TheoryData<string> AllMarketplaces => new(Catalog.All.Select(m => m.Id));

    [Theory]
    [MemberData(nameof(AllMarketplaces))]
    public void A_fixed_image_passes_every_rule_of_every_marketplace_including_warnings(string id)
    {
        // Off-white, landscape, small product: something fails everywhere (aspect, size or fill).
        var marketplace = Catalog.Find(id)!;
        var bytes = Jpeg(ComplianceImages.Product(700, 490, 0.55, [248, 248, 246]));

        var fix = _checker.Fix(bytes, marketplace);

        Assert.NotNull(fix);
        Assert.Equal((marketplace.Main.Width, marketplace.Main.Height), (fix.Image.Width, fix.Image.Height));
        Assert.All(fix.After.Rules, r => Assert.True(r.Passed, $"{id} {r.Kind} ({r.Severity}) measured {r.Measured} {r.MeasuredText}"));
        var product = IndependentFill(fix.Image.Bytes);
        Assert.Equal(marketplace.Main.TargetFill, product, 0.01);
    }

    [Fact]
    public void Fix_rescales_a_small_product_to_the_target_fill_and_keeps_its_pixels()
    {
        using var original = ComplianceImages.Product(2000, 2000, 0.70);

        var fix = _checker.Fix(original.PngsaveBuffer(compression: 1), Amazon)!;

        Assert.Equal([RuleKinds.Fill], fix.Applied);
        Assert.Equal((2000, 2000), (fix.Image.Width, fix.Image.Height));
        // Measured independently: the non-white extent of the fixed image.
        using var decoded = Image.NewFromBuffer(fix.Image.Bytes);
        var (left, width) = NonWhiteExtent(decoded);
        Assert.Equal(0.88, width / 2000.0, 0.01);
        Assert.Equal(1000, left + (width / 2.0), 3);
        // The product's own pixels: the fixed centre equals the original product, scaled by 0.88/0.70.
        using var originalCentre = original.ExtractArea(900, 960, 200, 80);
        using var scaledOriginal = originalCentre.Resize(0.88 / 0.70);
        using var fixedCentre = decoded.ExtractArea(1000 - (scaledOriginal.Width / 2), 1000 - (scaledOriginal.Height / 2), scaledOriginal.Width, scaledOriginal.Height);
        Assert.True(ComplianceImages.MeanDifference(scaledOriginal, fixedCentre) < 4);
    }

    [Fact]
    public void Fix_whitens_the_background_without_moving_or_changing_the_product()
    {
        using var original = ComplianceImages.Product(1000, 1000, 0.88, [250, 251, 249]);

        var fix = _checker.Fix(original.PngsaveBuffer(compression: 1), Amazon)!;

        Assert.Equal([RuleKinds.Background], fix.Applied);
        using var decoded = Image.NewFromBuffer(fix.Image.Bytes);
        Assert.Equal((1000, 1000), (decoded.Width, decoded.Height));
        using var before = original.ExtractArea(250, 400, 500, 200);
        using var after = decoded.ExtractArea(250, 400, 500, 200);
        Assert.True(ComplianceImages.MeanDifference(before, after) < 2);
        using var corner = decoded.ExtractArea(0, 0, 100, 100);
        Assert.Equal(255, corner.Min());
    }

    [Fact]
    public void Fix_returns_null_for_a_passing_image()
    {
        Assert.Null(_checker.Fix(Png(ComplianceImages.Product(1000, 1000, 0.88)), Amazon));
    }

    [Fact]
    public void Fix_returns_null_for_a_busy_photo_instead_of_framing_it_in_white()
    {
        var bytes = Jpeg(ComplianceImages.Busy(1000, 1000));
        Assert.False(_checker.Check(bytes, Amazon).Passed);

        Assert.Null(_checker.Fix(bytes, Amazon));
    }

    public static TheoryData<string> Refused => new(["svg", "gif", "garbage", "empty"]);

    [Theory]
    [MemberData(nameof(Refused))]
    public void Unsupported_or_broken_input_is_refused_before_decoding(string kind)
    {
        var bytes = kind switch
        {
            "svg" => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"),
            "gif" => TestImages.Gif(40, 40),
            "garbage" => [0xFF, 0xD8, 0xFF, 0x00, 0x01, 0x02, 0x03],
            _ => [],
        };

        Assert.Throws<ImageRejectedException>(() => _checker.Check(bytes, Amazon));
        Assert.Throws<ImageRejectedException>(() => _checker.RenderOverlay(bytes, Amazon));
        Assert.Throws<ImageRejectedException>(() => _checker.Fix(bytes, Amazon));
    }

    [Fact]
    public void A_truncated_jpeg_is_refused()
    {
        var bytes = Jpeg(ComplianceImages.Product(400, 400, 0.8));

        var error = Assert.Throws<ImageRejectedException>(() => _checker.Check(bytes[..(bytes.Length / 2)], Amazon));
        Assert.Equal(UploadError.Corrupt, error.Error);
    }

    [Fact]
    public void AddLocalCompliance_registers_the_checker()
    {
        using var provider = new ServiceCollection().AddLocalCompliance().BuildServiceProvider();

        Assert.IsType<LocalComplianceChecker>(provider.GetRequiredService<IComplianceChecker>());
    }

    private static (byte[] Bytes, MarketplaceProfile Marketplace, string Kind) Case(string name)
    {
        switch (name)
        {
            case "off-white":
                return (Png(ComplianceImages.Product(1000, 1000, 0.88, [254, 254, 253])), Amazon, RuleKinds.Background);
            case "small-product":
                return (Jpeg(ComplianceImages.Product(1000, 1000, 0.70)), Amazon, RuleKinds.Fill);
            case "landscape":
                return (Jpeg(ComplianceImages.Product(1500, 1000, 0.6)), Shopee, RuleKinds.Aspect);
            case "transparent":
                return (Png(ComplianceImages.TransparentProduct(1000, 1000, 0.88)), Amazon, RuleKinds.Background);
            case "cmyk":
                using (var product = ComplianceImages.Product(1000, 1000, 0.88))
                using (var cmyk = product.Colourspace(Enums.Interpretation.Cmyk))
                {
                    return (cmyk.JpegsaveBuffer(q: 92), Amazon, RuleKinds.ColourSpace);
                }

            case "too-large":
                return (StoredPng(ComplianceImages.Product(1024, 1024, 0.88)), Shopee, RuleKinds.FileSize);
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    private static RuleResult Rule(ComplianceReport report, string kind, RuleSeverity severity = RuleSeverity.Error) =>
        report.Rules.Where(r => r.Kind == kind).OrderBy(r => r.Severity == severity ? 0 : 1).First();

    private static byte[] Png(Image image)
    {
        using (image)
        {
            return image.PngsaveBuffer(compression: 1);
        }
    }

    /// <summary>An uncompressed PNG (compression 0), as some editors export: large whatever the content.</summary>
    private static byte[] StoredPng(Image image)
    {
        using (image)
        {
            return image.PngsaveBuffer(compression: 0);
        }
    }

    private static byte[] Jpeg(Image image)
    {
        using (image)
        {
            return image.JpegsaveBuffer(q: 90);
        }
    }

    private static List<(int X, int Y)> MagentaPixels(byte[] png)
    {
        using var image = Image.NewFromBuffer(png);
        var pixels = image.WriteToMemory<byte>();
        var found = new List<(int, int)>();
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            if (pixels[i * 3] == 255 && pixels[(i * 3) + 1] == 0 && pixels[(i * 3) + 2] == 255)
            {
                found.Add((i % image.Width, i / image.Width));
            }
        }

        return found;
    }

    private static byte[] Pixel(byte[] png, int x, int y)
    {
        using var image = Image.NewFromBuffer(png);
        return [.. image.Getpoint(x, y).Select(v => (byte)v)];
    }

    /// <summary>The product's longest-axis extent over the frame, from the non-white rows and columns (not the checker's code).</summary>
    private static double IndependentFill(byte[] encoded)
    {
        using var image = Image.NewFromBuffer(encoded);
        var (_, width) = NonWhiteExtent(image);
        using var rotated = image.Rot90();
        var (_, height) = NonWhiteExtent(rotated);
        return Math.Max((double)width / image.Width, (double)height / image.Height);
    }

    /// <summary>Left edge and width of the columns holding any pixel darker than 240 (the product).</summary>
    private static (int Left, int Width) NonWhiteExtent(Image image)
    {
        using var grey = image.Colourspace(Enums.Interpretation.Bw);
        using var dark = grey < 240;
        var projections = dark.Project();
        using var columns = (Image)projections[0];
        using var rows = (Image)projections[1];
        using var asDouble = columns.Cast(Enums.BandFormat.Double);
        var sums = asDouble.WriteToMemory<double>();
        var left = Array.FindIndex(sums, s => s > 0);
        var right = Array.FindLastIndex(sums, s => s > 0);
        return (left, right - left + 1);
    }
}
