using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CommerceOS.Engines.Imaging.Cutout;
using CommerceOS.Tests.Imaging.Cutout;

namespace CommerceOS.Benchmarks;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Runs that are not BenchmarkDotNet timings: the cut-out's quality on the test set with known masks
        // (IoU per photo, shape, scene), and whole-pipeline wall time and peak memory (bench/image-pipeline.sh).
        switch (args)
        {
            case ["cutout-iou"]:
                Console.WriteLine(CutoutSetReport.Format(CutoutSetReport.Run(new LocalCutoutEngine(), CutoutTestSet.Generate())));
                return 0;
            case ["prepare", var directory]:
                return ImagePipelineRun.Prepare(directory);
            case ["pipeline", var directory]:
                return ImagePipelineRun.Pipeline(directory);
            case ["cutout-diff", var index, var directory]:
                return CutoutDiff.Write(int.Parse(index, CultureInfo.InvariantCulture), directory);
            case ["pipeline-steps", var directory]:
                return ImagePipelineRun.Steps(directory);
            case ["kit", var directory]:
                return ImagePipelineRun.Kit(directory);
            case ["video-render", var directory]:
                return VideoRenderRun.Run(directory).GetAwaiter().GetResult();
            case ["video-samples", var directory]:
                return VideoRenderRun.Samples(directory).GetAwaiter().GetResult();
            case ["copy-seo"]:
                return CopySeoRun.Run();
            case ["copy-sample", var m, var i, var t]:
                return CopySeoRun.Sample(m, int.Parse(i, CultureInfo.InvariantCulture), t);
        }

        // ShortRun (1 launch, 3 warm-ups, 3 iterations), in-process: no generated project to build, so the
        // repository's analyzer and warnings-as-errors settings never meet BenchmarkDotNet's generated code.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);

        var failed = false;
        foreach (var summary in summaries)
        {
            failed |= summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success);
            var means = summary.Reports
                .Where(r => r.Success && r.ResultStatistics is not null)
                .ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics!.Mean);
            if (means.TryGetValue(nameof(CsvImportBenchmarks.CommerceOSImport), out var ours)
                && means.TryGetValue(nameof(CsvImportBenchmarks.Sqlite3CliImport), out var peer))
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"csv-import: CommerceOS {ours / 1e6:F1} ms, sqlite3 .import {peer / 1e6:F1} ms, ratio {ours / peer:F2}x ({CsvImportBenchmarks.Rows} rows)"));
            }
        }

        return failed ? 1 : 0;
    }
}
