using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging.Composition;
using NetVips;

namespace CommerceOS.Tests.Imaging.Composition;

public sealed class StudioAndSceneTests
{
    private static readonly OutputSpec Png = new(ImageFormat.Png, new XmpProvenance(DigitalSourceType.CompositeSynthetic, "local", "scene/1"), Watermark: false);
    private readonly LocalImageComposer _composer = new();

    [Fact]
    public void Studio_styles_differ_and_are_painted_from_the_palette()
    {
        string[] palette = ["#C8553D", "#2E6F95"];
        var cutout = Cutouts.Product(120, 260, (240, 240, 240));
        var renders = Enum.GetValues<StudioStyle>()
            .ToDictionary(style => style, style => Cutouts.Decode(_composer.Studio(cutout, new StudioRequest(style, 360, 360, palette), Png).Bytes));

        Assert.All(renders.Values, r => Assert.Equal((360, 360), (r.Width, r.Height)));
        Assert.True(renders[StudioStyle.Gradient].MeanAbsDifference(renders[StudioStyle.Podium]) > 8);
        Assert.True(renders[StudioStyle.Gradient].MeanAbsDifference(renders[StudioStyle.Surface]) > 8);
        Assert.True(renders[StudioStyle.Podium].MeanAbsDifference(renders[StudioStyle.Surface]) > 8);
        // Backdrop in the base colour everywhere; the podium in the accent colour.
        Assert.All(renders.Values, r => Assert.True(ShareNear(r, 0xC8, 0x55, 0x3D, 40) > 0.2));
        Assert.True(ShareNear(renders[StudioStyle.Podium], 0x2E, 0x6F, 0x95, 45) > 0.04);
    }

    [Fact]
    public void Studio_without_a_palette_uses_neutral_colours_at_any_size()
    {
        var cutout = Cutouts.Product(120, 260, (30, 160, 70), shaded: false);
        foreach (var (w, h) in new[] { (300, 300), (240, 420), (640, 240) })
        {
            var image = Cutouts.Decode(_composer.Studio(cutout, new StudioRequest(StudioStyle.Surface, w, h, []), Png).Bytes);

            Assert.Equal((w, h), (image.Width, image.Height));
            var (r, g, b) = image.At(2, 2);
            Assert.True(Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) < 30, $"corner {r},{g},{b} is not neutral");
            // Product height share: rows holding the product's green.
            var rows = Enumerable.Range(0, h).Where(y => Enumerable.Range(0, w).Any(x => IsGreen(image.At(x, y)))).ToList();
            var share = (rows[^1] - rows[0] + 1) / (double)h;
            if (w <= h)
            {
                Assert.InRange(share, 0.55, 0.78);
            }
            else
            {
                Assert.InRange(share, 0.4, 0.78);
            }
        }
    }

    [Fact]
    public void The_library_has_eight_distinct_procedural_scenes()
    {
        var ids = _composer.BuiltInScenes.Select(s => s.Id).ToList();
        Assert.Superset(new HashSet<string>(["kitchen-counter", "wooden-desk", "marble-bath", "living-room-shelf", "outdoor-stone", "beach-sand", "studio-window-light", "concrete-loft"]), ids.ToHashSet());

        var cutout = Cutouts.Product(60, 120, (200, 60, 60));
        var renders = ids.Select(id => Cutouts.Decode(_composer.Scene(cutout, new SceneRequest(200, 150, id, null, null, []), Png).Bytes)).ToList();
        for (var i = 0; i < renders.Count; i++)
        {
            for (var j = i + 1; j < renders.Count; j++)
            {
                Assert.True(renders[i].MeanAbsDifference(renders[j]) > 6, $"{ids[i]} and {ids[j]} look the same");
            }
        }
    }

    [Fact]
    public void Product_pixels_in_a_scene_are_the_cutout_up_to_a_bounded_gain()
    {
        var cutout = Cutouts.Bottle();
        using var scene = LocalImageComposer.ComposeScene(cutout, new SceneRequest(640, 480, "kitchen-counter", null, null, []));

        var p = scene.Placement;
        Assert.All(p.Gains, g => Assert.InRange(g, 1 - LocalImageComposer.MaxGrade, 1 + LocalImageComposer.MaxGrade));
        // Reference: the cut-out resized to the placed size, premultiplied like any correct resize.
        using var source = Engines.Imaging.RgbaInterop.ToVips(cutout);
        using var premultiplied = source.Premultiply();
        using var resized = premultiplied.Resize(p.Scale, kernel: Enums.Kernel.Lanczos3);
        using var straight = resized.Unpremultiply();
        var reference = straight.Cast(Enums.BandFormat.Uchar);
        using (reference)
        {
            var output = Cutouts.FromVips(scene.Image);
            var refPixels = reference.WriteToMemory<byte>();
            // The reference's content box starts where the cut-out's alpha does (6 px margin, scaled).
            var offsetX = p.Bounds.X - (int)Math.Round(6 * p.Scale);
            var offsetY = p.Bounds.Y - (int)Math.Round(6 * p.Scale);
            double[] dot = new double[3], norm = new double[3];
            var samples = new List<(int C, double Ref, double Out)>();
            for (var y = 0; y < reference.Height; y++)
            {
                for (var x = 0; x < reference.Width; x++)
                {
                    // Opaque core: far from the edge (alpha 255 in a window around the pixel).
                    if (!Core(refPixels, reference.Width, reference.Height, x, y, 6))
                    {
                        continue;
                    }

                    var (r, g, b) = output.At(x + offsetX, y + offsetY);
                    int[] outRgb = [r, g, b];
                    for (var c = 0; c < 3; c++)
                    {
                        double refValue = refPixels[(((y * reference.Width) + x) * 4) + c];
                        dot[c] += refValue * outRgb[c];
                        norm[c] += refValue * refValue;
                        samples.Add((c, refValue, outRgb[c]));
                    }
                }
            }

            Assert.True(samples.Count > 3000);
            var fitted = dot.Zip(norm, (d, n) => d / n).ToArray();
            Assert.All(fitted, g => Assert.InRange(g, 1 - LocalImageComposer.MaxGrade - 0.01, 1 + LocalImageComposer.MaxGrade + 0.01));
            var residual = samples.Average(s => Math.Abs(s.Out - (s.Ref * fitted[s.C])));
            Assert.True(residual < 3.0, $"mean residual after the gain is {residual:F2}: the product was repainted");
        }
    }

    [Fact]
    public void Placement_follows_the_detected_surface_and_perspective()
    {
        var cutout = Cutouts.Product(100, 240, (60, 60, 200));
        var results = new List<(double Line, int Bottom, double Scale)>();
        foreach (var line in new[] { 0.5, 0.72 })
        {
            var background = Table(640, 480, (int)(line * 480), litFromLeft: null);
            using var scene = LocalImageComposer.ComposeScene(cutout, new SceneRequest(640, 480, null, background, null, []));

            Assert.NotNull(scene.Analysis.SurfaceY);
            Assert.InRange(scene.Analysis.SurfaceY!.Value, line - 0.02, line + 0.02);
            var bottom = scene.Placement.Bounds.Bottom;
            Assert.InRange(bottom, (line * 480) - 5, (line * 480) + (0.08 * 480));
            results.Add((line, bottom, scene.Placement.Scale));
        }

        // Lower surface: closer to the camera, so the product is larger.
        Assert.True(results[1].Scale > results[0].Scale * 1.15);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_shadow_falls_away_from_the_lit_side(bool litFromLeft)
    {
        var cutout = Cutouts.Product(90, 220, (200, 80, 40));
        var background = Table(640, 480, 300, litFromLeft);
        using var scene = LocalImageComposer.ComposeScene(cutout, new SceneRequest(640, 480, null, background, null, []));
        var before = Cutouts.Decode(background);
        var after = Cutouts.FromVips(scene.Image);
        var box = scene.Placement.Bounds;

        Assert.True(litFromLeft ? scene.LightX < -0.3 : scene.LightX > 0.3);
        // Darkening beside the base: a strip as wide as the product, just left and just right of it.
        var rows = (y: box.Bottom - (box.Height / 6), h: box.Height / 6);
        double Darkening(int x0) => before.MeanLuma(x0, rows.y, box.Width, rows.h) - after.MeanLuma(x0, rows.y, box.Width, rows.h);
        var left = Darkening(box.X - box.Width - 2);
        var right = Darkening(box.Right + 2);
        Assert.True(litFromLeft ? right > left + 4 : left > right + 4, $"left {left:F1}, right {right:F1}");
    }

    [Fact]
    public void Prompt_scenes_are_deterministic_and_follow_keywords()
    {
        var cutout = Cutouts.Product(60, 140, (30, 30, 30));
        byte[] Render(string prompt) => _composer.Scene(cutout, new SceneRequest(240, 180, null, null, prompt, []), Png).Bytes;

        Assert.Equal(Render("kitchen counter, morning"), Render("kitchen counter, morning"));
        Assert.Equal("kitchen-counter", ScenePrompt.Parse("厨房 台面", []).SceneId);
        Assert.Equal("beach-sand", ScenePrompt.Parse("A bottle on the beach", []).SceneId);
        Assert.Equal("beach-sand", ScenePrompt.Parse("海滩上的瓶子", []).SceneId);
        Assert.Equal("marble-bath", ScenePrompt.Parse("大理石", []).SceneId);
        Assert.Equal("wooden-desk", ScenePrompt.Parse("on a wooden table", []).SceneId);
        Assert.Equal("outdoor-stone", ScenePrompt.Parse("户外", []).SceneId);
        Assert.Equal(ScenePrompt.DefaultScene, ScenePrompt.Parse("something nice", []).SceneId);
        Assert.Equal(ScenePrompt.DefaultScene, ScenePrompt.Parse("season sale", []).SceneId);
        Assert.True(ScenePrompt.Parse("christmas kitchen", []).Mood.HasFlag(SceneMood.Festive));
        Assert.True(ScenePrompt.Parse("圣诞 厨房", []).Mood.HasFlag(SceneMood.Festive));

        var kitchen = Cutouts.Decode(Render("kitchen"));
        var beach = Cutouts.Decode(Render("beach"));
        var night = Cutouts.Decode(Render("kitchen at night"));
        Assert.True(kitchen.MeanAbsDifference(beach) > 10);
        Assert.True(night.MeanLuma(0, 0, 240, 60) < kitchen.MeanLuma(0, 0, 240, 60) - 40);
    }

    [Fact]
    public void A_scene_needs_exactly_one_source_and_refuses_garbage_backgrounds()
    {
        var cutout = Cutouts.Product(60, 140, (30, 30, 30));
        Assert.Throws<ArgumentException>(() => _composer.Scene(cutout, new SceneRequest(200, 200, "beach-sand", null, "kitchen", []), Png));
        Assert.Throws<ArgumentException>(() => _composer.Scene(cutout, new SceneRequest(200, 200, null, null, null, []), Png));
        Assert.Throws<ArgumentException>(() => _composer.Scene(cutout, new SceneRequest(200, 200, "no-such-scene", null, null, []), Png));
        Assert.Throws<ImageRejectedException>(() => _composer.Scene(cutout, new SceneRequest(200, 200, null, "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(), null, []), Png));
    }

    /// <summary>A photo-like table scene: textured wall above <paramref name="surfaceY"/>, darker textured table below, optionally lit from one side.</summary>
    private static byte[] Table(int w, int h, int surfaceY, bool? litFromLeft)
    {
        using var xyz = Image.Xyz(w, h);
        using var x = xyz[0];
        using var y = xyz[1];
        using var isTable = y >= surfaceY;
        using var wall = Image.Black(w, h).Linear([0, 0, 0], [200, 196, 188]);
        using var table = Image.Black(w, h).Linear([0, 0, 0], [120, 96, 70]);
        using var room = isTable.Ifthenelse(table, wall);
        using var noise = Image.Gaussnoise(w, h, sigma: 6, mean: 0, seed: 3);
        using var textured = room + noise;
        using var lit = litFromLeft is { } left
            ? textured * (left ? x.Linear([-0.5 / w], [1.15]) : x.Linear([0.5 / w], [0.65]))
            : textured.Copy();
        using var uchar = lit.Cast(Enums.BandFormat.Uchar);
        return uchar.JpegsaveBuffer(q: 92);
    }

    private static double ShareNear(Rgb8 image, int r, int g, int b, int tolerance)
    {
        var near = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image.At(x, y);
                if (Math.Abs(p.R - r) + Math.Abs(p.G - g) + Math.Abs(p.B - b) <= tolerance * 2)
                {
                    near++;
                }
            }
        }

        return near / (double)(image.Width * image.Height);
    }

    private static bool IsGreen((int R, int G, int B) p) => p.G > 120 && p.G > p.R + 60 && p.G > p.B + 50;

    private static bool Core(byte[] rgba, int w, int h, int x, int y, int radius)
    {
        for (var dy = -radius; dy <= radius; dy += radius)
        {
            for (var dx = -radius; dx <= radius; dx += radius)
            {
                var xx = x + dx;
                var yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h || rgba[(((yy * w) + xx) * 4) + 3] < 255)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
