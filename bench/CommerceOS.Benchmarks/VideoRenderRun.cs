using System.Diagnostics;
using System.Globalization;
using CommerceOS.Core.Video;
using CommerceOS.Engines.Video;
using NetVips;

namespace CommerceOS.Benchmarks;

/// <summary>
/// Video engine figures (issue 5): a 15 s showcase at 1080x1080 and 1080x1920 rendered through
/// <see cref="LocalVideoRenderer"/> and, side by side in the same run, the identical ffmpeg argument list run by hand;
/// realtime factors, our overhead, and the peak resident memory of two concurrent 1080x1920 renders. Run by
/// bench/video-render.sh.
/// </summary>
internal static class VideoRenderRun
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    public static async Task<int> Run(string directory)
    {
        Directory.CreateDirectory(directory);
        var photos = Photos(directory);
        var renderer = new LocalVideoRenderer();
        foreach (var format in new[] { VideoFormats.Square, VideoFormats.Vertical })
        {
            var hand = new List<(double Wall, double Cpu)>();
            var ours = new List<(double Wall, double Cpu)>();
            for (var round = 0; round < 2; round++)
            {
                // Alternated, so a neighbour's load on the shared cores falls on both sides alike.
                hand.Add(await ByHandAsync(Spec(format, photos, directory), round == 0));
                ours.Add(await ThroughRendererAsync(renderer, Spec(format, photos, directory)));
            }

            var (h, o) = (hand.Min(x => x.Wall), ours.Min(x => x.Wall));
            var (hc, oc) = (hand.Min(x => x.Cpu), ours.Min(x => x.Cpu));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"video {format.Width}x{format.Height} 15 s showcase: renderer {o:F2} s ({Duration.TotalSeconds / o:F2}x realtime), ffmpeg by hand {h:F2} s ({Duration.TotalSeconds / h:F2}x realtime), overhead {((o / h) - 1) * 100:F1} % wall (best of 2 each)"));
            // CPU seconds do not depend on what else the shared cores run: the fairer comparison on a busy machine.
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"video {format.Width}x{format.Height} CPU: renderer {oc:F2} s (ffmpeg children + this process), ffmpeg by hand {hc:F2} s, overhead {((oc / hc) - 1) * 100:F1} % CPU"));
        }

        await ConcurrentAsync(renderer, photos, directory);
        return 0;
    }

    /// <summary>Every template in 9:16, in English and Chinese, kept in <paramref name="directory"/> for a look.</summary>
    public static async Task<int> Samples(string directory)
    {
        Directory.CreateDirectory(directory);
        var photos = Photos(directory);
        var renderer = new LocalVideoRenderer();
        foreach (var template in VideoTemplates.All)
        {
            foreach (var language in new[] { "en", "zh-CN" })
            {
                var zh = language != "en";
                var spec = Spec(VideoFormats.Vertical, photos, directory) with
                {
                    Template = template,
                    Duration = TimeSpan.FromSeconds(8),
                    Language = language,
                    Title = zh ? "全天保冷 24 小时" : "Cold for 24 hours, hot for 12",
                    Captions = zh ? ["双层真空不锈钢", "防漏杯盖，放心携带"] : ["Double-wall vacuum steel", "A lid that never leaks"],
                    Points = zh ? ["双层真空不锈钢", "防漏杯盖", "适配车载杯架"] : ["Double-wall vacuum steel", "Leak-proof lid", "Fits cup holders"],
                    Labels = zh ? new Dictionary<string, string> { ["before"] = "使用前", ["after"] = "使用后" } : new Dictionary<string, string> { ["before"] = "Before", ["after"] = "After" },
                    BrandName = zh ? "山川" : "Hillside",
                };
                var video = await renderer.RenderAsync(spec, new Progress<double>(), CancellationToken.None);
                Console.WriteLine($"{VideoTemplates.Id(template)} {language}: {video.VideoPath} cover {video.CoverPath}");
            }
        }

        return 0;
    }

    private static VideoRenderSpec Spec(VideoFormat format, IReadOnlyList<string> photos, string directory) => new(
        VideoTemplate.Showcase, format, Duration, photos, "Cold for 24 hours", ["Double-wall vacuum steel", "A lid that never leaks", "Fits every cup holder"],
        [], "en", "#1F4E79", "#F2A900", "Hillside", null, null, new Dictionary<string, string>(), directory);

    /// <summary>CPU seconds of this process plus its finished (waited-for) children: utime, stime, cutime, cstime of /proc/self/stat.</summary>
    private static double CpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 to 17 of proc(5), counted from the state field (3) after the command name.
        var ticks = fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        return ticks / 100.0;
    }

    private static async Task<(double Wall, double Cpu)> ByHandAsync(VideoRenderSpec spec, bool print)
    {
        var scratch = Directory.CreateTempSubdirectory("cos-video-bench-").FullName;
        try
        {
            var srt = Path.Combine(scratch, "captions.srt");
            await File.WriteAllTextAsync(srt, Subtitles.Srt(Subtitles.Spread(spec.Captions, spec.Duration)));
            var output = Path.Combine(scratch, "by-hand.mp4");
            var args = VideoGraph.Arguments(LocalVideoRenderer.Plan(spec, scratch, output, srt).Timeline);
            if (print)
            {
                Console.WriteLine("ffmpeg -y " + string.Join(' ', args.Select(a => a.Any(c => c is ' ' or '\'' or '[' or ';' or '(' or ',') ? "\"" + a + "\"" : a)));
            }

            var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false };
            foreach (var a in (string[])["-hide_banner", "-loglevel", "error", "-y", .. args])
            {
                start.ArgumentList.Add(a);
            }

            var cpu = CpuSeconds();
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
            var wall = clock.Elapsed.TotalSeconds;
            return process.ExitCode == 0 ? (wall, CpuSeconds() - cpu) : throw new InvalidOperationException("ffmpeg failed");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<(double Wall, double Cpu)> ThroughRendererAsync(LocalVideoRenderer renderer, VideoRenderSpec spec)
    {
        var work = Directory.CreateTempSubdirectory("cos-video-bench-").FullName;
        try
        {
            var cpu = CpuSeconds();
            var clock = Stopwatch.StartNew();
            await renderer.RenderAsync(spec with { WorkFolder = work }, new Progress<double>(), CancellationToken.None);
            return (clock.Elapsed.TotalSeconds, CpuSeconds() - cpu);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Two 1080x1920 renders at once; resident memory of this process and its ffmpeg children sampled every 50 ms.</summary>
    private static async Task ConcurrentAsync(LocalVideoRenderer renderer, IReadOnlyList<string> photos, string directory)
    {
        using var stop = new CancellationTokenSource();
        long peak = 0;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, TreeRssKb(Environment.ProcessId));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            ThroughRendererAsync(renderer, Spec(VideoFormats.Vertical, photos, directory)),
            ThroughRendererAsync(renderer, Spec(VideoFormats.Vertical, photos, directory)));
        var wall = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"video two concurrent 1080x1920 15 s showcases: {wall:F2} s wall, peak RSS {peak / 1024.0:F0} MB (this process + its ffmpeg children)"));
    }

    private static long TreeRssKb(int root)
    {
        var total = Rss(root);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != root && Parent(pid) == root)
            {
                total += Rss(pid);
            }
        }

        return total;
    }

    private static int Parent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may hold spaces: the fields after its closing parenthesis are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Four distinct 2000x2000 product photos: a tall bottle shape on a light backdrop, a colour each.</summary>
    private static List<string> Photos(string directory)
    {
        var paths = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"video-photo-{i}.jpg"));
            if (!File.Exists(path))
            {
                using var backdrop = Image.Black(2000, 2000, bands: 3).NewFromImage(235 - (i * 8), 232, 225 + (i * 6));
                using var body = Image.Black(600, 1300, bands: 3).NewFromImage(30 + (i * 50), 80 + (i * 25), 140 - (i * 20));
                using var cap = Image.Black(420, 200, bands: 3).NewFromImage(40, 40, 40);
                using var withBody = backdrop.Insert(body, 700, 550);
                using var photo = withBody.Insert(cap, 790, 350);
                photo.Jpegsave(path, q: 90);
            }

            paths.Add(path);
        }

        return paths;
    }
}
