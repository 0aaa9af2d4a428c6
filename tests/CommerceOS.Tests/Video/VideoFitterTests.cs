using CommerceOS.Core.Video;
using CommerceOS.Engines.Video;
using NetVips;

namespace CommerceOS.Tests.Video;

/// <summary>Channel copies and renders in awkward folders, against the real ffmpeg.</summary>
public sealed class VideoFitterTests : IDisposable
{
    // A data folder may sit anywhere: spaces, quotes, brackets and colons must not reach ffmpeg's filter syntax.
    private readonly string _folder = Directory.CreateTempSubdirectory("cos video [x]:'y'-").FullName;
    private readonly LocalVideoRenderer _renderer = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_render_with_captions_works_in_a_folder_whose_path_has_filter_syntax_characters()
    {
        var video = await RenderAsync(VideoFormats.Portrait, 6);

        Assert.Equal((1080, 1350), (video.Probe.Width, video.Probe.Height));
        Assert.NotNull(video.SrtPath);
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", await CommentAsync(video.VideoPath));
        Assert.StartsWith(_folder, video.VideoPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vertical_video_fitted_for_Shopee_and_a_byte_limit_lands_in_the_box_and_under_the_limit()
    {
        var video = await RenderAsync(VideoFormats.Vertical, 6, noisy: true);
        var rule = VideoChannelRules.Find("shopee")!;
        var (width, height) = VideoChannelRules.FitSize(rule, video.Probe.Width, video.Probe.Height);
        // Grain encodes badly: the master is several megabytes, so the bitrate, not the frame size, has to make it fit.
        const long limit = 1_000_000;
        Assert.True(video.Probe.Bytes > 2 * limit, $"master {video.Probe.Bytes} bytes");

        var fitted = await new VideoFitter(_renderer).FitAsync(video.VideoPath, Path.Combine(_folder, "shopee.mp4"), width, height, limit, Ct);

        Assert.Equal((720, 1280), (fitted.Width, fitted.Height));
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", await CommentAsync(Path.Combine(_folder, "shopee.mp4")));
        Assert.True(fitted.Bytes <= limit, $"{fitted.Bytes} > {limit}");
        Assert.InRange(fitted.Duration.TotalSeconds, 5.9, 6.1);
        Assert.True(VideoChannelRules.Check(fitted, rule).Issues.All(i => i.Code == VideoChannelRules.DurationTooShort));
    }

    [Fact]
    public async Task The_free_plan_watermark_lies_over_the_whole_video()
    {
        var plain = await RenderAsync(VideoFormats.Square, 6);
        var marked = await RenderAsync(VideoFormats.Square, 6, watermark: true);

        // A frame near the end, after the title has gone: only the mark can differ.
        Assert.True(await ChangedShareAsync(plain.VideoPath, marked.VideoPath, 5.5) > 0.02);
    }

    /// <summary>
    /// Share of pixels that differ by more than 25 levels between two videos' frames at <paramref name="seconds"/>. The tiled
    /// mark covers a few per cent of the frame; encoding noise alone changes far less. The mark is translucent: no pixel
    /// moves by 100 levels.
    /// </summary>
    private async Task<double> ChangedShareAsync(string first, string second, double seconds)
    {
        using var a = await FrameAsync(first, seconds);
        using var b = await FrameAsync(second, seconds);
        using var difference = (a - b).Abs().ExtractBand(0);
        using var changed = difference > 25;
        Assert.True(difference.Max() < 100, $"largest difference {difference.Max()}");
        return changed.Avg() / 255;
    }

    [Fact]
    public async Task A_provider_clip_conformed_for_the_free_plan_carries_the_mark_too()
    {
        var clip = Path.Combine(_folder, "clip.mp4");
        await FfmpegProcess.RunAsync(["-f", "lavfi", "-i", "testsrc=size=640x360:rate=30:duration=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip], TimeSpan.FromSeconds(3), null, Ct);
        var spec = new VideoRenderSpec(
            VideoTemplate.Showcase, VideoFormats.Landscape, TimeSpan.FromSeconds(6), [], null, [], [], "en",
            "#1F2937", "#F59E0B", null, null, null, VideoLabels.For("en"), _folder);

        var plain = await _renderer.ConformAsync(clip, spec, new Progress<double>(), Ct);
        var marked = await _renderer.ConformAsync(clip, spec with { Watermark = true }, new Progress<double>(), Ct);

        Assert.InRange(marked.Probe.Duration.TotalSeconds, 2.9, 3.1);
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", await CommentAsync(marked.VideoPath));
        Assert.True(await ChangedShareAsync(plain.VideoPath, marked.VideoPath, 2.5) > 0.02);
        Assert.DoesNotContain(Directory.EnumerateDirectories(_folder), d => d.EndsWith(".parts", StringComparison.Ordinal));
    }

    [Fact]
    public void The_clip_overlay_labels_AI_content_in_its_corner_and_leaves_the_rest_clear()
    {
        var art = new VideoArt(VideoFormats.Landscape, "en", _folder);

        using var overlay = Image.NewFromFile(art.ClipOverlay(watermark: false).Path);
        using var alpha = overlay.ExtractBand(3);

        Assert.Equal((1920, 1080), (overlay.Width, overlay.Height));
        using (var corner = alpha.ExtractArea(0, 0, 600, 150))
        {
            Assert.True(corner.Avg() > 40, $"corner alpha {corner.Avg():F1}");
        }

        using (var rest = alpha.ExtractArea(0, 300, 1920, 780))
        {
            Assert.Equal(0, rest.Max());
        }
    }

    [Fact]
    public void Fit_arguments_carry_numbers_and_paths_only()
    {
        var args = VideoFitter.Arguments("/in put.mp4", "/out;put.mp4", 720, 1280, 1_000_000, audio: true);

        Assert.Equal("scale=720:1280:flags=lanczos,setsar=1", args[args.ToList().IndexOf("-vf") + 1]);
        Assert.Equal(["-b:v", "1000000", "-maxrate", "1000000", "-bufsize", "2000000"], args.SkipWhile(a => a != "-b:v").Take(6));
        Assert.Equal("/out;put.mp4", args[^1]);
    }

    private static async Task<string> CommentAsync(string video)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-v", "quiet", "-show_entries", "format_tags=comment", "-of", "default=nw=1:nk=1", video])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return output.Trim();
    }

    private async Task<Image> FrameAsync(string video, double seconds)
    {
        var frame = Path.Combine(_folder, $"frame-{Guid.NewGuid():N}.png");
        await FfmpegProcess.RunAsync(["-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", video, "-frames:v", "1", frame], TimeSpan.FromSeconds(0.1), null, Ct);
        return Image.NewFromBuffer(await File.ReadAllBytesAsync(frame, Ct));
    }

    private async Task<RenderedVideo> RenderAsync(VideoFormat format, int seconds, bool noisy = false, bool watermark = false)
    {
        var photo = Path.Combine(_folder, "photo.jpg");
        using (var background = noisy
            ? Image.Gaussnoise(900, 900, mean: 128, sigma: 60).Bandjoin([Image.Gaussnoise(900, 900, mean: 128, sigma: 60), Image.Gaussnoise(900, 900, mean: 128, sigma: 60)]).Cast(Enums.BandFormat.Uchar)
            : Image.Black(600, 600, bands: 3).NewFromImage(240, 240, 240))
        using (var block = Image.Black(300, 200, bands: 3).NewFromImage(30, 120, 200))
        using (var image = background.Insert(block, 150, 200))
        {
            image.Jpegsave(photo);
        }

        var spec = new VideoRenderSpec(
            VideoTemplate.Showcase, format, TimeSpan.FromSeconds(seconds), [photo], "Title", ["One line", "第二行"], [], "en",
            "#1F2937", "#F59E0B", null, null, null, VideoLabels.For("en"), _folder, watermark);
        return await _renderer.RenderAsync(spec, new Progress<double>(), Ct);
    }
}
