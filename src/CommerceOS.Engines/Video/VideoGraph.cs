using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CommerceOS.Core.Video;

namespace CommerceOS.Engines.Video;

/// <summary>How the camera moves over one shot.</summary>
public enum CameraMove
{
    /// <summary>The whole picture, fitted, not moving (cards, before/after, turntable angles).</summary>
    Still,
    PushIn,
    PullOut,
    PanRight,

    /// <summary>A fast zoom in over the first frames, then a slow drift: the creator-video "punch in".</summary>
    PunchIn,
}

/// <summary>One shot: input <see cref="Input"/> (an index into <see cref="Timeline.Images"/>) for <see cref="Frames"/> frames.</summary>
public sealed record Shot(int Input, int Frames, CameraMove Move);

/// <summary>A transparent PNG of ours (text drawn by libvips) laid over the video from <see cref="Start"/> to <see cref="End"/> seconds at (X, Y).</summary>
public sealed record Overlay(string Png, double Start, double End, int X, int Y);

/// <summary>How captions are burned in (libass sizes against a 288-line canvas).</summary>
public sealed record CaptionStyle(int FontSize, int MarginV);

/// <summary>
/// Everything one ffmpeg run draws: shots joined by one kind of transition, overlays, burned captions and music. The
/// seller's words are never here: they are pixels in <see cref="Overlays"/> and cards, or lines in the captions file.
/// </summary>
/// <param name="Transition">An xfade transition name ("fade", "wipeleft", "dissolve"...), or "cut" for hard cuts.</param>
/// <param name="TransitionFrames">Frames two neighbouring shots overlap; 0 for cuts.</param>
public sealed record Timeline(
    VideoFormat Format,
    TimeSpan Duration,
    IReadOnlyList<string> Images,
    IReadOnlyList<Shot> Shots,
    string Transition,
    int TransitionFrames,
    string Background,
    IReadOnlyList<Overlay> Overlays,
    string? Captions,
    CaptionStyle CaptionStyle,
    string? Music,
    string Output);

/// <summary>
/// Builds the ffmpeg argument list of a <see cref="Timeline"/>. Only numbers, validated #RRGGBB colours, transition names
/// from a fixed list and the captions path of our own folder (held to plain characters) go into the filter graph; every
/// other path is its own argv entry after <c>-i</c>, read through the file protocol only.
/// </summary>
public static partial class VideoGraph
{
    public const string CutTransition = "cut";

    /// <summary>Captions burn in with Noto Sans CJK, which draws Latin and Chinese alike (fonts-noto-cjk).</summary>
    public const string CaptionFont = "Noto Sans CJK SC";

    public static readonly CaptionStyle DefaultCaptions = new(14, 24);

    /// <summary>
    /// Photos are scaled to this multiple of the frame before a camera move crops into them: the moves zoom up to 1.15x, so
    /// 1.25x keeps real pixels under the camera. 2x (the first version) cost 30 % more time and memory at 9:16 for no visible gain.
    /// </summary>
    public const double MoveHeadroom = 1.25;

    private static readonly HashSet<string> Transitions = ["fade", "wipeleft", "wiperight", "slideleft", "slideright", "dissolve", "fadeblack", "fadewhite", "smoothleft"];

    public static IReadOnlyList<string> Arguments(Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        Validate(timeline);
        var fps = VideoFormats.FramesPerSecond;
        var (w, h) = (timeline.Format.Width, timeline.Format.Height);
        var colour = "0x" + timeline.Background[1..];
        var seconds = timeline.Duration.TotalSeconds;
        var args = new List<string>();
        foreach (var image in timeline.Images)
        {
            // image2 with no file-name pattern: a '%' in a name is a character, not a frame number.
            args.AddRange(["-protocol_whitelist", "file", "-f", "image2", "-pattern_type", "none", "-i", FileUrl(image)]);
        }

        var overlayBase = timeline.Images.Count;
        foreach (var overlay in timeline.Overlays)
        {
            args.AddRange(["-protocol_whitelist", "file", "-f", "image2", "-pattern_type", "none", "-loop", "1", "-framerate", Num(fps), "-t", Num(overlay.End), "-i", FileUrl(overlay.Png)]);
        }

        var musicInput = overlayBase + timeline.Overlays.Count;
        if (timeline.Music is not null)
        {
            args.AddRange(["-protocol_whitelist", "file", "-stream_loop", "-1", "-i", FileUrl(timeline.Music)]);
        }

        var graph = new StringBuilder();
        // Each photo is fitted once (at the headroom its moves need) and split to the shots that show it.
        for (var i = 0; i < timeline.Images.Count; i++)
        {
            var uses = timeline.Shots.Where(s => s.Input == i).ToList();
            if (uses.Count == 0)
            {
                continue;
            }

            var factor = uses.Any(s => s.Move != CameraMove.Still) ? MoveHeadroom : 1;
            var (sw, sh) = (Even(w * factor), Even(h * factor));
            graph.Append(Inv($"[{i}:v]scale={sw}:{sh}:force_original_aspect_ratio=decrease,pad={sw}:{sh}:(ow-iw)/2:(oh-ih)/2:color={colour},setsar=1"));
            if (uses.Count == 1)
            {
                graph.Append(Inv($"[p{i}_0];"));
            }
            else
            {
                graph.Append(Inv($",split={uses.Count}"));
                for (var k = 0; k < uses.Count; k++)
                {
                    graph.Append(Inv($"[p{i}_{k}]"));
                }

                graph.Append(';');
            }
        }

        var used = new int[timeline.Images.Count];
        for (var s = 0; s < timeline.Shots.Count; s++)
        {
            var shot = timeline.Shots[s];
            var copy = used[shot.Input]++;
            graph.Append(Inv($"[p{shot.Input}_{copy}]zoompan={Move(shot.Move, shot.Frames)}:d={shot.Frames}:s={w}x{h}:fps={fps},setsar=1,format=yuv420p,settb=AVTB[s{s}];"));
        }

        var last = "s0";
        var n = timeline.Shots.Count;
        if (n > 1 && timeline.Transition == CutTransition)
        {
            for (var s = 0; s < n; s++)
            {
                graph.Append(Inv($"[s{s}]"));
            }

            graph.Append(Inv($"concat=n={n}:v=1:a=0[cut];"));
            last = "cut";
        }
        else
        {
            var fade = timeline.TransitionFrames / (double)fps;
            var elapsed = 0;
            for (var s = 1; s < n; s++)
            {
                // Each shot starts as the previous one begins fading out, so together they last exactly the duration.
                elapsed += timeline.Shots[s - 1].Frames - timeline.TransitionFrames;
                graph.Append(Inv($"[{last}][s{s}]xfade=transition={timeline.Transition}:duration={fade:0.###}:offset={elapsed / (double)fps:0.###}[x{s}];"));
                last = Inv($"x{s}");
            }
        }

        for (var o = 0; o < timeline.Overlays.Count; o++)
        {
            var overlay = timeline.Overlays[o];
            var fade = Math.Min(0.3, (overlay.End - overlay.Start) / 4);
            graph.Append(Inv($"[{overlayBase + o}:v]format=rgba,fade=t=in:st={overlay.Start:0.###}:d={fade:0.###}:alpha=1,fade=t=out:st={overlay.End - fade:0.###}:d={fade:0.###}:alpha=1[o{o}];"));
            graph.Append(Inv($"[{last}][o{o}]overlay=x={overlay.X}:y={overlay.Y}:eof_action=pass:enable='between(t,{overlay.Start:0.###},{overlay.End:0.###})'[v{o}];"));
            last = Inv($"v{o}");
        }

        Finish(graph, args, last, timeline.Captions, timeline.CaptionStyle, timeline.Music is null ? null : musicInput, seconds, Preset(timeline.Format), timeline.Output);
        return args;
    }

    /// <summary>
    /// A remote provider's clip fitted to <paramref name="format"/>: cropped to fill when its ratio is within 15 % of the
    /// format's, else scaled whole and padded in <paramref name="background"/>; then captions and music like a render. The
    /// clip's own sound is kept (re-encoded) when there is no music.
    /// </summary>
    /// <param name="demuxer">The container sniffed from the clip's bytes ("mov", "matroska"), forced so ffmpeg never guesses.</param>
    /// <param name="watermark">A frame-sized PNG of ours laid over the whole clip (the AI label, the free plan's mark), or null.</param>
    public static IReadOnlyList<string> ConformArguments(
        string clip, string demuxer, double clipRatio, bool clipHasAudio, VideoFormat format, TimeSpan duration, string background, string? captions, string? music, string output, string? watermark = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (captions is not null && !IsPlainPath(captions))
        {
            throw new ArgumentException("The captions file must be a plain path in the render's own folder.", nameof(captions));
        }

        if (!IsColour(background) || demuxer is not ("mov" or "matroska"))
        {
            throw new ArgumentException("The background must be a #RRGGBB colour and the container one the sniffer names.", nameof(background));
        }

        var (w, h) = (format.Width, format.Height);
        var seconds = duration.TotalSeconds;
        var args = new List<string> { "-protocol_whitelist", "file", "-f", demuxer, "-i", FileUrl(clip) };
        if (music is not null)
        {
            args.AddRange(["-protocol_whitelist", "file", "-stream_loop", "-1", "-i", FileUrl(music)]);
        }

        var fill = Math.Abs(Math.Log(clipRatio / ((double)w / h))) < Math.Log(1.15);
        var fit = fill
            ? Inv($"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}")
            : Inv($"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=0x{background[1..]}");
        var graph = new StringBuilder(Inv($"[0:v]{fit},setsar=1,fps={VideoFormats.FramesPerSecond},format=yuv420p[fit];"));
        var last = "fit";
        if (watermark is not null)
        {
            args.AddRange(["-protocol_whitelist", "file", "-f", "image2", "-pattern_type", "none", "-i", FileUrl(watermark)]);
            graph.Append(Inv($"[fit][{(music is null ? 1 : 2)}:v]overlay=0:0:format=auto[marked];"));
            last = "marked";
        }

        Finish(graph, args, last, captions, DefaultCaptions, music is null ? null : 1, seconds, Preset(format), output);
        if (music is null && clipHasAudio)
        {
            args.InsertRange(args.IndexOf("-t"), ["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k"]);
        }

        return args;
    }

    private static void Finish(StringBuilder graph, List<string> args, string last, string? captions, CaptionStyle style, int? musicInput, double seconds, string preset, string output)
    {
        if (captions is not null)
        {
            graph.Append(Inv($"[{last}]subtitles=filename={captions}:force_style='FontName={CaptionFont},FontSize={style.FontSize},Outline=2,Shadow=0,MarginV={style.MarginV}'[captioned];"));
            last = "captioned";
        }

        graph.Append(Inv($"[{last}]format=yuv420p[v]"));
        if (musicInput is not null)
        {
            // Looped by the demuxer, cut to the video, faded out over the last 2 s; the level stays as it was normalised.
            var fadeOut = Math.Min(2, seconds / 2);
            graph.Append(Inv($";[{musicInput}:a]atrim=0:{seconds:0.###},asetpts=PTS-STARTPTS,afade=t=out:st={seconds - fadeOut:0.###}:d={fadeOut:0.###}[a]"));
        }

        args.AddRange(["-filter_complex", graph.ToString(), "-map", "[v]"]);
        if (musicInput is not null)
        {
            args.AddRange(["-map", "[a]", "-c:a", "aac", "-b:a", "128k"]);
        }

        args.AddRange(["-t", Num(seconds), "-r", Num(VideoFormats.FramesPerSecond), "-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart", output]);
    }

    /// <summary>
    /// libx264's preset by frame size: veryfast for 1:1 and 4:5; superfast for the 2-megapixel 9:16 and 16:9, which cuts
    /// their encode by about a quarter (12.4 to 9.3 s for a 15 s 1080x1920 showcase on 2 cores) at a few percent more bytes.
    /// </summary>
    public static string Preset(VideoFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Width * format.Height >= 1920 * 1080 ? "superfast" : "veryfast";
    }

    /// <summary>Splits <paramref name="totalFrames"/> over <paramref name="shots"/> shots overlapping by <paramref name="overlap"/>, as evenly as whole frames allow.</summary>
    public static int[] Distribute(int totalFrames, int shots, int overlap)
    {
        var sum = totalFrames + ((shots - 1) * overlap);
        return Enumerable.Range(0, shots).Select(i => (sum / shots) + (i < sum % shots ? 1 : 0)).ToArray();
    }

    public static bool IsColour(string? text) => text is not null && HexColour().IsMatch(text);

    public static bool IsPlainPath(string? text) => text is not null && SafePath().IsMatch(text);

    private static void Validate(Timeline t)
    {
        ArgumentNullException.ThrowIfNull(t.Format);
        if (t.Duration < VideoFormats.MinDuration || t.Duration > VideoFormats.MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t.Duration, "Durations are 6 to 60 seconds.");
        }

        if (t.Shots.Count == 0 || t.Shots.Any(s => s.Input < 0 || s.Input >= t.Images.Count || s.Frames <= t.TransitionFrames))
        {
            throw new ArgumentException("Every shot shows one of the images and outlasts its transition.", nameof(t));
        }

        if (t.Transition != CutTransition && !Transitions.Contains(t.Transition))
        {
            throw new ArgumentException("Unknown transition.", nameof(t));
        }

        // The captions file is the one path inside the filter graph: ours, so it is held to characters with no meaning there.
        if (t.Captions is not null && !IsPlainPath(t.Captions))
        {
            throw new ArgumentException("The captions file must be a plain path in the render's own folder.", nameof(t));
        }

        if (!IsColour(t.Background))
        {
            throw new ArgumentException("The background must be a #RRGGBB colour.", nameof(t));
        }
    }

    /// <summary>Absolute and behind "file:", so a name like "concat:a|b" or "http:x" is only ever a file name.</summary>
    private static string FileUrl(string path) => "file:" + Path.GetFullPath(path);

    private static int Even(double value) => (int)Math.Round(value / 2) * 2;

    private static string Move(CameraMove move, int frames) => move switch
    {
        CameraMove.Still => "z=1:x=0:y=0",
        CameraMove.PushIn => Inv($"z='min(1+0.15*on/{frames},1.15)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"),
        CameraMove.PullOut => Inv($"z='max(1.15-0.15*on/{frames},1)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"),
        CameraMove.PanRight => Inv($"z='1.12':x='(iw-iw/zoom)*on/{frames}':y='ih/2-(ih/zoom/2)'"),
        CameraMove.PunchIn => Inv($"z='if(lt(on,5),1+0.024*on,1.12+0.03*on/{frames})':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
    };

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColour();

    [GeneratedRegex("^[A-Za-z0-9/_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePath();
}
