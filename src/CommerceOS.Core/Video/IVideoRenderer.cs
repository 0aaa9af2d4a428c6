namespace CommerceOS.Core.Video;

/// <summary>
/// Everything one local render needs. All paths are files in <see cref="WorkFolder"/>, written by the caller; the seller's
/// words travel as strings and the renderer must never put them into ffmpeg's filter syntax (it draws them into images or
/// subtitle files of its own).
/// </summary>
/// <param name="Images">Product photos, cut-outs or scenes in showing order (for a turntable: the angles in order).</param>
/// <param name="Title">Headline: the UGC hook line, the brand card's name line, the showcase's opening title; null for none.</param>
/// <param name="Captions">Caption lines spread over the video, burned in and written as SRT and WebVTT; empty for none.</param>
/// <param name="Points">Selling points, one per shot in the highlights template.</param>
/// <param name="Language">BCP 47 code of the text ("en", "zh-CN"...): chooses the font stack.</param>
/// <param name="PrimaryColour">Brand colour as #RRGGBB: backgrounds, cards and text panels.</param>
/// <param name="AccentColour">Brand accent as #RRGGBB: highlights and labels.</param>
/// <param name="LogoPath">The brand's logo (PNG with alpha), or null.</param>
/// <param name="MusicPath">Background music prepared by <see cref="IVideoRenderer.PrepareMusicAsync"/>, or null for a silent video.</param>
/// <param name="Labels">Words the template writes itself, already localized ("Before", "After"), by key.</param>
public sealed record VideoRenderSpec(
    VideoTemplate Template,
    VideoFormat Format,
    TimeSpan Duration,
    IReadOnlyList<string> Images,
    string? Title,
    IReadOnlyList<string> Captions,
    IReadOnlyList<string> Points,
    string Language,
    string PrimaryColour,
    string AccentColour,
    string? BrandName,
    string? LogoPath,
    string? MusicPath,
    IReadOnlyDictionary<string, string> Labels,
    string WorkFolder);

/// <summary>What ffprobe reports about a finished file.</summary>
public sealed record VideoProbe(TimeSpan Duration, int Width, int Height, long Bytes, string Container, string VideoCodec, string? AudioCodec, double FramesPerSecond)
{
    /// <summary>Width over height.</summary>
    public double Ratio => Height == 0 ? 0 : (double)Width / Height;
}

/// <summary>A finished render: every file is inside the spec's work folder, which the caller deletes.</summary>
/// <param name="CoverPath">A JPEG frame of the video at its size, for the player poster and the marketplace cover.</param>
/// <param name="SrtPath">Null when there were no captions.</param>
public sealed record RenderedVideo(string VideoPath, string CoverPath, string? SrtPath, string? VttPath, VideoProbe Probe);

/// <summary>Music prepared for mixing: AAC in MP4, loudness-normalised, metadata stripped.</summary>
public sealed record PreparedMusic(string Path, TimeSpan Duration);

/// <summary>The local video engine (ffmpeg).</summary>
public interface IVideoRenderer
{
    /// <summary>Renders <paramref name="spec"/>, reporting 0-1 progress parsed from ffmpeg. Cancelling kills ffmpeg before returning.</summary>
    Task<RenderedVideo> RenderAsync(VideoRenderSpec spec, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Conforms a clip from a remote provider to <paramref name="spec"/>'s format (scaled and padded in the primary colour),
    /// burns the captions, mixes the music, and returns it like a render; <see cref="VideoRenderSpec.Images"/> is unused.
    /// </summary>
    Task<RenderedVideo> ConformAsync(string clipPath, VideoRenderSpec spec, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Decodes an uploaded audio file (untrusted: MP3, AAC/M4A, WAV, OGG or FLAC by its magic bytes) and writes it as AAC
    /// normalised to -16 LUFS. Throws <see cref="InvalidMediaException"/> for anything that is not decodable audio of 1 s to 10 min.
    /// </summary>
    Task<PreparedMusic> PrepareMusicAsync(string inputPath, string outputPath, CancellationToken cancellationToken);

    Task<VideoProbe> ProbeAsync(string path, CancellationToken cancellationToken);
}

/// <summary>A seller's file that is not what it must be; <see cref="Code"/> is a localized error key.</summary>
public sealed class InvalidMediaException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Makes a channel's copy of a finished video: a smaller frame and a bitrate that keeps the file under a size.</summary>
public interface IVideoFitter
{
    /// <summary>
    /// Re-encodes <paramref name="inputPath"/> into <paramref name="outputPath"/> at <paramref name="width"/>x<paramref name="height"/>
    /// (even sizes; the input's ratio) and, when <paramref name="maxBytes"/> is set, at a bitrate that fits. Returns the copy's probe.
    /// </summary>
    Task<VideoProbe> FitAsync(string inputPath, string outputPath, int width, int height, long? maxBytes, CancellationToken cancellationToken);
}
