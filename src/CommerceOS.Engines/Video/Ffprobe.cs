using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Video;

namespace CommerceOS.Engines.Video;

/// <summary>ffprobe from an argument list (no shell), reading its JSON; cancelling kills it.</summary>
public static class Ffprobe
{
    public const string Executable = "ffprobe";

    /// <summary>The streams and format of <paramref name="path"/>, or null when ffprobe cannot read it.</summary>
    /// <param name="demuxer">Forces the container ("mp3", "mov"...) for an untrusted file; null lets ffprobe probe our own outputs.</param>
    public static async Task<JsonElement?> ReadAsync(string path, string? demuxer, CancellationToken cancellationToken)
    {
        List<string> args = ["-v", "error", "-protocol_whitelist", "file"];
        if (demuxer is not null)
        {
            args.AddRange(["-f", demuxer]);
        }

        args.AddRange(["-print_format", "json", "-show_streams", "-show_format", "file:" + Path.GetFullPath(path)]);
        using var process = MediaTool.Start(Executable, args);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        string json;
        try
        {
            json = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        await errors;
        if (process.ExitCode != 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The <see cref="VideoProbe"/> of an ffprobe document for a file of <paramref name="bytes"/> bytes.</summary>
    public static VideoProbe ToProbe(JsonElement root, long bytes)
    {
        var streams = root.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => Text(x, "codec_type") == "video");
        var audio = streams.FirstOrDefault(x => Text(x, "codec_type") == "audio");
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object ? Text(format, "format_name") ?? "" : "";
        var container = formatName.Contains("mp4", StringComparison.Ordinal) ? "mp4" : formatName.Split(',')[0];
        return new VideoProbe(
            TimeSpan.FromSeconds(Seconds(format)),
            video.ValueKind == JsonValueKind.Object && video.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            video.ValueKind == JsonValueKind.Object && video.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
            bytes,
            container,
            video.ValueKind == JsonValueKind.Object ? Text(video, "codec_name") ?? "" : "",
            audio.ValueKind == JsonValueKind.Object ? Text(audio, "codec_name") : null,
            video.ValueKind == JsonValueKind.Object ? Rate(Text(video, "avg_frame_rate")) : 0);
    }

    /// <summary>The format's duration in seconds; 0 when ffprobe gives none.</summary>
    public static double Seconds(JsonElement format) =>
        format.ValueKind == JsonValueKind.Object && double.TryParse(Text(format, "duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Rate(string? fraction)
    {
        var parts = (fraction ?? "").Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? n / d : 0;
    }
}
