using System.Globalization;
using CommerceOS.Core.Video;

namespace CommerceOS.Engines.Video;

/// <summary>
/// A channel's copy of a video (TikTok Shop's 10 MB, Shopee's 1280x1280 box): scaled with lanczos and encoded with a
/// bitrate budget from the size limit and the duration, audio kept at 128 kb/s. A first try that still lands over the
/// limit (x264's rate control overshoots on short clips) is encoded again with a budget cut by the overshoot.
/// </summary>
public sealed class VideoFitter(IVideoRenderer renderer) : IVideoFitter
{
    private const int AudioBitsPerSecond = 128_000;

    /// <summary>Headroom for the MP4 container and rate-control overshoot.</summary>
    private const double Headroom = 0.9;

    private const int MinVideoBitsPerSecond = 200_000;

    public async Task<VideoProbe> FitAsync(string inputPath, string outputPath, int width, int height, long? maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        var source = await renderer.ProbeAsync(inputPath, cancellationToken);
        var seconds = Math.Max(source.Duration.TotalSeconds, 0.1);
        long? budget = maxBytes is { } limit
            ? Math.Max(MinVideoBitsPerSecond, (long)((limit * 8 * Headroom / seconds) - (source.AudioCodec is null ? 0 : AudioBitsPerSecond)))
            : null;
        for (var attempt = 0; ; attempt++)
        {
            await FfmpegProcess.RunAsync(Arguments(inputPath, outputPath, width & ~1, height & ~1, budget, source.AudioCodec is not null), source.Duration, null, cancellationToken);
            var fitted = await renderer.ProbeAsync(outputPath, cancellationToken);
            if (maxBytes is not { } max || fitted.Bytes <= max || attempt == 1 || budget is not { } bits)
            {
                return fitted;
            }

            budget = Math.Max(MinVideoBitsPerSecond, (long)(bits * (double)max / fitted.Bytes * Headroom));
        }
    }

    /// <summary>The arguments for one encode: only numbers and our own paths.</summary>
    public static IReadOnlyList<string> Arguments(string input, string output, int width, int height, long? videoBitsPerSecond, bool audio)
    {
        var args = new List<string> { "-i", input, "-map", "0:v:0" };
        if (audio)
        {
            args.AddRange(["-map", "0:a:0", "-c:a", "aac", "-b:a", AudioBitsPerSecond.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=lanczos,setsar=1"), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"]);
        if (videoBitsPerSecond is { } bits)
        {
            var rate = bits.ToString(CultureInfo.InvariantCulture);
            args.AddRange(["-b:v", rate, "-maxrate", rate, "-bufsize", (bits * 2).ToString(CultureInfo.InvariantCulture)]);
        }
        else
        {
            args.AddRange(["-crf", "23"]);
        }

        // The master carries only our provenance tag: the copy keeps it.
        args.AddRange(["-map_metadata", "0", "-movflags", "+faststart", output]);
        return args;
    }
}
