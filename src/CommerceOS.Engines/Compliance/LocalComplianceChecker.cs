using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Imaging;
using NetVips;

namespace CommerceOS.Engines.Compliance;

/// <summary>
/// <see cref="IComplianceChecker"/> on libvips. Measures every main-image rule of a marketplace on
/// any image (ours or a seller's own), draws where it fails, and fixes what can be fixed without
/// inventing pixels: whiten a near-white background, re-scale and re-pad the product onto the
/// marketplace's canvas, convert to sRGB, re-encode within the size limit.
/// </summary>
public sealed class LocalComplianceChecker : IComplianceChecker
{
    public static readonly XmpProvenance FixProvenance = new(DigitalSourceType.CompositeSynthetic, "local", "compliance-fix/1");

    public static readonly XmpProvenance OverlayProvenance = new(DigitalSourceType.AlgorithmicMedia, "local", "compliance-overlay/1");

    public const int FixQuality = 90;

    private static readonly double[] White = [255, 255, 255];

    private static readonly byte[] Magenta = [255, 0, 255];
    private static readonly byte[] Pass = [0, 200, 70];
    private static readonly byte[] Fail = [230, 30, 30];
    private static readonly byte[] FrameLine = [0, 170, 230];

    private static readonly HashSet<string> GeometryKinds =
        [RuleKinds.Fill, RuleKinds.Aspect, RuleKinds.MinSide, RuleKinds.MinLongSide, RuleKinds.MaxSide];

    public ComplianceReport Check(byte[] image, MarketplaceProfile marketplace)
    {
        ArgumentNullException.ThrowIfNull(marketplace);
        using var decoded = ComplianceImage.Decode(image);
        return Evaluate(decoded, ComplianceMeasurer.Measure(decoded), marketplace);
    }

    public EncodedImage RenderOverlay(byte[] image, MarketplaceProfile marketplace)
    {
        ArgumentNullException.ThrowIfNull(marketplace);
        using var decoded = ComplianceImage.Decode(image);
        var measured = ComplianceMeasurer.Measure(decoded);
        var report = Evaluate(decoded, measured, marketplace);
        var fillRules = report.Rules.Where(r => r.Kind == RuleKinds.Fill).ToList();
        var fillPassed = fillRules.All(r => r.Passed);
        var requiredFill = fillRules.Select(r => r.Min).Where(min => min is not null).Max();

        var pixels = RgbaInterop.FromVips(decoded.Srgb).Pixels;
        var (w, h) = (decoded.Width, decoded.Height);
        var output = new byte[w * h * 3];

        // Greyed and dimmed, so every colour on top reads as a marking.
        for (int p = 0, i = 0, o = 0; p < w * h; p++, i += 4, o += 3)
        {
            var luma = ((0.299 * pixels[i]) + (0.587 * pixels[i + 1]) + (0.114 * pixels[i + 2])) * pixels[i + 3] / 255.0;
            var grey = (byte)(70 + (luma * 0.6));
            output[o] = output[o + 1] = output[o + 2] = grey;
        }

        // The margin the fill rule leaves: the product's longest axis must reach into this band.
        if (requiredFill is { } fill and > 0 and < 1)
        {
            var inner = Centred(w, h, fill);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    if (x < inner.Left || x >= inner.Left + inner.Width || y < inner.Top || y >= inner.Top + inner.Height)
                    {
                        var o = ((y * w) + x) * 3;
                        var g = output[o];
                        output[o] = (byte)(g * 0.55);
                        output[o + 1] = (byte)((g * 0.55) + 35);
                        output[o + 2] = (byte)((g * 0.55) + 95);
                    }
                }
            }

            Outline(output, w, h, inner, Thickness(w, h) / 2, FrameLine);
        }

        if (measured.Product is { } product)
        {
            Outline(output, w, h, product, Thickness(w, h), fillPassed ? Pass : Fail);
        }

        // Last, so the magenta marks are exactly the offending border pixels and nothing else.
        foreach (var strip in ComplianceMeasurer.BorderStrips(w, h, measured.BorderBand))
        {
            for (var y = strip.Top; y < strip.Top + strip.Height; y++)
            {
                for (var x = strip.Left; x < strip.Left + strip.Width; x++)
                {
                    var p = (y * w) + x;
                    if (ComplianceMeasurer.IsOffending(pixels.AsSpan(p * 4, 4)))
                    {
                        Magenta.CopyTo(output, p * 3);
                    }
                }
            }
        }

        using var memory = Image.NewFromMemoryCopy(output, w, h, 3, Enums.BandFormat.Uchar);
        using var srgb = memory.Copy(interpretation: Enums.Interpretation.Srgb);
        return ImageOutput.Encode(srgb, new OutputSpec(ImageFormat.Png, OverlayProvenance, Watermark: false));
    }

    public ComplianceFix? Fix(byte[] image, MarketplaceProfile marketplace)
    {
        ArgumentNullException.ThrowIfNull(marketplace);
        using var decoded = ComplianceImage.Decode(image);
        var measured = ComplianceMeasurer.Measure(decoded);
        var before = Evaluate(decoded, measured, marketplace);
        var failing = before.Rules.Where(r => !r.Passed).Select(r => r.Kind).ToHashSet(StringComparer.Ordinal);
        if (failing.Count == 0)
        {
            return null;
        }

        var applied = new List<string>();
        using var owned = new VipsScope();
        var working = decoded.Srgb;
        if (failing.Contains(RuleKinds.ColourSpace))
        {
            // Already done: the decoded pixels are sRGB; the re-encode below writes them.
            applied.Add(RuleKinds.ColourSpace);
        }

        var geometry = failing.Where(GeometryKinds.Contains).ToList();
        var pixelsNeeded = failing.Contains(RuleKinds.Background) || geometry.Count > 0;
        if (pixelsNeeded && measured.CanCompose)
        {
            working = Whiten(working, owned);
            if (failing.Contains(RuleKinds.Background))
            {
                applied.Add(RuleKinds.Background);
            }

            if (geometry.Count > 0)
            {
                working = Recompose(working, measured.Product!.Value, marketplace.Main, owned);
                applied.AddRange(RuleKinds.All.Where(geometry.Contains));
            }
        }

        // Without a plain background, a re-pad would frame a lifestyle photo in white and call it
        // compliant: only the encoding-level fixes apply, and the After report keeps the failures.
        foreach (var kind in new[] { RuleKinds.Format, RuleKinds.FileSize })
        {
            if (failing.Contains(kind) && before.Rules.Any(r => r.Kind == kind && !r.Passed && r.Fixable))
            {
                applied.Add(kind);
            }
        }

        if (applied.Count == 0)
        {
            return null;
        }

        if (working.HasAlpha())
        {
            working = owned.Add(working.Flatten(background: [255, 255, 255]));
            working = owned.Add(working.Cast(Enums.BandFormat.Uchar));
        }

        var encoded = ImageOutput.Encode(working, new OutputSpec(marketplace.Main.Format, FixProvenance, Watermark: false, FixQuality, marketplace.Main.MaxBytes));
        return new ComplianceFix(encoded, applied, Check(encoded.Bytes, marketplace));
    }

    private static ComplianceReport Evaluate(ComplianceImage image, ComplianceMeasurements m, MarketplaceProfile marketplace)
    {
        var results = marketplace.MainImageRules.Select(rule => Evaluate(rule, image, m, marketplace.Main)).ToList();
        return new ComplianceReport(marketplace.Id, results.All(r => r.Passed || r.Severity != RuleSeverity.Error), results);
    }

    private static RuleResult Evaluate(ImageRule rule, ComplianceImage image, ComplianceMeasurements m, MainImageProfile main)
    {
        var shortSide = Math.Min(m.Width, m.Height);
        var longSide = Math.Max(m.Width, m.Height);
        var format = image.Format.ToString().ToLowerInvariant();
        return rule.Kind switch
        {
            RuleKinds.Background => Result(rule, m.NonWhiteShare <= (rule.Max ?? 0), m.NonWhiteShare, m.WorstBorderPixel, m.CanCompose),
            RuleKinds.Fill => m.Fill is { } fill
                ? Result(rule, Within(fill, rule.Min, rule.Max), Math.Round(fill, 4), null, m.CanCompose)
                : Result(rule, false, null, m.BackgroundFound ? "no product found" : "no plain background found", false),
            RuleKinds.MinSide => Result(rule, shortSide >= rule.Min, shortSide, $"{m.Width}x{m.Height}", m.CanCompose),
            RuleKinds.MinLongSide => Result(rule, longSide >= rule.Min, longSide, $"{m.Width}x{m.Height}", m.CanCompose),
            RuleKinds.MaxSide => Result(rule, longSide <= rule.Max, longSide, $"{m.Width}x{m.Height}", m.CanCompose),
            RuleKinds.Aspect => Result(
                rule,
                Within((double)m.Width / m.Height, rule.Min - MarketplaceCatalog.AspectTolerance, rule.Max + MarketplaceCatalog.AspectTolerance),
                Math.Round((double)m.Width / m.Height, 4),
                $"{m.Width}x{m.Height}",
                m.CanCompose),
            RuleKinds.Format => Result(rule, Allowed(rule, format), null, format, Allowed(rule, main.Format.ToString().ToLowerInvariant())),
            // Only a lossy format can be re-encoded smaller at the same pixel size.
            RuleKinds.FileSize => Result(rule, image.ByteCount <= rule.Max, image.ByteCount, null, main.Format is ImageFormat.Jpeg or ImageFormat.WebP && main.MaxBytes is not null),
            RuleKinds.ColourSpace => Result(rule, Allowed(rule, image.ColourSpace), null, image.ColourSpace, true),
            _ => throw new ArgumentException($"Unknown rule kind '{rule.Kind}'.", nameof(rule)),
        };
    }

    private static RuleResult Result(ImageRule rule, bool passed, double? measured, string? text, bool fixable) =>
        new(rule.Kind, passed, rule.Severity, measured, text, rule.Min, rule.Max, rule.Allowed, !passed && fixable, rule.Source);

    private static bool Within(double value, double? min, double? max) => (min is null || value >= min) && (max is null || value <= max);

    private static bool Allowed(ImageRule rule, string value) => rule.Allowed is null || rule.Allowed.Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Transparency onto white, then every near-white pixel connected to the border becomes exactly
    /// 255: the background JPEG noise, vignetting and 254,254,253 "white" go; the product (not
    /// connected to the border through near-white pixels) keeps its pixels.
    /// </summary>
    private static Image Whiten(Image image, VipsScope owned)
    {
        var flat = image;
        if (flat.HasAlpha())
        {
            flat = owned.Add(flat.Flatten(background: [255, 255, 255]));
            flat = owned.Add(flat.Cast(Enums.BandFormat.Uchar));
        }

        var nearWhite = owned.Add(flat >= (255 - ComplianceMeasurer.WhitenTolerance));
        var allBands = owned.Add(nearWhite.BandAnd());
        // A 1 px near-white frame joins every border pixel into one region, so one flood reaches them all.
        var framed = owned.Add(allBands.Embed(1, 1, flat.Width + 2, flat.Height + 2, extend: Enums.Extend.White));
        var flooded = owned.Add(framed.Mutate(m => m.DrawFlood([128], 0, 0, equal: true)));
        var region = owned.Add(flooded.ExtractArea(1, 1, flat.Width, flat.Height));
        var background = owned.Add(region.Equal(128));
        var whitened = owned.Add(background.Ifthenelse(White, flat));
        return owned.Add(whitened.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb));
    }

    /// <summary>The product's box, scaled so its longest axis is the profile's target fill, centred on a white canvas of the profile's size.</summary>
    private static Image Recompose(Image image, PixelBox product, MainImageProfile main, VipsScope owned)
    {
        var crop = owned.Add(image.ExtractArea(product.Left, product.Top, product.Width, product.Height));
        var scale = main.TargetFill * Math.Min((double)main.Width / product.Width, (double)main.Height / product.Height);
        var resized = owned.Add(crop.Resize(scale));
        if (resized.Width > main.Width || resized.Height > main.Height)
        {
            resized = owned.Add(resized.ExtractArea(0, 0, Math.Min(resized.Width, main.Width), Math.Min(resized.Height, main.Height)));
        }

        var canvas = owned.Add(resized.Embed(
            (main.Width - resized.Width) / 2,
            (main.Height - resized.Height) / 2,
            main.Width,
            main.Height,
            extend: Enums.Extend.Background,
            background: [255, 255, 255]));
        return owned.Add(canvas.Copy(interpretation: Enums.Interpretation.Srgb));
    }

    private static PixelBox Centred(int w, int h, double fill)
    {
        var iw = (int)Math.Round(w * fill);
        var ih = (int)Math.Round(h * fill);
        return new PixelBox((w - iw) / 2, (h - ih) / 2, iw, ih);
    }

    private static int Thickness(int w, int h) => Math.Max(2, Math.Min(w, h) / 400);

    private static void Outline(byte[] rgb, int w, int h, PixelBox box, int thickness, byte[] colour)
    {
        thickness = Math.Max(1, thickness);
        for (var y = Math.Max(0, box.Top - thickness); y < Math.Min(h, box.Top + box.Height + thickness); y++)
        {
            for (var x = Math.Max(0, box.Left - thickness); x < Math.Min(w, box.Left + box.Width + thickness); x++)
            {
                var inside = x >= box.Left && x < box.Left + box.Width && y >= box.Top && y < box.Top + box.Height;
                if (!inside)
                {
                    colour.CopyTo(rgb, ((y * w) + x) * 3);
                }
            }
        }
    }
}
