using System.Globalization;

namespace CommerceOS.Engines.Video;

/// <summary>
/// Reads ffmpeg's <c>-progress</c> output (one <c>key=value</c> per line, a block per update ending in
/// <c>progress=continue</c> or <c>progress=end</c>) as a fraction of the expected output duration.
/// </summary>
public sealed class FfmpegProgress(TimeSpan expected)
{
    private double _last;

    /// <summary>The new fraction (0..1) when <paramref name="line"/> moves it forward, else null.</summary>
    public double? Read(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return null;
        }

        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        var key = line.AsSpan(0, equals);
        var value = line.AsSpan(equals + 1).Trim();
        double fraction;
        if (key.SequenceEqual("progress") && value.SequenceEqual("end"))
        {
            fraction = 1;
        }
        // out_time_us and (despite its name) out_time_ms are both microseconds; ffmpeg writes "N/A" before the first frame.
        else if ((key.SequenceEqual("out_time_us") || key.SequenceEqual("out_time_ms"))
            && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var microseconds)
            && expected > TimeSpan.Zero)
        {
            fraction = Math.Clamp(microseconds / 1_000_000.0 / expected.TotalSeconds, 0, 1);
        }
        else
        {
            return null;
        }

        if (fraction <= _last)
        {
            return null;
        }

        _last = fraction;
        return fraction;
    }
}
