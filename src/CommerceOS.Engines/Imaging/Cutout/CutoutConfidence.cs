namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>
/// How much to trust a cut-out, 0 to 1. Each factor is 1 for the photo the local engine is made for and
/// falls towards 0 with one way a photo can defeat it; they multiply, so any one failure is enough to
/// suggest an AI provider.
/// </summary>
internal static class CutoutConfidence
{
    public static double Score(Segmentation s)
    {
        // Busy or textured backdrop: the backdrop model leaves a large residual.
        var plain = Ramp(s.Noise, 6f, 1.8f);

        // Part of the border the model cannot explain that is not the product either (other objects, a room).
        var explained = Ramp(s.InlierShare + s.BorderTouch, 0.55f, 0.9f);

        // A product cropped by the frame is fine now and then (a bottom edge), but is often a close-up on clutter.
        var inside = Ramp(s.BorderTouch, 0.6f, 0.1f);

        // Foreground left over after keeping the product: clutter.
        var clean = Ramp(s.Discarded, 0.5f, 0.03f);

        // A faint outline (white on white) or many pixels near the threshold: the edge is a guess.
        var crisp = 0.5 + (0.5 * Ramp(s.EdgeContrast, 2.5f, 7f));
        var separated = Ramp(s.Ambiguous, 0.6f, 0.15f);

        var fraction = s.Area / (float)(s.Width * s.Height);
        var sized = Ramp(fraction, 0.002f, 0.01f) * Ramp(fraction, 0.9f, 0.75f);

        return Math.Round(plain * explained * inside * clean * crisp * separated * sized, 3);
    }

    /// <summary>For an alpha from elsewhere: a crisp matte has about one to three partly transparent pixels per outline pixel; a mushy or noisy one many more.</summary>
    public static double Crispness(byte[] alpha, int w, int h)
    {
        var outline = 0;
        var soft = 0;
        var transparent = 0;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                var a = alpha[i];
                transparent += a < 8 ? 1 : 0;
                if (a is >= 8 and <= 247)
                {
                    soft++;
                }

                if (a >= 128 && ((x > 0 && alpha[i - 1] < 128) || (x < w - 1 && alpha[i + 1] < 128) || (y > 0 && alpha[i - w] < 128) || (y < h - 1 && alpha[i + w] < 128)))
                {
                    outline++;
                }
            }
        }

        if (transparent == 0 || outline == 0)
        {
            // Nothing was cut away (an opaque image) or nothing is left: not a cut-out to trust.
            return 0;
        }

        var perOutline = soft / (double)outline;
        return Math.Round(Ramp((float)perOutline, 12f, 3f), 3);
    }

    /// <summary>0 at <paramref name="bad"/>, 1 at <paramref name="good"/>, linear between (either direction).</summary>
    private static double Ramp(float value, float bad, float good) => Math.Clamp((value - bad) / (good - bad), 0f, 1f);
}
