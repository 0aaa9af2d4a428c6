namespace CommerceOS.Core.Video;

/// <summary>An output frame size; <see cref="Id"/> is the ratio as sellers name it.</summary>
public sealed record VideoFormat(string Id, int Width, int Height);

/// <summary>The formats and durations issue 5 names: 9:16 (1080x1920), 1:1, 4:5, 16:9; 6-60 s.</summary>
public static class VideoFormats
{
    public static readonly VideoFormat Vertical = new("9:16", 1080, 1920);
    public static readonly VideoFormat Square = new("1:1", 1080, 1080);
    public static readonly VideoFormat Portrait = new("4:5", 1080, 1350);
    public static readonly VideoFormat Landscape = new("16:9", 1920, 1080);

    public static readonly IReadOnlyList<VideoFormat> All = [Vertical, Square, Portrait, Landscape];

    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    public const int FramesPerSecond = 30;

    public static VideoFormat? Find(string? id) => All.FirstOrDefault(f => f.Id == id?.Trim());
}
