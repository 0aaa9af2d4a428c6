using System.Diagnostics;
using System.Globalization;
using CommerceOS.Core.Generation;

namespace CommerceOS.Tests.Imaging.Cutout;

/// <summary>Runs an engine over the test set: IoU per photo, per shape and per scene (used by the tests and the benchmark console mode).</summary>
internal static class CutoutSetReport
{
    public sealed record Row(CutoutSample Sample, CutoutResult Result, double IoU, double Milliseconds);

    public static IReadOnlyList<Row> Run(ICutoutEngine engine, IReadOnlyList<CutoutSample> samples)
    {
        var rows = new List<Row>();
        foreach (var sample in samples)
        {
            var watch = Stopwatch.StartNew();
            var result = engine.Cut(sample.Jpeg);
            watch.Stop();
            var box = result.Bounds;
            var iou = CutoutTestSet.IoU(sample.Mask, sample.Width, sample.Height, result.Product.Pixels, box.X, box.Y, box.Width, box.Height);
            rows.Add(new Row(sample, result, iou, watch.Elapsed.TotalMilliseconds));
        }

        return rows;
    }

    public static string Format(IReadOnlyList<Row> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        foreach (var row in rows)
        {
            lines.Add(string.Create(c, $"{row.Sample.Name,-28} IoU {row.IoU:F4}  confidence {row.Result.Confidence:F2}  {row.Milliseconds,6:F1} ms"));
        }

        foreach (var group in rows.GroupBy(r => r.Sample.Shape))
        {
            lines.Add(string.Create(c, $"shape {group.Key,-14} mean IoU {group.Average(r => r.IoU):F4}  min {group.Min(r => r.IoU):F4}"));
        }

        foreach (var group in rows.GroupBy(r => r.Sample.Scene))
        {
            lines.Add(string.Create(c, $"scene {group.Key,-14} mean IoU {group.Average(r => r.IoU):F4}  min {group.Min(r => r.IoU):F4}  mean confidence {group.Average(r => r.Result.Confidence):F2}"));
        }

        lines.Add(string.Create(c, $"ALL ({rows.Count} photos) mean IoU {rows.Average(r => r.IoU):F4}  min {rows.Min(r => r.IoU):F4}  mean time {rows.Average(r => r.Milliseconds):F1} ms"));
        return string.Join('\n', lines);
    }
}
