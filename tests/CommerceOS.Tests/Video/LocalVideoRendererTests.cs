using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CommerceOS.Core.Video;
using CommerceOS.Engines.Video;
using NetVips;

namespace CommerceOS.Tests.Video;

/// <summary>The local video engine against the real ffmpeg, libvips and Pango: templates, text, music, conform, cleanup.</summary>
public sealed partial class LocalVideoRendererTests : IDisposable
{
    private const string Red = "#C8102E";
    private const string Yellow = "#FFD100";

    private readonly string _folder = Directory.CreateTempSubdirectory("cos-vengine-").FullName;
    private readonly LocalVideoRenderer _renderer = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private List<string> Photos(int count)
    {
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            // A coloured block on white, a different colour and size per photo: never close to the brand red or yellow. 4:5
            // like the format, so no brand-coloured padding shows around it.
            using var background = Image.Black(480, 600, bands: 3).NewFromImage(255, 255, 255);
            using var block = Image.Black(200 + (i * 60), 180, bands: 3).NewFromImage(40, 90 + (i * 40), 200 - (i * 30));
            using var photo = background.Insert(block, 60, 200);
            var path = Path.Combine(_folder, $"photo-{i}.jpg");
            photo.Jpegsave(path);
            paths.Add(path);
        }

        return paths;
    }

    private VideoRenderSpec Spec(VideoTemplate template, IReadOnlyList<string> images, string? title = "Cold for 24 hours", string language = "en") => new(
        template, VideoFormats.Portrait, TimeSpan.FromSeconds(6), images, title, ["Keeps drinks cold", "保温保冷 12小时"],
        ["Double-wall steel", "Leak-proof lid", "Fits cup holders"], language, Red, Yellow, "Hillside", null, null,
        new Dictionary<string, string> { ["before"] = "Before", ["after"] = "After" }, _folder);

    [Theory]
    [InlineData(VideoTemplate.Showcase)]
    [InlineData(VideoTemplate.Ugc)]
    [InlineData(VideoTemplate.Highlights)]
    [InlineData(VideoTemplate.BeforeAfter)]
    [InlineData(VideoTemplate.Turntable)]
    [InlineData(VideoTemplate.BrandCard)]
    public async Task Each_template_renders_an_H264_MP4_of_the_format_and_duration_with_its_text_where_expected(VideoTemplate template)
    {
        var photos = Photos(3);
        var reports = new List<double>();

        var video = await _renderer.RenderAsync(Spec(template, photos), new SynchronousProgress(reports.Add), Ct);

        Assert.Equal((1080, 1350, "h264", "mp4", null), (video.Probe.Width, video.Probe.Height, video.Probe.VideoCodec, video.Probe.Container, video.Probe.AudioCodec));
        Assert.InRange(video.Probe.Duration.TotalSeconds, 5.9, 6.1);
        Assert.Equal(30, video.Probe.FramesPerSecond, 2);
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order().ToList(), reports);
        using (var cover = Image.NewFromFile(video.CoverPath))
        {
            Assert.Equal((1080, 1350), (cover.Width, cover.Height));
        }

        Assert.StartsWith("WEBVTT", await File.ReadAllTextAsync(video.VttPath!, Ct), StringComparison.Ordinal);
        Assert.Contains("保温保冷", await File.ReadAllTextAsync(video.SrtPath!, Ct), StringComparison.Ordinal);
        // Nothing but the inputs and what the render returns is left in the work folder.
        Assert.Equal(
            photos.Append(video.VideoPath).Append(video.CoverPath).Append(video.SrtPath!).Append(video.VttPath!).Order(),
            Directory.EnumerateFileSystemEntries(_folder).Order());

        var top = new Rect(0, 0, 1080, 1350 * 35 / 100);
        switch (template)
        {
            case VideoTemplate.Showcase:
                Assert.True(await ShareAsync(video.VideoPath, 1.2, top, Red) > 0.03, "no opening title panel");
                Assert.True(await ShareAsync(video.VideoPath, 4.5, top, Red) < 0.001, "the title stayed on");
                break;
            case VideoTemplate.Ugc:
                Assert.True(await ShareAsync(video.VideoPath, 1.2, top, Red) > 0.05, "no hook line");
                Assert.True(await ShareAsync(video.VideoPath, 4.0, top, Red) < 0.001, "the hook stayed past 2.5 s");
                break;
            case VideoTemplate.Highlights:
                foreach (var second in new[] { 1.0, 3.0, 5.0 })
                {
                    Assert.True(await ShareAsync(video.VideoPath, second, top, Red) > 0.03, $"no selling-point panel at {second} s");
                }

                break;
            case VideoTemplate.BeforeAfter:
                var label = new Rect(0, 0, 540, 1350 / 5);
                Assert.True(await ShareAsync(video.VideoPath, 1.0, label, Yellow) > 0.02, "no before label");
                Assert.True(await ShareAsync(video.VideoPath, 5.5, label, Yellow) > 0.02, "no after label");
                Assert.True(await ShareAsync(video.VideoPath, 3.0, label, Yellow) < 0.001, "a label during the wipe");
                break;
            case VideoTemplate.Turntable:
                // Half a second per angle: two frames half a second apart show different photos.
                using (var a = await FrameAsync(video.VideoPath, 0.2))
                using (var b = await FrameAsync(video.VideoPath, 0.7))
                using (var difference = (a - b).Abs())
                {
                    Assert.True(difference.Avg() > 2, "the turn did not move on");
                }

                break;
            case VideoTemplate.BrandCard:
                var whole = new Rect(0, 0, 1080, 1350);
                Assert.True(await ShareAsync(video.VideoPath, 0.6, whole, Red) > 0.8, "no intro card");
                Assert.True(await ShareAsync(video.VideoPath, 0.6, whole, "#FFFFFF") > 0.005, "no brand name on the card");
                Assert.True(await ShareAsync(video.VideoPath, 3.0, whole, Red) < 0.05, "no product between the cards");
                Assert.True(await ShareAsync(video.VideoPath, 5.8, whole, Red) > 0.8, "no outro card");
                break;
        }
    }

    [Fact]
    public async Task A_Chinese_brand_card_draws_its_glyphs_and_a_hostile_title_stays_pixels()
    {
        const string hostile = "'];drawtext=text=x[";
        var spec = Spec(VideoTemplate.BrandCard, Photos(1), title: hostile, language: "zh-CN") with { BrandName = "山川保温杯" };
        var parts = Directory.CreateDirectory(Path.Combine(_folder, "parts")).FullName;

        var plan = LocalVideoRenderer.Plan(spec, parts, Path.Combine(_folder, "plan.mp4"), null);
        var args = VideoGraph.Arguments(plan.Timeline);
        var video = await _renderer.RenderAsync(spec, new Progress<double>(), Ct);

        Assert.DoesNotContain(args, a => a.Contains("drawtext", StringComparison.Ordinal) || a.Contains("山川", StringComparison.Ordinal));
        // The card is red with white text: the Han glyphs and the hostile title are white ink in the middle of the frame.
        var middle = new Rect(0, 1350 / 3, 1080, 1350 / 3);
        Assert.True(await ShareAsync(video.VideoPath, 0.6, middle, "#FFFFFF") > 0.01, "no glyphs on the card");
        Assert.True(video.Probe.Duration.TotalSeconds > 5.9);
    }

    [Fact]
    public async Task Music_is_normalised_looped_under_the_video_and_faded_at_the_end()
    {
        var loud = await SineAsync("loud.wav", seconds: 3, volume: 0.9);
        var music = await _renderer.PrepareMusicAsync(loud, Path.Combine(_folder, "music.m4a"), Ct);
        Assert.InRange(music.Duration.TotalSeconds, 2.9, 3.2);
        Assert.InRange(await LoudnessAsync(music.Path), -17.5, -14.5);

        var spec = Spec(VideoTemplate.Showcase, Photos(2), title: null) with { MusicPath = music.Path, Captions = [] };
        var video = await _renderer.RenderAsync(spec, new Progress<double>(), Ct);

        Assert.Equal("aac", video.Probe.AudioCodec);
        Assert.Null(video.SrtPath);
        var pcm = await PcmAsync(video.VideoPath);
        // The 3 s music loops (sound at 4 s) and fades over the last 2 s.
        var middle = Rms(pcm, 3.8, 4.1);
        var end = Rms(pcm, 5.6, 5.9);
        Assert.True(middle > 0.05, $"no music at 4 s: {middle}");
        Assert.True(end < middle * 0.3, $"no fade-out: {end} vs {middle}");
    }

    [Fact]
    public void No_template_puts_the_sellers_words_into_the_filter_graph()
    {
        const string hostile = "x'];movie=/etc/passwd[y";
        var photos = Photos(3);
        foreach (var template in VideoTemplates.All)
        {
            var spec = Spec(template, photos, title: hostile) with
            {
                Points = [hostile, "b" + hostile],
                BrandName = hostile,
                Labels = new Dictionary<string, string> { ["before"] = hostile, ["after"] = hostile },
            };
            var parts = Directory.CreateDirectory(Path.Combine(_folder, VideoTemplates.Id(template))).FullName;

            var plan = LocalVideoRenderer.Plan(spec, parts, Path.Combine(parts, "out.mp4"), Path.Combine(parts, "c.srt"));
            var args = VideoGraph.Arguments(plan.Timeline);

            Assert.DoesNotContain(args, a => a.Contains("passwd", StringComparison.Ordinal) || a.Contains("movie", StringComparison.Ordinal));
            // The words went somewhere: drawn into PNGs of ours (the turntable shows none).
            Assert.Equal(template != VideoTemplate.Turntable, Directory.EnumerateFiles(parts, "*.png").Any());
        }
    }

    [Fact]
    public async Task Music_over_ten_minutes_is_refused_from_its_header_before_decoding()
    {
        var wav = Path.Combine(_folder, "long.wav");
        await FfmpegProcess.RunAsync(["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "601", "-c:a", "pcm_u8", wav], TimeSpan.FromSeconds(601), null, Ct);

        var error = await Assert.ThrowsAsync<InvalidMediaException>(() => _renderer.PrepareMusicAsync(wav, Path.Combine(_folder, "long.m4a"), Ct));

        Assert.Equal(VideoEngineErrors.MusicTooLong, error.Code);
        Assert.False(File.Exists(Path.Combine(_folder, "long.m4a")));
    }

    [Fact]
    public async Task Music_that_is_not_audio_or_too_short_is_refused()
    {
        var png = Path.Combine(_folder, "song.mp3");
        using (var image = Image.Black(20, 20))
        {
            image.Pngsave(png);
        }

        var pngError = await Assert.ThrowsAsync<InvalidMediaException>(() => _renderer.PrepareMusicAsync(png, Path.Combine(_folder, "a.m4a"), Ct));
        var blip = await SineAsync("blip.wav", seconds: 0.2, volume: 0.5);
        var shortError = await Assert.ThrowsAsync<InvalidMediaException>(() => _renderer.PrepareMusicAsync(blip, Path.Combine(_folder, "b.m4a"), Ct));
        var truncated = Path.Combine(_folder, "broken.wav");
        await File.WriteAllBytesAsync(truncated, "RIFF\0\0\0\0WAVEjunkjunk"u8.ToArray(), Ct);
        var brokenError = await Assert.ThrowsAsync<InvalidMediaException>(() => _renderer.PrepareMusicAsync(truncated, Path.Combine(_folder, "c.m4a"), Ct));

        Assert.Equal(VideoEngineErrors.MusicUnsupported, pngError.Code);
        Assert.Equal(VideoEngineErrors.MusicTooShort, shortError.Code);
        Assert.Equal(VideoEngineErrors.MusicUndecodable, brokenError.Code);
        Assert.False(File.Exists(Path.Combine(_folder, "b.m4a")));
    }

    [Fact]
    public async Task A_landscape_provider_clip_is_conformed_to_portrait_padded_in_the_brand_colour_with_captions()
    {
        var clip = Path.Combine(_folder, "clip.mp4");
        await FfmpegProcess.RunAsync(["-f", "lavfi", "-i", "testsrc2=s=640x360:r=24:d=3", "-c:v", "libx264", "-preset", "ultrafast", clip], TimeSpan.FromSeconds(3), null, Ct);

        var video = await _renderer.ConformAsync(clip, Spec(VideoTemplate.Showcase, []), new Progress<double>(), Ct);

        Assert.Equal((1080, 1350), (video.Probe.Width, video.Probe.Height));
        Assert.InRange(video.Probe.Duration.TotalSeconds, 2.9, 3.1);
        Assert.Equal(30, video.Probe.FramesPerSecond, 2);
        // The pad above the clip is the brand colour, except where the AI label sits in the top-left corner.
        Assert.True(await ShareAsync(video.VideoPath, 1.0, new Rect(0, 180, 1080, 150), Red) > 0.95, "not padded in the brand colour");
        Assert.True(await ShareAsync(video.VideoPath, 1.0, new Rect(36, 36, 300, 60), Red) < 0.8, "the AI label is missing");
        Assert.NotNull(video.VttPath);

        var text = Path.Combine(_folder, "clip2.mp4");
        await File.WriteAllTextAsync(text, "not a video at all", Ct);
        var error = await Assert.ThrowsAsync<InvalidMediaException>(() => _renderer.ConformAsync(text, Spec(VideoTemplate.Showcase, []), new Progress<double>(), Ct));
        Assert.Equal(VideoEngineErrors.ClipUnsupported, error.Code);
    }

    [Fact]
    public async Task Cancelling_mid_render_kills_ffmpeg_and_leaves_only_the_inputs()
    {
        var photos = Photos(2);
        var spec = Spec(VideoTemplate.Highlights, photos) with { Format = VideoFormats.Vertical, Duration = TimeSpan.FromSeconds(60) };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SynchronousProgress(p =>
        {
            if (p > 0.01)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _renderer.RenderAsync(spec, progress, cancel.Token));

        Assert.DoesNotContain(Process.GetProcessesByName("ffmpeg"), p => CommandLine(p.Id).Contains(_folder, StringComparison.Ordinal));
        Assert.Equal(photos.Order(), Directory.EnumerateFileSystemEntries(_folder).Order());
    }

    [Fact]
    public void Magic_bytes_name_the_container_and_nothing_else()
    {
        Assert.Equal("mp3", MediaSniffer.Audio("ID3\u0004\0\0\0\0\0\0\0\0"u8));
        Assert.Equal("mp3", MediaSniffer.Audio([0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal("aac", MediaSniffer.Audio([0xFF, 0xF1, 0x50, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal("mov", MediaSniffer.Audio("\0\0\0\u0020ftypM4A "u8));
        Assert.Equal("wav", MediaSniffer.Audio("RIFF\0\0\0\0WAVE"u8));
        Assert.Equal("ogg", MediaSniffer.Audio("OggS\0\0\0\0\0\0\0\0"u8));
        Assert.Equal("flac", MediaSniffer.Audio("fLaC\0\0\0\u0022\0\0\0\0"u8));
        Assert.Null(MediaSniffer.Audio("RIFF\0\0\0\0AVI "u8));
        Assert.Null(MediaSniffer.Audio("#EXTM3U\nhttp://"u8));
        Assert.Null(MediaSniffer.Audio("\u0089PNG\r\n\u001a\n\0\0\0\0"u8));
        Assert.Equal("matroska", MediaSniffer.Video([0x1A, 0x45, 0xDF, 0xA3, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Null(MediaSniffer.Video("ffconcat version"u8));
    }

    [Fact]
    public void Frames_are_shared_so_every_template_lasts_exactly_its_duration()
    {
        foreach (var (total, shots, overlap) in new[] { (180, 3, 15), (1800, 40, 0), (180, 25, 6), (450, 7, 12) })
        {
            var frames = VideoGraph.Distribute(total, shots, overlap);
            Assert.Equal(total, frames.Sum() - ((shots - 1) * overlap));
            Assert.True(frames.Max() - frames.Min() <= 1);
        }
    }

    private async Task<string> SineAsync(string name, double seconds, double volume)
    {
        var path = Path.Combine(_folder, name);
        await FfmpegProcess.RunAsync(
            ["-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"sine=frequency=440:sample_rate=48000:duration={seconds}"), "-af", string.Create(CultureInfo.InvariantCulture, $"volume={volume * 8}"), path],
            TimeSpan.FromSeconds(seconds),
            null,
            Ct);
        return path;
    }

    /// <summary>Integrated loudness by ffmpeg's EBU R128 meter (its summary is printed at info level, so not through FfmpegProcess).</summary>
    private static async Task<double> LoudnessAsync(string path)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-nostats", "-i", path, "-af", "ebur128", "-f", "null", "-"])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var log = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        var matches = Integrated().Matches(log);
        return double.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private async Task<float[]> PcmAsync(string video)
    {
        var raw = Path.Combine(_folder, "audio.raw");
        await FfmpegProcess.RunAsync(["-i", video, "-vn", "-ac", "1", "-ar", "8000", "-f", "f32le", raw], TimeSpan.FromSeconds(6), null, Ct);
        var bytes = await File.ReadAllBytesAsync(raw, Ct);
        File.Delete(raw);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        return samples;
    }

    private static double Rms(float[] samples, double from, double to)
    {
        var slice = samples.AsSpan((int)(from * 8000), (int)((to - from) * 8000));
        double sum = 0;
        foreach (var s in slice)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / slice.Length);
    }

    private readonly record struct Rect(int X, int Y, int Width, int Height);

    /// <summary>The share of pixels in <paramref name="area"/> of the frame at <paramref name="second"/> within a small distance of <paramref name="hex"/>.</summary>
    private async Task<double> ShareAsync(string video, double second, Rect area, string hex)
    {
        using var frame = await FrameAsync(video, second, colour: true);
        using var crop = frame.Crop(area.X, area.Y, area.Width, area.Height);
        var rgb = new double[] { Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16) };
        using var difference = (crop - rgb).Abs();
        using var distance = difference[0] + difference[1] + difference[2];
        using var near = distance < 70;
        return near.Avg() / 255;
    }

    private async Task<Image> FrameAsync(string video, double second, bool colour = false)
    {
        var png = Path.Combine(_folder, $"frame-{Guid.NewGuid():N}.png");
        await FfmpegProcess.RunAsync(["-ss", second.ToString(CultureInfo.InvariantCulture), "-i", video, "-frames:v", "1", png], TimeSpan.FromSeconds(1), null, Ct);
        using var loaded = Image.NewFromFile(png, access: Enums.Access.Sequential);
        var image = (colour ? loaded.ExtractBand(0, 3) : loaded.Colourspace(Enums.Interpretation.Bw)).Cast(Enums.BandFormat.Float).CopyMemory();
        File.Delete(png);
        return image;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            // The process ended between the listing and the read.
            return "";
        }
    }

    [GeneratedRegex(@"I:\s+(-?[0-9.]+) LUFS")]
    private static partial Regex Integrated();

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
