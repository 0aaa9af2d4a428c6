using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Video;
using CommerceOS.Engines.Video;
using NetVips;

namespace CommerceOS.Tests.Video;

/// <summary>The local video engine's first pieces against the real ffmpeg: the showcase graph, progress and cancellation.</summary>
public sealed class FfmpegShowcaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cos-video-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private List<string> Photos(int count)
    {
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            // A coloured block on white, a different colour and shape per photo, so the shots differ.
            using var background = Image.Black(900, 700, bands: 3).NewFromImage(255, 255, 255);
            using var block = Image.Black(300 + (i * 60), 260, bands: 3).NewFromImage(40 + (i * 70), 90, 200 - (i * 50));
            using var photo = background.Insert(block, 200, 220);
            var path = Path.Combine(_folder, $"photo-{i}.jpg");
            photo.Jpegsave(path);
            paths.Add(path);
        }

        return paths;
    }

    private static JsonElement Probe(string path)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [Fact]
    public async Task A_showcase_of_three_photos_is_an_H264_video_of_the_asked_size_and_duration_with_live_progress()
    {
        var output = Path.Combine(_folder, "showcase.mp4");
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports.Add);

        await FfmpegProcess.RunAsync(ShowcaseGraph.Arguments(Photos(3), VideoFormats.Square, TimeSpan.FromSeconds(6), "#FFFFFF", output), TimeSpan.FromSeconds(6), progress, Ct);

        var probe = Probe(output);
        var video = probe.GetProperty("streams")[0];
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal(1080, video.GetProperty("width").GetInt32());
        Assert.Equal(1080, video.GetProperty("height").GetInt32());
        Assert.Equal("yuv420p", video.GetProperty("pix_fmt").GetString());
        var seconds = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 5.9, 6.1);
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order().ToList(), reports);
    }

    [Fact]
    public async Task Captions_in_English_and_Chinese_are_burned_in_at_the_bottom_from_a_subtitle_file()
    {
        var photos = Photos(2);
        var captions = Path.Combine(_folder, "captions.srt");
        await File.WriteAllTextAsync(captions, Subtitles.Srt(Subtitles.Spread(["Keeps drinks cold all day", "保温保冷 12小时"], TimeSpan.FromSeconds(6))), Ct);
        var plain = Path.Combine(_folder, "plain.mp4");
        var captioned = Path.Combine(_folder, "captioned.mp4");

        await FfmpegProcess.RunAsync(ShowcaseGraph.Arguments(photos, VideoFormats.Square, TimeSpan.FromSeconds(6), "#FFFFFF", plain), TimeSpan.FromSeconds(6), null, Ct);
        await FfmpegProcess.RunAsync(ShowcaseGraph.Arguments(photos, VideoFormats.Square, TimeSpan.FromSeconds(6), "#FFFFFF", captioned, captions), TimeSpan.FromSeconds(6), null, Ct);

        foreach (var second in new[] { 1.0, 4.5 })
        {
            using var a = await FrameAsync(plain, second);
            using var b = await FrameAsync(captioned, second);
            using var difference = (a - b).Abs();
            // The captions change the bottom band and nothing in the top half.
            using var bottom = difference.Crop(0, 1080 * 3 / 4, 1080, 1080 / 4);
            using var top = difference.Crop(0, 0, 1080, 1080 / 2);
            Assert.True(bottom.Max() > 100, $"no caption at {second} s");
            Assert.True(top.Avg() < 1, $"the top changed at {second} s");
        }
    }

    [Fact]
    public void Subtitle_files_are_valid_SRT_and_WebVTT_and_keep_caption_text_inert()
    {
        var cues = Subtitles.Spread(["Cold for 24 hours", "", "A <b>bold</b> & --> sneaky\nline", "保温杯"], TimeSpan.FromSeconds(9));

        Assert.Equal(
            "1\n00:00:00,000 --> 00:00:03,000\nCold for 24 hours\n\n2\n00:00:03,000 --> 00:00:06,000\nA <b>bold</b> & -> sneaky line\n\n3\n00:00:06,000 --> 00:00:09,000\n保温杯\n\n",
            Subtitles.Srt(cues));
        Assert.Equal(
            "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nCold for 24 hours\n\n00:00:03.000 --> 00:00:06.000\nA &lt;b&gt;bold&lt;/b&gt; &amp; -&gt; sneaky line\n\n00:00:06.000 --> 00:00:09.000\n保温杯\n\n",
            Subtitles.WebVtt(cues));
        Assert.Throws<ArgumentException>(() => ShowcaseGraph.Arguments(["a.jpg"], VideoFormats.Square, TimeSpan.FromSeconds(6), "#FFFFFF", "o.mp4", "/tmp/x:force_style=a.srt"));
    }

    private async Task<Image> FrameAsync(string video, double second)
    {
        var png = Path.Combine(_folder, $"{Path.GetFileNameWithoutExtension(video)}-{second.ToString(CultureInfo.InvariantCulture)}.png");
        await FfmpegProcess.RunAsync(["-ss", second.ToString(CultureInfo.InvariantCulture), "-i", video, "-frames:v", "1", png], TimeSpan.FromSeconds(1), null, Ct);
        using var frame = Image.NewFromFile(png);
        return frame.Colourspace(Enums.Interpretation.Bw).Cast(Enums.BandFormat.Float);
    }

    [Fact]
    public async Task Cancelling_a_render_stops_ffmpeg_at_once()
    {
        var output = Path.Combine(_folder, "cancelled.mp4");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SynchronousProgress(_ => cancel.Cancel());
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FfmpegProcess.RunAsync(
            ShowcaseGraph.Arguments(Photos(2), VideoFormats.Vertical, TimeSpan.FromSeconds(60), "#102030", output), TimeSpan.FromSeconds(60), progress, cancel.Token));

        // A minute of 1080x1920 takes far longer than this to encode: the process was stopped, not waited for.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        Assert.DoesNotContain(Process.GetProcessesByName("ffmpeg"), p => CommandLine(p.Id).Contains(output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_ffmpeg_reports_its_exit_code_and_message()
    {
        var error = await Assert.ThrowsAsync<FfmpegException>(() => FfmpegProcess.RunAsync(
            ["-i", Path.Combine(_folder, "missing.jpg"), Path.Combine(_folder, "x.mp4")], TimeSpan.FromSeconds(6), null, Ct));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("missing.jpg", error.StderrTail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#fff")]
    [InlineData("#FFFFFF:enable=1")]
    [InlineData("white")]
    public void Only_a_hex_colour_reaches_the_filter_graph(string colour)
    {
        Assert.Throws<ArgumentException>(() => ShowcaseGraph.Arguments(["a.jpg"], VideoFormats.Square, TimeSpan.FromSeconds(6), colour, "o.mp4"));
    }

    [Fact]
    public void File_paths_stay_out_of_the_filter_graph_and_durations_outside_6_to_60_s_are_refused()
    {
        const string hostile = "evil[0:v];drawtext=text='x'.jpg";
        var args = ShowcaseGraph.Arguments([hostile, "b.jpg"], VideoFormats.Landscape, TimeSpan.FromSeconds(10), "#000000", "o.mp4").ToList();

        // Its own argv entry after -i, absolute and behind "file:" so no protocol prefix in a name is honoured.
        Assert.Equal("file:" + Path.GetFullPath(hostile), args[args.IndexOf("-i") + 1]);
        Assert.DoesNotContain("evil", args[args.IndexOf("-filter_complex") + 1], StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ShowcaseGraph.Arguments(["a.jpg"], VideoFormats.Square, TimeSpan.FromSeconds(5), "#000000", "o.mp4"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShowcaseGraph.Arguments(["a.jpg"], VideoFormats.Square, TimeSpan.FromSeconds(61), "#000000", "o.mp4"));
    }

    [Theory]
    [InlineData(new[] { "out_time_us=N/A", "out_time_us=1500000", "progress=continue", "out_time_us=1400000", "out_time_ms=3000000", "progress=end" }, new[] { 0.25, 0.5, 1.0 })]
    [InlineData(new[] { "frame=10", "speed=1.2x", "out_time_us=12000000" }, new[] { 1.0 })]
    public void Progress_moves_forward_only_and_ends_at_one(string[] lines, double[] expected)
    {
        var reader = new FfmpegProgress(TimeSpan.FromSeconds(6));

        Assert.Equal(expected, lines.Select(reader.Read).OfType<double>());
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

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
