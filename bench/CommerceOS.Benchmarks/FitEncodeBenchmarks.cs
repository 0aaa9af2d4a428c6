using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging.Composition;
using NetVips;

namespace CommerceOS.Benchmarks;

/// <summary>
/// Fit-and-encode (issue 3): a 4000 x 3000 JPEG decoded, resized to fit 2000 x 2000, centred on a white
/// 2000 x 2000 canvas and written as JPEG q90, by three implementations in one run, one thread each:
/// CommerceOS's <see cref="CanvasFit.Contain"/> (the path Fit uses for white-bordered images, finished by
/// ImageOutput.Encode with the provenance XMP), the vips command-line tools, and ImageMagick's convert.
/// Each operation reads the JPEG from a file and writes the result to a file, as the command-line peers do.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives from benchmark classes.</remarks>
public class FitEncodeBenchmarks
{
    public const int SourceWidth = 4000;
    public const int SourceHeight = 3000;
    public const int Side = 2000;

    private static readonly OutputSpec Spec = new(ImageFormat.Jpeg, new XmpProvenance(DigitalSourceType.CompositeSynthetic, "local", "fit/1"), Watermark: false, Quality: 90);

    private string _folder = "";
    private string _input = "";

    [GlobalSetup]
    public void Setup()
    {
        // Per core: libvips gets one worker thread, and no operation cache (a cached thumbnail of the same bytes would skip the work).
        NetVips.NetVips.Concurrency = 1;
        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        _folder = Path.Combine(Path.GetTempPath(), "commerceos-fit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _input = Path.Combine(_folder, "in.jpg");
        File.WriteAllBytes(_input, MakePhoto());
    }

    [Benchmark(Description = "CommerceOS CanvasFit.Contain")]
    public long CommerceOS()
    {
        var bytes = File.ReadAllBytes(_input);
        var result = CanvasFit.Contain(bytes, Side, Side, Rgb.White, Spec);
        File.WriteAllBytes(Path.Combine(_folder, "ours.jpg"), result.Bytes);
        return result.Bytes.LongLength;
    }

    [Benchmark(Baseline = true, Description = "vips CLI thumbnail + gravity")]
    public int VipsCli()
    {
        var shrunk = Path.Combine(_folder, "shrunk.v");
        Run("vips", ["thumbnail", _input, shrunk, $"{Side}", "--height", $"{Side}"]);
        return Run("vips", ["gravity", shrunk, Path.Combine(_folder, "vips.jpg") + "[Q=90]", "centre", $"{Side}", $"{Side}", "--extend", "background", "--background", "255 255 255"]);
    }

    [Benchmark(Description = "ImageMagick convert")]
    public int ImageMagick() =>
        Run("/usr/bin/convert", ["-limit", "thread", "1", _input, "-resize", $"{Side}x{Side}", "-background", "white", "-gravity", "center", "-extent", $"{Side}x{Side}", "-quality", "90", Path.Combine(_folder, "magick.jpg")]);

    [GlobalCleanup]
    public void Cleanup()
    {
        // Every implementation made a 2000 x 2000 image (checked once, outside the measurement).
        foreach (var name in new[] { "ours.jpg", "vips.jpg", "magick.jpg" })
        {
            var path = Path.Combine(_folder, name);
            if (!File.Exists(path))
            {
                continue;
            }

            using var image = Image.NewFromFile(path);
            if (image.Width != Side || image.Height != Side)
            {
                throw new InvalidOperationException($"{name} is {image.Width}x{image.Height}, expected {Side}x{Side}.");
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A photo-like JPEG: smooth light, mid-frequency structure and sensor-like grain, so the encoder has real work.</summary>
    public static byte[] MakePhoto()
    {
        using var xyz = Image.Xyz(SourceWidth, SourceHeight);
        using var x = xyz[0];
        using var y = xyz[1];
        using var red = x.Linear([120.0 / SourceWidth], [70]);
        using var green = y.Linear([90.0 / SourceHeight], [80]);
        using var blueBase = x + y;
        using var blue = blueBase.Linear([60.0 / (SourceWidth + SourceHeight)], [110]);
        using var light = red.Bandjoin(green, blue);
        using var structure = Image.Perlin(SourceWidth, SourceHeight, cellSize: 180, seed: 1);
        using var detail = Image.Perlin(SourceWidth, SourceHeight, cellSize: 24, seed: 2);
        using var grain = Image.Gaussnoise(SourceWidth, SourceHeight, sigma: 5, mean: 0, seed: 3);
        using var structured = light + (structure * 55.0);
        using var detailed = structured + (detail * 18.0);
        using var noisy = detailed + grain;
        using var uchar = noisy.Cast(Enums.BandFormat.Uchar);
        using var srgb = uchar.Copy(interpretation: Enums.Interpretation.Srgb);
        return srgb.JpegsaveBuffer(q: 92);
    }

    private static int Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // One worker thread for the peers too: VIPS_CONCURRENCY for vips, -limit thread 1 for ImageMagick (and OpenMP).
        start.Environment["VIPS_CONCURRENCY"] = "1";
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start (run bench/fit-encode.sh to install it).");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {errors.GetAwaiter().GetResult()}");
        }

        return process.ExitCode;
    }
}
