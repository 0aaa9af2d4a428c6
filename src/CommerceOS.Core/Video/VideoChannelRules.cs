using System.Globalization;

namespace CommerceOS.Core.Video;

/// <summary>How much a broken channel rule matters: sourced and product rules block, assumptions warn.</summary>
public enum VideoRuleSeverity
{
    Error = 0,
    Warning = 1,
}

/// <summary>
/// One channel's video rules (shared/reference/marketplace-rules.md). Null means the channel sets no such limit.
/// <see cref="MaxSeconds"/> is inclusive unless <see cref="MaxExclusive"/> (TikTok Shop's "&lt; 60 s").
/// </summary>
/// <param name="MinRatio">Narrowest width/height allowed (9:16 = 0.5625).</param>
/// <param name="MaxRatio">Widest width/height allowed (16:9 = 1.778).</param>
/// <param name="MaxSide">Neither side may exceed this many pixels (Shopee's 1280x1280 box).</param>
/// <param name="Source">Where the numbers come from: the section of marketplace-rules.md, with (S) sourced, (P) product prototype, (A) assumption.</param>
public sealed record VideoChannelRule(
    string Marketplace,
    double? MinSeconds,
    double? MaxSeconds,
    bool MaxExclusive,
    long? MaxBytes,
    double? MinRatio,
    double? MaxRatio,
    int? MaxSide,
    VideoRuleSeverity Severity,
    string Source);

/// <summary>A rule a video breaks; <see cref="Code"/> is a localized key, <see cref="Arguments"/> its placeholders.</summary>
public sealed record VideoRuleIssue(string Code, IReadOnlyList<string> Arguments, VideoRuleSeverity Severity, string Source);

/// <summary>A video checked against one channel.</summary>
public sealed record VideoChannelReport(string Marketplace, bool Passes, IReadOnlyList<VideoRuleIssue> Issues);

/// <summary>The channel video rules issue 5 names, and the check of a probed file against them.</summary>
public static class VideoChannelRules
{
    public const string DurationTooShort = "video.rule.duration_short";
    public const string DurationTooLong = "video.rule.duration_long";
    public const string FileTooLarge = "video.rule.file_large";
    public const string RatioOutOfRange = "video.rule.ratio";
    public const string ResolutionTooLarge = "video.rule.resolution";
    public const string NotMp4 = "video.rule.container";

    private const long MB = 1024 * 1024;

    public static readonly IReadOnlyList<VideoChannelRule> All =
    [
        // §3 Media Center uploads (S): MP4 <= 10 MB, aspect 9:16 to 16:9, under 60 s.
        new("tiktok-shop", null, 60, MaxExclusive: true, 10 * MB, 9d / 16, 16d / 9, null, VideoRuleSeverity.Error, "marketplace-rules.md §3 (S)"),
        // §8.9 Douyin skills (P): product video 15-60 s, vertical 9:16.
        new("douyin", 15, 60, MaxExclusive: false, null, 9d / 16, 9d / 16, null, VideoRuleSeverity.Error, "marketplace-rules.md §8.9 (P)"),
        // §1.2 Amazon prototype values (P): product video 15-60 s.
        new("amazon", 15, 60, MaxExclusive: false, null, null, null, null, VideoRuleSeverity.Error, "marketplace-rules.md §1.2 (P)"),
        // §5 Shopee (S) and the video upload API (A, external-apis.md §11.7): MP4 <= 30 MB, 10-60 s, within 1280x1280.
        new("shopee", 10, 60, MaxExclusive: false, 30 * MB, null, null, 1280, VideoRuleSeverity.Error, "marketplace-rules.md §5 (S)"),
        // §4 Taobao video skill (P): 9-60 s.
        new("taobao", 9, 60, MaxExclusive: false, null, null, null, null, VideoRuleSeverity.Error, "marketplace-rules.md §4 (P)"),
        // §6 Lazada has no sourced video rule. Assumption, warned only: the 10-60 s MP4 of its Shopee-like SEA peers, and
        // §8.13's "otherwise 16:9 or 1:1" orientation.
        new("lazada", 10, 60, MaxExclusive: false, null, 1, 16d / 9, null, VideoRuleSeverity.Warning, "marketplace-rules.md §6, §8.13 (A)"),
    ];

    public static IReadOnlyList<string> Marketplaces { get; } = [.. All.Select(r => r.Marketplace)];

    public static VideoChannelRule? Find(string? marketplace) => All.FirstOrDefault(r => r.Marketplace == marketplace?.Trim().ToLowerInvariant());

    /// <summary>Checks a probed file against every channel.</summary>
    public static IReadOnlyList<VideoChannelReport> CheckAll(VideoProbe probe) => [.. All.Select(rule => Check(probe, rule))];

    public static VideoChannelReport Check(VideoProbe probe, VideoChannelRule rule)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(rule);
        var issues = new List<VideoRuleIssue>();
        void Add(string code, params string[] arguments) => issues.Add(new VideoRuleIssue(code, arguments, rule.Severity, rule.Source));

        // ffprobe's "mov,mp4,m4a,3gp,3g2,mj2" names the MP4 family; the encoder writes MP4 only, a remote clip may not.
        if (!probe.Container.Contains("mp4", StringComparison.OrdinalIgnoreCase))
        {
            Add(NotMp4, probe.Container);
        }

        var seconds = Math.Round(probe.Duration.TotalSeconds, 2);
        if (rule.MinSeconds is { } min && seconds < min)
        {
            Add(DurationTooShort, Number(seconds), Number(min));
        }

        if (rule.MaxSeconds is { } max && (rule.MaxExclusive ? seconds >= max : seconds > max))
        {
            Add(DurationTooLong, Number(seconds), Number(max));
        }

        if (rule.MaxBytes is { } maxBytes && probe.Bytes > maxBytes)
        {
            Add(FileTooLarge, Megabytes(probe.Bytes), Megabytes(maxBytes));
        }

        // A tolerance of 1 % keeps 1080x1920 inside a 9:16 bound despite rounding.
        var ratio = probe.Ratio;
        if ((rule.MinRatio is { } low && ratio < low * 0.99) || (rule.MaxRatio is { } high && ratio > high * 1.01))
        {
            Add(RatioOutOfRange, $"{probe.Width}x{probe.Height}", RatioRange(rule));
        }

        if (rule.MaxSide is { } side && Math.Max(probe.Width, probe.Height) > side)
        {
            Add(ResolutionTooLarge, $"{probe.Width}x{probe.Height}", $"{side}x{side}");
        }

        return new VideoChannelReport(rule.Marketplace, issues.TrueForAll(i => i.Severity != VideoRuleSeverity.Error), issues);
    }

    /// <summary>The largest frame within <paramref name="rule"/>'s pixel box for a video of <paramref name="width"/>x<paramref name="height"/>, even-sized.</summary>
    public static (int Width, int Height) FitSize(VideoChannelRule rule, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.MaxSide is not { } side || Math.Max(width, height) <= side)
        {
            return (width, height);
        }

        var scale = (double)side / Math.Max(width, height);
        return (Even(width * scale), Even(height * scale));
    }

    private static int Even(double value) => Math.Max(2, (int)Math.Floor(value / 2) * 2);

    private static string RatioRange(VideoChannelRule rule) => (rule.MinRatio, rule.MaxRatio) switch
    {
        ({ } a, { } b) when Math.Abs(a - b) < 1e-9 => Ratio(a),
        ({ } a, { } b) => $"{Ratio(a)} – {Ratio(b)}",
        ({ } a, null) => $"≥ {Ratio(a)}",
        (null, { } b) => $"≤ {Ratio(b)}",
        _ => "",
    };

    private static string Ratio(double value) => value switch
    {
        _ when Math.Abs(value - (9d / 16)) < 1e-6 => "9:16",
        _ when Math.Abs(value - (16d / 9)) < 1e-6 => "16:9",
        _ when Math.Abs(value - 1) < 1e-6 => "1:1",
        _ => Number(value),
    };

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Megabytes(long bytes) => (bytes / (double)MB).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
