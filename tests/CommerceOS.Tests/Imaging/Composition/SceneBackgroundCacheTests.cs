using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Composition;
using NetVips;

namespace CommerceOS.Tests.Imaging.Composition;

public sealed class SceneBackgroundCacheTests
{
    private static readonly SceneParameters Desk = LocalImageComposer.BuiltIn("wooden-desk", null);
    private static readonly SceneParameters Beach = LocalImageComposer.BuiltIn("beach-sand", null);

    [Fact]
    public void A_cached_background_is_the_rendered_scene_with_its_layout_and_analysis_and_renders_once()
    {
        var cache = new SceneBackgroundCache(64L * 1024 * 1024);
        using var s = new VipsScope();
        var direct = ProceduralScenes.Render(s, Desk, 320, 240);
        var directPixels = s.Add(s.Add(s.Add(direct.Image.Round(Enums.OperationRound.Rint)).Cast(Enums.BandFormat.Uchar)).CopyMemory());
        var expectedAnalysis = SceneAnalyzer.Analyse(directPixels);

        var (first, firstAnalysis) = cache.Get(s, Desk, 320, 240);
        var (second, _) = cache.Get(s, Desk, 320, 240);

        Assert.Equal(1, cache.Renders);
        Assert.Equal(directPixels.WriteToMemory<byte>(), first.Image.WriteToMemory<byte>());
        Assert.Equal(first.Image.WriteToMemory<byte>(), second.Image.WriteToMemory<byte>());
        Assert.Equal((direct.SurfaceY, direct.CenterX, direct.HeightShare, direct.LightX), (first.SurfaceY, first.CenterX, first.HeightShare, first.LightX));
        Assert.Equal(expectedAnalysis.SurfaceY, firstAnalysis.SurfaceY);
        Assert.Equal(expectedAnalysis.Ambient, firstAnalysis.Ambient);
        // Another size or another accent is another background.
        cache.Get(s, Desk, 240, 320);
        cache.Get(s, LocalImageComposer.BuiltIn("wooden-desk", ["#2E6F95"]), 320, 240);
        Assert.Equal(3, cache.Renders);
    }

    [Fact]
    public async Task Concurrent_requests_for_a_new_background_render_it_once()
    {
        var cache = new SceneBackgroundCache(64L * 1024 * 1024);
        var pixels = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using var s = new VipsScope();
            return cache.Get(s, Beach, 300, 300).Backdrop.Image.WriteToMemory<byte>();
        })));

        Assert.Equal(1, cache.Renders);
        Assert.All(pixels, p => Assert.Equal(pixels[0], p));
    }

    [Fact]
    public void Past_its_budget_the_least_recently_used_background_is_evicted_and_rendered_again()
    {
        // Room for two 200x200 backgrounds (120,000 bytes each).
        var cache = new SceneBackgroundCache(250_000);
        using var s = new VipsScope();
        cache.Get(s, Desk, 200, 200);
        cache.Get(s, Beach, 200, 200);
        cache.Get(s, Desk, 200, 200);
        Assert.Equal(2, cache.Renders);

        cache.Get(s, LocalImageComposer.BuiltIn("marble-bath", null), 200, 200); // evicts the beach, used least recently
        cache.Get(s, Desk, 200, 200);
        Assert.Equal(3, cache.Renders);
        cache.Get(s, Beach, 200, 200);
        Assert.Equal(4, cache.Renders);
    }

    [Fact]
    public void A_scene_composed_twice_is_the_same_image()
    {
        var cutout = Cutouts.Product(120, 260, (240, 240, 240));
        var request = new Core.Generation.SceneRequest(480, 360, "kitchen-counter", null, null, ["#C8553D"]);
        using var first = LocalImageComposer.ComposeScene(cutout, request);
        using var second = LocalImageComposer.ComposeScene(cutout, request);

        Assert.Equal(first.Image.WriteToMemory<byte>(), second.Image.WriteToMemory<byte>());
        Assert.Equal(first.Placement.Bounds, second.Placement.Bounds);
    }
}
