using System.Globalization;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging.Cutout;
using CommerceOS.Tests.Assets;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace CommerceOS.Tests.Imaging.Cutout;

/// <summary>Renders the test set and cuts every photo once (in parallel), for all the tests that measure against it.</summary>
public sealed class CutoutSetFixture
{
    public CutoutSetFixture()
    {
        var engine = new LocalCutoutEngine();
        var rows = new CutoutSetReport.Row[CutoutTestSet.Shapes.Length * CutoutTestSet.Scenes.Length];
        Parallel.For(0, rows.Length, i => rows[i] = CutoutSetReport.Run(engine, [CutoutTestSet.Render(i)])[0]);
        Rows = rows;
    }

    internal IReadOnlyList<CutoutSetReport.Row> Rows { get; }
}

public sealed class LocalCutoutEngineTests(CutoutSetFixture set) : IClassFixture<CutoutSetFixture>
{
    /// <summary>
    /// The floor (measured 0.952). The set is seeded and small enough that no resampling happens, so the
    /// figure is the same on every x64 machine. Plants whose cast shadow falls between thin stems (0.76-0.98) and
    /// faint white-on-white outlines are the weak cases, see the per-scene table in the test output.
    /// </summary>
    private const double MeanFloor = 0.95;

    private const double PerPhotoFloor = 0.60;

    private readonly LocalCutoutEngine _engine = new();

    [Fact]
    public void Mean_IoU_over_the_rendered_set_meets_the_floor()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(CutoutSetReport.Format(set.Rows));

        Assert.True(set.Rows.Count >= 40);
        var mean = set.Rows.Average(r => r.IoU);
        Assert.True(mean >= MeanFloor, string.Create(CultureInfo.InvariantCulture, $"mean IoU {mean:F4}"));
        foreach (var row in set.Rows)
        {
            Assert.True(row.IoU >= PerPhotoFloor, string.Create(CultureInfo.InvariantCulture, $"{row.Sample.Name}: IoU {row.IoU:F4}"));
        }
    }

    [Fact]
    public void Plain_backdrops_score_a_higher_confidence_than_a_cluttered_photo()
    {
        var cluttered = CutoutTestSet.Cluttered();
        var busy = _engine.Cut(cluttered.Jpeg);
        var plain = set.Rows.Where(r => r.Sample.Scene == "plain").ToList();

        Assert.True(busy.Confidence <= 0.3, $"cluttered confidence {busy.Confidence}");
        Assert.True(plain.Average(r => r.Result.Confidence) >= 0.75, $"plain mean confidence {plain.Average(r => r.Result.Confidence)}");
        Assert.All(plain, r => Assert.True(r.Result.Confidence > busy.Confidence + 0.3, $"{r.Sample.Name}: {r.Result.Confidence}"));
    }

    [Fact]
    public void Enclosed_holes_show_the_backdrop()
    {
        // The ring's inside: background pixels of the true mask that the product encloses.
        var rings = set.Rows.Where(r => r.Sample.Shape == "ring").ToList();
        Assert.NotEmpty(rings);
        var shares = new List<double>();
        foreach (var row in rings)
        {
            var hole = EnclosedBackground(row.Sample.Mask, row.Sample.Width, row.Sample.Height);
            Assert.True(hole.Count > 1000, $"{row.Sample.Name}: the ring encloses {hole.Count} px");
            var transparent = hole.Count(i => AlphaAt(row.Result, i % row.Sample.Width, i / row.Sample.Width) < 128);
            shares.Add(transparent / (double)hole.Count);
        }

        Assert.True(shares.Min() >= 0.9, string.Join(", ", shares.Select(s => s.ToString("F3", CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Shadows_and_reflections_are_not_product()
    {
        // The scenes with a glossy floor (a faded mirror image of the product) and a contact shadow under it.
        var shares = new List<(string Name, double Share)>();
        foreach (var row in set.Rows.Where(r => r.Sample.Scene is "reflection" or "pastel"))
        {
            var s = row.Sample;
            var area = s.Mask.Count(m => m != 0);
            var bottom = 0;
            for (var i = 0; i < s.Mask.Length; i++)
            {
                if (s.Mask[i] != 0)
                {
                    bottom = Math.Max(bottom, i / s.Width);
                }
            }

            // Below the product (the reflection and the contact shadow): at most a sliver.
            var below = 0;
            for (var y = bottom + 3; y < s.Height; y++)
            {
                for (var x = 0; x < s.Width; x++)
                {
                    below += AlphaAt(row.Result, x, y) >= 128 ? 1 : 0;
                }
            }

            shares.Add((s.Name, below / (double)area));
        }

        // A reflection left in would add 15-40 % of the product's area here; what remains today is the
        // darkest few pixels of the contact shadow right under the product (a known weakness).
        var report = string.Join(", ", shares.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Name} {x.Share:P2}")));
        Assert.True(shares.Max(x => x.Share) < 0.08, report);
        Assert.True(shares.Average(x => x.Share) < 0.04, report);
    }

    [Fact]
    public void The_alpha_edge_is_soft_and_the_interior_fully_opaque()
    {
        foreach (var row in set.Rows.Where(r => r.Sample.Scene == "plain" && r.Sample.Shape is "bottle" or "box" or "mug"))
        {
            var s = row.Sample;
            int interior = 0, opaque = 0, outline = 0, soft = 0;
            for (var y = 4; y < s.Height - 4; y++)
            {
                for (var x = 4; x < s.Width - 4; x++)
                {
                    var i = (y * s.Width) + x;
                    if (Eroded(s.Mask, s.Width, x, y, 3))
                    {
                        interior++;
                        opaque += AlphaAt(row.Result, x, y) == 255 ? 1 : 0;
                    }

                    if (s.Mask[i] != 0 && (s.Mask[i - 1] == 0 || s.Mask[i + 1] == 0 || s.Mask[i - s.Width] == 0 || s.Mask[i + s.Width] == 0))
                    {
                        // Across the outline (one pixel either side) some alpha is partial, not a hard 0/255 step.
                        outline++;
                        var partial = false;
                        for (var d = -1; d <= 1 && !partial; d++)
                        {
                            foreach (var (px, py) in new[] { (x + d, y), (x, y + d) })
                            {
                                var a = AlphaAt(row.Result, px, py);
                                partial |= a is > 0 and < 255;
                            }
                        }

                        soft += partial ? 1 : 0;
                    }
                }
            }

            // Fully opaque inside; a stray pixel or two next to an interior detail at most.
            Assert.True(opaque >= interior - (interior / 1000), $"{s.Name}: {interior - opaque} of {interior} interior pixels not opaque");
            Assert.True(soft >= 0.5 * outline, $"{s.Name}: {soft} of {outline} outline pixels have partial alpha nearby");
        }
    }

    [Fact]
    public void The_product_is_cropped_to_its_bounds_in_the_working_frame()
    {
        foreach (var row in set.Rows)
        {
            var r = row.Result;
            Assert.Equal((row.Sample.Width, row.Sample.Height), (r.FrameWidth, r.FrameHeight));
            Assert.Equal((r.Bounds.Width, r.Bounds.Height), (r.Product.Width, r.Product.Height));
            Assert.True(r.Bounds.X >= 0 && r.Bounds.Y >= 0 && r.Bounds.Right <= r.FrameWidth && r.Bounds.Bottom <= r.FrameHeight);

            // Tight: every edge of the crop carries some alpha.
            bool Any(Func<int, (int X, int Y)> at, int count) => Enumerable.Range(0, count).Any(k => r.Product.Pixels[((at(k).Y * r.Product.Width) + at(k).X) * 4 + 3] > 0);
            Assert.True(Any(k => (k, 0), r.Product.Width) && Any(k => (k, r.Product.Height - 1), r.Product.Width)
                && Any(k => (0, k), r.Product.Height) && Any(k => (r.Product.Width - 1, k), r.Product.Height), row.Sample.Name);
        }
    }

    [Fact]
    public void A_large_photo_is_downscaled_to_the_max_side()
    {
        using var canvas = Image.Black(3000, 2000, bands: 3) + new double[] { 246, 246, 246 };
        using var drawn = canvas.Mutate(m => m.DrawCircle([200, 30, 30], 1500, 1000, 500, fill: true));
        using var uchar = drawn.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        var jpeg = uchar.JpegsaveBuffer(q: 90);

        var result = _engine.Cut(jpeg, maxSide: 900);

        Assert.Equal((900, 600), (result.FrameWidth, result.FrameHeight));
        // The disc: centre (450, 300), radius 150 in the working frame.
        Assert.InRange(result.Bounds.X, 297, 302);
        Assert.InRange(result.Bounds.Y, 147, 152);
        Assert.InRange(result.Bounds.Width, 297, 304);
        Assert.InRange(result.Bounds.Height, 297, 304);
        Assert.True(result.Confidence >= 0.8, $"confidence {result.Confidence}");
    }

    [Fact]
    public void The_working_frame_follows_the_exif_orientation()
    {
        var result = _engine.Cut(TestImages.JpegWithGps(160, 90));

        Assert.Equal((90, 160), (result.FrameWidth, result.FrameHeight));
    }

    [Fact]
    public void FromAlpha_trims_to_the_alpha_and_keeps_the_pixels()
    {
        var (png, source) = DiscPng(400, 300, 200, 150, 80, blur: 0);

        var result = _engine.FromAlpha(png);

        Assert.Equal((400, 300), (result.FrameWidth, result.FrameHeight));
        Assert.InRange(result.Bounds.X, 119, 121);
        Assert.InRange(result.Bounds.Y, 69, 71);
        Assert.InRange(result.Bounds.Width, 159, 162);
        Assert.InRange(result.Bounds.Height, 159, 162);
        for (var y = 0; y < result.Bounds.Height; y++)
        {
            for (var x = 0; x < result.Bounds.Width; x++)
            {
                var src = (((result.Bounds.Y + y) * 400) + result.Bounds.X + x) * 4;
                var dst = ((y * result.Bounds.Width) + x) * 4;
                Assert.True(source.AsSpan(src, 4).SequenceEqual(result.Product.Pixels.AsSpan(dst, 4)));
            }
        }

        Assert.True(result.Confidence >= 0.8, $"crisp matte confidence {result.Confidence}");
    }

    [Fact]
    public void FromAlpha_trusts_a_mushy_matte_less_and_an_opaque_image_not_at_all()
    {
        var crisp = _engine.FromAlpha(DiscPng(400, 300, 200, 150, 80, blur: 0).Png);
        var mushy = _engine.FromAlpha(DiscPng(400, 300, 200, 150, 80, blur: 8).Png);
        var opaque = _engine.FromAlpha(TestImages.Png(200, 100));

        Assert.True(mushy.Confidence < crisp.Confidence - 0.3, $"crisp {crisp.Confidence}, mushy {mushy.Confidence}");
        Assert.Equal(0, opaque.Confidence);
        Assert.Equal(new PixelBox(0, 0, 200, 100), opaque.Bounds);
    }

    [Fact]
    public void FromAlpha_downscales_to_the_max_side()
    {
        var result = _engine.FromAlpha(DiscPng(1600, 800, 800, 400, 300, blur: 0).Png, maxSide: 800);

        Assert.Equal((800, 400), (result.FrameWidth, result.FrameHeight));
        Assert.InRange(result.Bounds.Width, 298, 303);
    }

    [Fact]
    public void The_test_set_is_deterministic()
    {
        var a = CutoutTestSet.Render(3);
        var b = CutoutTestSet.Render(3);

        Assert.Equal(a.Jpeg, b.Jpeg);
        Assert.Equal(a.Mask, b.Mask);
    }

    [Fact]
    public void AddLocalCutout_registers_the_engine()
    {
        using var provider = new ServiceCollection().AddLocalCutout().BuildServiceProvider();

        Assert.IsType<LocalCutoutEngine>(provider.GetRequiredService<ICutoutEngine>());
    }

    private static byte AlphaAt(CutoutResult r, int x, int y)
    {
        var bx = x - r.Bounds.X;
        var by = y - r.Bounds.Y;
        return bx < 0 || by < 0 || bx >= r.Bounds.Width || by >= r.Bounds.Height ? (byte)0 : r.Product.Pixels[(((by * r.Bounds.Width) + bx) * 4) + 3];
    }

    private static bool Eroded(byte[] mask, int w, int x, int y, int r)
    {
        for (var dy = -r; dy <= r; dy++)
        {
            for (var dx = -r; dx <= r; dx++)
            {
                if (mask[((y + dy) * w) + x + dx] == 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Background pixels of the mask that cannot reach the frame border (4-connected).</summary>
    private static List<int> EnclosedBackground(byte[] mask, int w, int h)
    {
        var outside = new bool[mask.Length];
        var stack = new Stack<int>();
        for (var i = 0; i < mask.Length; i++)
        {
            var (x, y) = (i % w, i / w);
            if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && mask[i] == 0)
            {
                outside[i] = true;
                stack.Push(i);
            }
        }

        while (stack.Count > 0)
        {
            var i = stack.Pop();
            var x = i % w;
            foreach (var j in new[] { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w })
            {
                if (j >= 0 && j < mask.Length && mask[j] == 0 && !outside[j])
                {
                    outside[j] = true;
                    stack.Push(j);
                }
            }
        }

        return Enumerable.Range(0, mask.Length).Where(i => mask[i] == 0 && !outside[i]).ToList();
    }

    /// <summary>A coloured disc on transparency (anti-aliased over one pixel, or blurred), as an AI provider's PNG.</summary>
    private static (byte[] Png, byte[] Pixels) DiscPng(int w, int h, double cx, double cy, double r, double blur)
    {
        var pixels = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var d = Math.Sqrt(((x + 0.5 - cx) * (x + 0.5 - cx)) + ((y + 0.5 - cy) * (y + 0.5 - cy))) - r;
                var coverage = blur > 0 ? 1 / (1 + Math.Exp(d / (blur / 2))) : Math.Clamp(0.5 - d, 0, 1);
                var o = ((y * w) + x) * 4;
                pixels[o] = (byte)(40 + (x % 200));
                pixels[o + 1] = 120;
                pixels[o + 2] = (byte)(60 + (y % 150));
                pixels[o + 3] = (byte)Math.Round(255 * coverage);
            }
        }

        using var image = Image.NewFromMemoryCopy(pixels, w, h, 4, Enums.BandFormat.Uchar);
        using var srgb = image.Copy(interpretation: Enums.Interpretation.Srgb);
        return (srgb.PngsaveBuffer(), pixels);
    }
}
