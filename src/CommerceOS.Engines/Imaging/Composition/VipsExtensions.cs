using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>Conveniences NetVips lacks: scalar <c>linear</c> and a typed <c>find_trim</c>.</summary>
internal static class VipsExtensions
{
    /// <summary>a * image + b for a single-band (or uniformly scaled) image; chosen only where NetVips' array overload does not apply.</summary>
    public static Image Linear(this Image image, double a, double b) => image.Linear([a], [b]);

    /// <summary>The box of pixels differing from <paramref name="background"/> by more than <paramref name="threshold"/>; width 0 when none.</summary>
    public static PixelBox Trim(this Image image, double threshold, double[] background)
    {
        var result = image.FindTrim(threshold: threshold, background: background);
        return new PixelBox(Convert.ToInt32(result[0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(result[1], System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt32(result[2], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(result[3], System.Globalization.CultureInfo.InvariantCulture));
    }
}
