using CommerceOS.Core.Video;

namespace CommerceOS.Engines.Video;

/// <summary>
/// The product-showcase template's ffmpeg arguments: one shot per photo or scene with a camera move (slow push in, pull
/// out, or a pan), joined by cross-fades, encoded as H.264 MP4 for any channel. Built by <see cref="VideoGraph"/>, so only
/// numbers, validated colours and file paths (as separate argv entries, never inside the filter graph) reach ffmpeg.
/// </summary>
public static class ShowcaseGraph
{
    public const int MaxShots = 12;

    /// <summary>Cross-fade between shots.</summary>
    public static readonly TimeSpan Transition = TimeSpan.FromMilliseconds(500);

    /// <summary>Captions burn in with Noto Sans CJK, which draws Latin and Chinese alike (fonts-noto-cjk).</summary>
    public const string CaptionFont = VideoGraph.CaptionFont;

    /// <summary>Push in, pull out, pan left to right, in turn.</summary>
    public static CameraMove MoveFor(int shot) => (shot % 3) switch
    {
        0 => CameraMove.PushIn,
        1 => CameraMove.PullOut,
        _ => CameraMove.PanRight,
    };

    /// <summary>The showcase's shots and cross-fades over <paramref name="images"/>, ready for overlays, captions and music.</summary>
    public static Timeline Timeline(IReadOnlyList<string> images, VideoFormat format, TimeSpan duration, string background, string output, string? captions = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(format);
        if (images.Count is 0 or > MaxShots)
        {
            throw new ArgumentOutOfRangeException(nameof(images), images.Count, $"A showcase has 1 to {MaxShots} shots.");
        }

        if (duration < VideoFormats.MinDuration || duration > VideoFormats.MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Durations are 6 to 60 seconds.");
        }

        var fade = images.Count > 1 ? (int)Math.Round(Transition.TotalSeconds * VideoFormats.FramesPerSecond) : 0;
        var frames = VideoGraph.Distribute((int)Math.Round(duration.TotalSeconds * VideoFormats.FramesPerSecond), images.Count, fade);
        var shots = frames.Select((f, i) => new Shot(i, f, MoveFor(i))).ToList();
        return new Timeline(format, duration, images, shots, "fade", fade, background, [], captions, VideoGraph.DefaultCaptions, null, output);
    }

    /// <param name="captions">An SRT file the caller wrote in its own temporary folder, burned in at the bottom; null for none.</param>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> images, VideoFormat format, TimeSpan duration, string background, string output, string? captions = null) =>
        VideoGraph.Arguments(Timeline(images, format, duration, background, output, captions));
}
