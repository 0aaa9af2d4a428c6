using System.Globalization;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;

namespace CommerceOS.Engines.Video;

/// <summary>
/// The local video engine (issue 5): every template, format and duration rendered by ffmpeg from an argument list, text
/// drawn into PNGs of ours, captions burned from an SRT file, music looped, trimmed and faded. Everything it writes goes
/// into the spec's work folder; what it does not return (drawn text, cards) is deleted before it returns or throws.
/// </summary>
public sealed class LocalVideoRenderer : IVideoRenderer
{
    /// <summary>Shares of the 0-1 progress: the encode dominates, the cover and the probe take a moment.</summary>
    private const double EncodeShare = 0.94;

    private const double CoverShare = 0.04;

    public static readonly TimeSpan MinMusic = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxMusic = TimeSpan.FromMinutes(10);

    /// <summary>EBU R128 streaming level issue 5 asks for: -16 LUFS integrated, true peak under -1.5 dBTP.</summary>
    public const double TargetLufs = -16;

    public async Task<RenderedVideo> RenderAsync(VideoRenderSpec spec, IProgress<double> progress, CancellationToken cancellationToken)
    {
        Check(spec);
        if (spec.Images.Count < VideoTemplates.MinImages(spec.Template))
        {
            throw new ArgumentException($"The {VideoTemplates.Id(spec.Template)} template needs at least {VideoTemplates.MinImages(spec.Template)} images.", nameof(spec));
        }

        var files = new Outputs(spec, VideoTemplates.Id(spec.Template));
        try
        {
            var scratch = Directory.CreateDirectory(files.Scratch).FullName;
            var srt = await files.WriteCaptionsAsync(spec.Captions, spec.Duration, cancellationToken);
            var plan = Plan(spec, scratch, files.Video, Outputs.InGraph(srt));
            await FfmpegProcess.RunAsync(WithProvenance(VideoGraph.Arguments(plan.Timeline), DigitalSourceType.CompositeSynthetic), spec.Duration, Share(progress, 0, EncodeShare), cancellationToken, files.Folder);
            return await FinishAsync(files, plan.CoverAt, spec.Format, progress, cancellationToken);
        }
        catch
        {
            files.DeleteReturned();
            throw;
        }
        finally
        {
            files.DeleteScratch();
        }
    }

    /// <summary>
    /// Draws the spec's text into <paramref name="scratch"/> and lays the template out: the exact ffmpeg run
    /// <see cref="RenderAsync"/> makes (the bench prints and replays it by hand).
    /// </summary>
    public static TemplatePlan Plan(VideoRenderSpec spec, string scratch, string output, string? srt)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return TemplatePlans.Plan(spec, new VideoArt(spec.Format, spec.Language, scratch), output, srt);
    }

    public async Task<RenderedVideo> ConformAsync(string clipPath, VideoRenderSpec spec, IProgress<double> progress, CancellationToken cancellationToken)
    {
        Check(spec);
        var demuxer = MediaSniffer.Video(await MediaSniffer.HeadAsync(clipPath, cancellationToken))
            ?? throw new InvalidMediaException(VideoEngineErrors.ClipUnsupported, "The provider's clip is not an MP4, MOV or WebM file.");
        var clip = await Ffprobe.ReadAsync(clipPath, demuxer, cancellationToken);
        var probe = clip is { } root ? Ffprobe.ToProbe(root, new FileInfo(clipPath).Length) : null;
        if (probe is null || probe.Width == 0 || probe.Duration <= TimeSpan.Zero)
        {
            throw new InvalidMediaException(VideoEngineErrors.ClipUndecodable, "The provider's clip has no readable video.");
        }

        // Providers round to their models' lengths (5 or 10 s, 4 to 8 s): the clip's length wins, capped at the asked one.
        var duration = probe.Duration < spec.Duration ? probe.Duration : spec.Duration;
        var files = new Outputs(spec, "conformed");
        try
        {
            var srt = await files.WriteCaptionsAsync(spec.Captions, duration, cancellationToken);
            // Every AI clip is labelled as such where it is seen; the free plan's mark comes on top.
            var mark = new VideoArt(spec.Format, spec.Language, Directory.CreateDirectory(files.Scratch).FullName).ClipOverlay(spec.Watermark).Path;
            var args = VideoGraph.ConformArguments(clipPath, demuxer, probe.Ratio, probe.AudioCodec is not null, spec.Format, duration, spec.PrimaryColour, Outputs.InGraph(srt), spec.MusicPath, files.Video, mark);
            await FfmpegProcess.RunAsync(WithProvenance(args, DigitalSourceType.TrainedAlgorithmicMedia), duration, Share(progress, 0, EncodeShare), cancellationToken, files.Folder);
            return await FinishAsync(files, duration / 3, spec.Format, progress, cancellationToken);
        }
        catch
        {
            files.DeleteReturned();
            throw;
        }
        finally
        {
            files.DeleteScratch();
        }
    }

    public async Task<PreparedMusic> PrepareMusicAsync(string inputPath, string outputPath, CancellationToken cancellationToken)
    {
        var demuxer = MediaSniffer.Audio(await MediaSniffer.HeadAsync(inputPath, cancellationToken))
            ?? throw new InvalidMediaException(VideoEngineErrors.MusicUnsupported, "The file is not MP3, AAC/M4A, WAV, OGG or FLAC audio.");
        var info = await Ffprobe.ReadAsync(inputPath, demuxer, cancellationToken);
        if (info is not { } root || !root.TryGetProperty("streams", out var streams) || !streams.EnumerateArray().Any(s => Ffprobe.Text(s, "codec_type") == "audio"))
        {
            throw new InvalidMediaException(VideoEngineErrors.MusicUndecodable, "The audio file cannot be decoded.");
        }

        CheckLength(TimeSpan.FromSeconds(Ffprobe.Seconds(root.TryGetProperty("format", out var f) ? f : default)));
        try
        {
            // Decoding stops just past the limit, so a header lying about the length cannot make us decode hours.
            await FfmpegProcess.RunAsync(
                [
                    "-protocol_whitelist", "file", "-f", demuxer, "-i", "file:" + Path.GetFullPath(inputPath),
                    "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
                    "-t", (MaxMusic.TotalSeconds + 1).ToString(CultureInfo.InvariantCulture),
                    "-af", "loudnorm=I=-16:TP=-1.5:LRA=11", "-ar", "48000", "-ac", "2",
                    "-c:a", "aac", "-b:a", "128k", "-f", "mp4", "-movflags", "+faststart", outputPath,
                ],
                MaxMusic,
                null,
                cancellationToken);
        }
        catch (FfmpegException e)
        {
            File.Delete(outputPath);
            throw new InvalidMediaException(VideoEngineErrors.MusicUndecodable, "The audio file cannot be decoded: " + e.ExitCode.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }

        var decoded = await ProbeAsync(outputPath, cancellationToken);
        try
        {
            CheckLength(decoded.Duration);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }

        return new PreparedMusic(outputPath, decoded.Duration);
    }

    public async Task<VideoProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var root = await Ffprobe.ReadAsync(path, null, cancellationToken)
            ?? throw new InvalidMediaException(VideoEngineErrors.ClipUndecodable, "ffprobe cannot read the file.");
        return Ffprobe.ToProbe(root, new FileInfo(path).Length);
    }

    private static void CheckLength(TimeSpan duration)
    {
        if (duration < MinMusic)
        {
            throw new InvalidMediaException(VideoEngineErrors.MusicTooShort, "The music is shorter than 1 second.");
        }

        if (duration > MaxMusic)
        {
            throw new InvalidMediaException(VideoEngineErrors.MusicTooLong, "The music is longer than 10 minutes.");
        }
    }

    private async Task<RenderedVideo> FinishAsync(Outputs files, TimeSpan coverAt, VideoFormat format, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // The frame is scaled to the format in case a cover time falls on a frame libx264 stored at another size (it never should).
        await FfmpegProcess.RunAsync(
            [
                "-ss", coverAt.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", files.Video, "-frames:v", "1",
                "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={format.Width}:{format.Height}"), "-q:v", "3", "-f", "image2", "-update", "1", files.Cover,
            ],
            TimeSpan.FromSeconds(1 / 30.0),
            null,
            cancellationToken);
        progress?.Report(EncodeShare + CoverShare);
        var probe = await ProbeAsync(files.Video, cancellationToken);
        progress?.Report(1);
        return new RenderedVideo(files.Video, files.Cover, files.Srt, files.Vtt, probe);
    }

    private static void Check(VideoRenderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!VideoFormats.All.Contains(spec.Format))
        {
            throw new ArgumentException("Unknown video format.", nameof(spec));
        }

        if (!VideoGraph.IsColour(spec.PrimaryColour) || !VideoGraph.IsColour(spec.AccentColour))
        {
            throw new ArgumentException("Brand colours must be #RRGGBB.", nameof(spec));
        }

        if (!Directory.Exists(spec.WorkFolder))
        {
            throw new ArgumentException("The work folder must exist.", nameof(spec));
        }
    }

    /// <summary>
    /// The IPTC digital source type in the MP4's comment tag, the machine-readable AI marking (marketplace-rules.md §9), with
    /// no other metadata carried over from the inputs (no seller data in files).
    /// </summary>
    private static List<string> WithProvenance(IReadOnlyList<string> arguments, DigitalSourceType type)
    {
        var args = arguments.ToList();
        args.InsertRange(args.Count - 1, ["-map_metadata", "-1", "-metadata", "comment=" + DigitalSourceTypes.Uri(type)]);
        return args;
    }

    private static Scaled Share(IProgress<double>? progress, double from, double to) => new(progress, from, to);

    private sealed class Scaled(IProgress<double>? inner, double from, double to) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(from + ((to - from) * value));
    }

    /// <summary>The files of one render: unique names, so renders sharing a work folder never collide.</summary>
    private sealed class Outputs
    {
        public Outputs(VideoRenderSpec spec, string kind)
        {
            Folder = Path.GetFullPath(spec.WorkFolder);
            var stem = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{kind}-{spec.Format.Width}x{spec.Format.Height}-{Guid.NewGuid():N}"));
            Video = stem + ".mp4";
            Cover = stem + ".jpg";
            Scratch = stem + ".parts";
            SrtCandidate = stem + ".srt";
            VttCandidate = stem + ".vtt";
        }

        /// <summary>ffmpeg runs here, so the captions file enters the filter graph by its own plain name, whatever the folder's path holds.</summary>
        public string Folder { get; }

        public string Video { get; }

        public string Cover { get; }

        public string Scratch { get; }

        public string? Srt { get; private set; }

        public string? Vtt { get; private set; }

        private string SrtCandidate { get; }

        private string VttCandidate { get; }

        public static string? InGraph(string? srt) => srt is null ? null : Path.GetFileName(srt);

        public async Task<string?> WriteCaptionsAsync(IReadOnlyList<string> lines, TimeSpan duration, CancellationToken cancellationToken)
        {
            var cues = Subtitles.Spread(lines ?? [], duration);
            if (cues.Count == 0)
            {
                return null;
            }

            (Srt, Vtt) = (SrtCandidate, VttCandidate);
            await File.WriteAllTextAsync(Srt, Subtitles.Srt(cues), cancellationToken);
            await File.WriteAllTextAsync(Vtt, Subtitles.WebVtt(cues), cancellationToken);
            return Srt;
        }

        public void DeleteReturned()
        {
            foreach (var path in new[] { Video, Cover, SrtCandidate, VttCandidate })
            {
                File.Delete(path);
            }

            DeleteScratch();
        }

        public void DeleteScratch()
        {
            if (Directory.Exists(Scratch))
            {
                Directory.Delete(Scratch, recursive: true);
            }
        }
    }
}
