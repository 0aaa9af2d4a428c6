namespace CommerceOS.Connectors.Images;

/// <summary>
/// FLUX1.1 [pro] takes width and height in multiples of 32 between 256 and 1440. A request is
/// scaled into that box keeping its aspect ratio (larger outputs are upscaled afterwards by the
/// local pipeline), then each side is rounded to the nearest multiple of 32.
/// </summary>
public static class FluxDimensions
{
    public const int Min = 256;
    public const int Max = 1440;
    public const int Step = 32;

    public static (int Width, int Height) Fit(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);

        // Shrink so the long side fits; grow only when the short side is below the minimum.
        var scale = Math.Min(1.0, (double)Max / Math.Max(width, height));
        if (Math.Min(width, height) * scale < Min)
        {
            scale = (double)Min / Math.Min(width, height);
        }

        return (Round(width * scale), Round(height * scale));
    }

    private static int Round(double side) => Math.Clamp((int)Math.Round(side / Step, MidpointRounding.AwayFromZero) * Step, Min, Max);
}
