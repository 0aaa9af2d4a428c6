using System.Diagnostics;
using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Imaging;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace CommerceOS.Benchmarks;

/// <summary>
/// Whole-pipeline figures that BenchmarkDotNet's per-call statistics cannot give: photos per second
/// per core with two workers, the peak resident memory of that run, and the wall time of the local
/// 4-image kit. Run by bench/image-pipeline.sh in fresh processes (see bench/RESULTS.md).
/// </summary>
internal static class ImagePipelineRun
{
    public const int Photos = 100;

    public const int Workers = 2;

    private static readonly XmpProvenance Local = new(DigitalSourceType.CompositeSynthetic, "local", "bench");

    /// <summary>Writes <see cref="Photos"/> distinct 4000x3000 product photos (JPEG q92) into <paramref name="directory"/>.</summary>
    public static int Prepare(string directory)
    {
        Directory.CreateDirectory(directory);
        for (var i = 0; i < Photos; i++)
        {
            var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"photo-{i:D3}.jpg"));
            if (!File.Exists(path))
            {
                File.WriteAllBytes(path, ProductPhoto(4000, 3000, i));
            }
        }

        Console.WriteLine($"prepared {Photos} photos in {directory}");
        return 0;
    }

    /// <summary>Cut-out + Amazon main image for every photo, two workers, then prints throughput and peak RSS.</summary>
    public static int Pipeline(string directory)
    {
        using var services = Services();
        var engines = MainImageSteps.From(services);
        var files = Directory.GetFiles(directory, "photo-*.jpg").Order(StringComparer.Ordinal).ToArray();
        var next = -1;
        var passed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < files.Length)
                {
                    var cut = engines.Cutout.Cut(File.ReadAllBytes(files[index]));
                    if (engines.Check(engines.Main(cut)))
                    {
                        Interlocked.Increment(ref passed);
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);
        clock.Stop();
        var seconds = clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        var cpuSeconds = self.TotalProcessorTime.TotalSeconds;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"pipeline: {files.Length} photos 4000x3000, {Workers} workers on {Environment.ProcessorCount} cores: {seconds:F1} s, {files.Length / seconds:F2} photos/s, {files.Length / seconds / Math.Min(Workers, Environment.ProcessorCount):F2} photos/s/core, peak RSS {PeakRssMegabytes():F0} MB, {passed}/{files.Length} pass Amazon; process CPU {cpuSeconds * 1000 / files.Length:F0} ms/photo ({files.Length / cpuSeconds:F2} photos per CPU-second); managed allocations {GC.GetTotalAllocatedBytes() / 1e6 / files.Length:F0} MB/photo, {GC.CollectionCount(2)} gen-2 collections, GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F1} s"));
        return passed == files.Length ? 0 : 1;
    }

    /// <summary>Where a pipeline photo's time goes: one worker, the fastest of ten photos per step (the least disturbed by other load).</summary>
    public static int Steps(string directory)
    {
        using var services = Services();
        var engines = MainImageSteps.From(services);
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        var bestCpu = new Dictionary<string, double>(StringComparer.Ordinal);
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var files = Directory.GetFiles(directory, "photo-*.jpg").Order(StringComparer.Ordinal).Take(11).ToArray();
        for (var index = 0; index < files.Length; index++)
        {
            var photo = File.ReadAllBytes(files[index]);
            var clock = Stopwatch.StartNew();
            var cut = engines.Cutout.Cut(photo);
            Record("cut-out", clock, index);
            var main = engines.Main(cut);
            Record("main image", clock, index);
            engines.Check(main);
            Record("check", clock, index);
        }

        Console.WriteLine("pipeline steps (fastest of 10 after a warm-up, wall / CPU of all threads): " + string.Join(", ", best.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Key} {b.Value:F0} / {bestCpu[b.Key]:F0} ms"))));
        return 0;

        void Record(string step, Stopwatch clock, int index)
        {
            var ms = clock.Elapsed.TotalMilliseconds;
            self.Refresh();
            var cpuMs = (self.TotalProcessorTime - cpu).TotalMilliseconds;
            cpu = self.TotalProcessorTime;
            clock.Restart();
            // The first photo warms libvips and the JIT; it is not counted.
            if (index == 0)
            {
                return;
            }

            best[step] = best.TryGetValue(step, out var seen) ? Math.Min(seen, ms) : ms;
            bestCpu[step] = bestCpu.TryGetValue(step, out var seenCpu) ? Math.Min(seenCpu, cpuMs) : cpuMs;
        }
    }

    /// <summary>The local 4-image kit for one product (main, two scenes, infographic) on all cores; median of five runs.</summary>
    public static int Kit(string directory)
    {
        using var services = Services();
        var cutout = services.GetRequiredService<ICutoutEngine>();
        var composer = services.GetRequiredService<IImageComposer>();
        var graphics = services.GetRequiredService<IGraphicsRenderer>();
        var amazon = services.GetRequiredService<IMarketplaceCatalog>().Find("amazon")!;
        var photo = File.ReadAllBytes(Directory.GetFiles(directory, "photo-*.jpg").Order(StringComparer.Ordinal).First());
        var scenes = composer.BuiltInScenes;
        var style = new BrandStyle(["#7C3AED", "#F5F3FF"], "Noto Sans", "Noto Sans");
        var times = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            var clock = Stopwatch.StartNew();
            var cut = cutout.Cut(photo);
            var spec = new OutputSpec(ImageFormat.Jpeg, Local, Watermark: false);
            var kit = new Func<EncodedImage>[]
            {
                () => composer.MainImage(cut.Product, amazon.Main, contactShadow: false, spec with { MaxBytes = amazon.Main.MaxBytes }),
                () => composer.Scene(cut.Product, new SceneRequest(2000, 2000, scenes[0].Id, null, null, style.Palette), spec),
                () => composer.Scene(cut.Product, new SceneRequest(2000, 2000, scenes[1].Id, null, null, style.Palette), spec),
                () => graphics.Infographic(cut.Product, new InfographicRequest(InfographicLayout.Split, 2000, 2000, "Stainless Steel Bottle 750 ml", ["Keeps drinks cold 24 h", "Leak-proof lid", "BPA free", "保温保冷 24 小时"], "en", style), spec),
            };
            var results = kit.AsParallel().WithDegreeOfParallelism(Environment.ProcessorCount).Select(render => render()).ToList();
            clock.Stop();
            if (results.Count != 4 || results.Any(r => r.Bytes.Length == 0))
            {
                return 1;
            }

            // The first run warms libvips and the fonts; it is reported but not counted.
            if (run > 0)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        // One sequential pass, step by step, to show where the time goes.
        var steps = new List<string>();
        var step = Stopwatch.StartNew();
        var warmCut = cutout.Cut(photo);
        steps.Add(string.Create(CultureInfo.InvariantCulture, $"cut-out {step.Elapsed.TotalMilliseconds:F0} ms"));
        var specOnce = new OutputSpec(ImageFormat.Jpeg, Local, Watermark: false);
        foreach (var (name, render) in new (string, Func<EncodedImage>)[]
        {
            ("main", () => composer.MainImage(warmCut.Product, amazon.Main, contactShadow: false, specOnce)),
            ("scene 1", () => composer.Scene(warmCut.Product, new SceneRequest(2000, 2000, scenes[0].Id, null, null, style.Palette), specOnce)),
            ("scene 2", () => composer.Scene(warmCut.Product, new SceneRequest(2000, 2000, scenes[1].Id, null, null, style.Palette), specOnce)),
            ("infographic", () => graphics.Infographic(warmCut.Product, new InfographicRequest(InfographicLayout.Split, 2000, 2000, "Stainless Steel Bottle 750 ml", ["Keeps drinks cold 24 h", "Leak-proof lid", "BPA free", "保温保冷 24 小时"], "en", style), specOnce)),
        })
        {
            step.Restart();
            render();
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {step.Elapsed.TotalMilliseconds:F0} ms"));
        }

        Console.WriteLine("kit steps (sequential, one core busy): " + string.Join(", ", steps));
        times.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"kit: main + 2 scenes + infographic from one 4000x3000 photo on {Environment.ProcessorCount} cores: median {times[times.Count / 2]:F2} s (min {times[0]:F2}, max {times[^1]:F2}, 5 runs)"));
        return 0;
    }

    /// <summary>The engines of the main-image pipeline and its two renders, shared by the throughput run and the step breakdown.</summary>
    private sealed record MainImageSteps(ICutoutEngine Cutout, IImageComposer Composer, MarketplaceProfile Amazon, IComplianceChecker Checker)
    {
        public static MainImageSteps From(ServiceProvider services) => new(
            services.GetRequiredService<ICutoutEngine>(),
            services.GetRequiredService<IImageComposer>(),
            services.GetRequiredService<IMarketplaceCatalog>().Find("amazon")!,
            services.GetRequiredService<IComplianceChecker>());

        public EncodedImage Main(CutoutResult cut) =>
            Composer.MainImage(cut.Product, Amazon.Main, contactShadow: false, new OutputSpec(ImageFormat.Jpeg, Local, Watermark: false, MaxBytes: Amazon.Main.MaxBytes));

        public bool Check(EncodedImage main) => Checker.Check(main.Bytes, Amazon).Passed;
    }

    private static ServiceProvider Services() => new ServiceCollection().AddLocalImaging().BuildServiceProvider();

    private static double PeakRssMegabytes()
    {
        // VmHWM is the kernel's high-water mark of resident memory: native libvips buffers included.
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>A seller's photo: a shaded bottle on a paper sweep with a soft shadow and sensor noise, varied per index.</summary>
    private static byte[] ProductPhoto(int width, int height, int index)
    {
        var random = new Random(index);
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        var paperTone = 228 + random.Next(0, 14);
        using var paper = (y * (12.0 / height)) + paperTone;
        using var noise = Image.Gaussnoise(width, height, mean: 0, sigma: 2.5);
        using var backdrop = (paper + noise).Cast(Enums.BandFormat.Uchar);
        using var background = backdrop.Bandjoin([backdrop, backdrop]).Copy(interpretation: Enums.Interpretation.Srgb);
        var cx = (width / 2.0) + random.Next(-400, 400);
        var bodyHalf = 300 + random.Next(0, 200);
        var top = 700 + random.Next(0, 300);
        var bottom = 2500 + random.Next(0, 200);
        using var body = ((x - cx).Abs() < bodyHalf) & (y > top + 500) & (y < bottom);
        using var neck = ((x - cx).Abs() < bodyHalf / 3) & (y > top) & (y <= top + 500);
        using var mask = body | neck;
        using var shade = 1.0 - ((x - cx).Abs() / bodyHalf * 0.4);
        byte[] colour = [(byte)random.Next(20, 220), (byte)random.Next(20, 220), (byte)random.Next(20, 220)];
        using var r = (shade * colour[0]).Cast(Enums.BandFormat.Uchar);
        using var g = (shade * colour[1]).Cast(Enums.BandFormat.Uchar);
        using var b = (shade * colour[2]).Cast(Enums.BandFormat.Uchar);
        using var paint = r.Bandjoin([g, b]).Copy(interpretation: Enums.Interpretation.Srgb);
        // The soft shadow is blurred at 1/8 size and scaled up: a full-size sigma-30 blur made preparing 100 photos take minutes.
        using var small = Image.Xyz(width / 8, height / 8);
        using var sx = small[0];
        using var sy = small[1];
        using var shadowShape = ((((sx * 8) - cx) / (bodyHalf * 1.3)).Pow(2) + ((((sy * 8) - bottom) / 60.0).Pow(2))) < 1;
        using var softSmall = shadowShape.Cast(Enums.BandFormat.Float).Gaussblur(30 / 8.0);
        using var soft = softSmall.Resize(8, kernel: Enums.Kernel.Linear);
        using var darken = 1.0 - (soft / 255.0 * 0.3);
        using var shadowed = (background * darken).Cast(Enums.BandFormat.Uchar);
        using var photo = mask.Ifthenelse(paint, shadowed);
        return photo.JpegsaveBuffer(q: 92);
    }
}
