using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CommerceOS.Core.Video;

namespace CommerceOS.Engines.Video;

/// <summary>
/// The product-showcase template's ffmpeg arguments: one shot per photo or scene with a camera move (slow push in, pull
/// out, or a pan), joined by cross-fades, encoded as H.264 MP4 for any channel. Only numbers, validated colours and file
/// paths (as separate argv entries, never inside the filter graph) reach ffmpeg.
/// </summary>
public static partial class ShowcaseGraph
{
    public const int MaxShots = 12;

    /// <summary>Cross-fade between shots.</summary>
    public static readonly TimeSpan Transition = TimeSpan.FromMilliseconds(500);

    /// <summary>Captions burn in with Noto Sans CJK, which draws Latin and Chinese alike (fonts-noto-cjk).</summary>
    public const string CaptionFont = "Noto Sans CJK SC";

    /// <param name="captions">An SRT file the caller wrote in its own temporary folder, burned in at the bottom; null for none.</param>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> images, VideoFormat format, TimeSpan duration, string background, string output, string? captions = null)
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

        // The captions file is the one path inside the filter graph: ours, so it is held to characters with no meaning there.
        if (captions is not null && !SafePath().IsMatch(captions))
        {
            throw new ArgumentException("The captions file must be a plain path in the render's own folder.", nameof(captions));
        }

        if (!HexColour().IsMatch(background))
        {
            throw new ArgumentException("The background must be a #RRGGBB colour.", nameof(background));
        }

        var fps = VideoFormats.FramesPerSecond;
        var n = images.Count;
        var fade = n > 1 ? Transition.TotalSeconds : 0;
        // Shots overlap by the fade, so together they last exactly the requested duration.
        var shot = (duration.TotalSeconds + ((n - 1) * fade)) / n;
        var frames = (int)Math.Round(shot * fps);
        var (w, h) = (format.Width, format.Height);
        var colour = "0x" + background[1..];

        var args = new List<string>();
        foreach (var image in images)
        {
            args.AddRange(["-i", image]);
        }

        var graph = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            // Twice the output size first, so the camera moves over real pixels instead of re-sampling a small frame.
            graph.Append(Inv($"[{i}:v]scale={w * 2}:{h * 2}:force_original_aspect_ratio=decrease,pad={w * 2}:{h * 2}:(ow-iw)/2:(oh-ih)/2:color={colour},"));
            graph.Append(Inv($"zoompan={Move(i, frames)}:d={frames}:s={w}x{h}:fps={fps},setsar=1,format=yuv420p,settb=AVTB[s{i}];"));
        }

        var joined = captions is null ? "v" : "joined";
        var last = "s0";
        for (var i = 1; i < n; i++)
        {
            var offset = i * (shot - fade);
            var label = i == n - 1 ? joined : $"x{i}";
            graph.Append(Inv($"[{last}][s{i}]xfade=transition=fade:duration={fade:0.###}:offset={offset:0.###}[{label}];"));
            last = label;
        }

        if (n == 1)
        {
            graph.Append(Inv($"[s0]null[{joined}];"));
        }

        if (captions is not null)
        {
            // libass sizes text against a 288-line canvas: 14 reads well on a phone at every format.
            graph.Append(Inv($"[{joined}]subtitles=filename={captions}:force_style='FontName={CaptionFont},FontSize=14,Outline=2,Shadow=0,MarginV=24'[v];"));
        }

        args.AddRange(["-filter_complex", graph.ToString().TrimEnd(';'), "-map", "[v]"]);
        args.AddRange(["-t", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        args.AddRange(["-r", fps.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart", output]);
        return args;
    }

    /// <summary>Push in, pull out, pan left to right: the i-th shot's camera move over <paramref name="frames"/> frames.</summary>
    private static string Move(int i, int frames) => (i % 3) switch
    {
        0 => Inv($"z='min(1+0.15*on/{frames},1.15)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"),
        1 => Inv($"z='max(1.15-0.15*on/{frames},1)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"),
        _ => Inv($"z='1.12':x='(iw-iw/zoom)*on/{frames}':y='ih/2-(ih/zoom/2)'"),
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColour();

    [GeneratedRegex("^[A-Za-z0-9/_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePath();
}
