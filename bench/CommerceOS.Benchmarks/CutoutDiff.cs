using System.Globalization;
using CommerceOS.Engines.Imaging.Cutout;
using CommerceOS.Tests.Imaging.Cutout;
using NetVips;

namespace CommerceOS.Benchmarks;

/// <summary>
/// For work on the cut-out: one photo of the IoU test set beside a map of where the local engine's alpha (at least
/// 128) agrees with the known mask (grey), adds to it (red) or misses it (blue).
/// </summary>
internal static class CutoutDiff
{
    public static int Write(int index, string directory)
    {
        Directory.CreateDirectory(directory);
        var sample = CutoutTestSet.Render(index);
        var result = new LocalCutoutEngine().Cut(sample.Jpeg);
        var (w, h, box) = (sample.Width, sample.Height, result.Bounds);
        var map = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                var inBox = x >= box.X && x < box.X + box.Width && y >= box.Y && y < box.Y + box.Height;
                var predicted = inBox && result.Product.Pixels[((((y - box.Y) * box.Width) + (x - box.X)) * 4) + 3] >= 128;
                var truth = sample.Mask[i] != 0;
                (map[3 * i], map[(3 * i) + 1], map[(3 * i) + 2]) = (predicted, truth) switch
                {
                    (true, true) => ((byte)180, (byte)180, (byte)180),
                    (true, false) => ((byte)255, (byte)0, (byte)0),
                    (false, true) => ((byte)0, (byte)0, (byte)255),
                    _ => ((byte)0, (byte)0, (byte)0),
                };
            }
        }

        var stem = Path.Combine(directory, sample.Name);
        File.WriteAllBytes(stem + "-photo.jpg", sample.Jpeg);
        using (var image = Image.NewFromMemory(map, w, h, 3, Enums.BandFormat.Uchar))
        {
            image.WriteToFile(stem + "-diff.png");
        }

        var iou = CutoutTestSet.IoU(sample.Mask, w, h, result.Product.Pixels, box.X, box.Y, box.Width, box.Height);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sample.Name}: IoU {iou:F4}, confidence {result.Confidence:F2}; wrote {stem}-photo.jpg and {stem}-diff.png"));
        return 0;
    }
}
