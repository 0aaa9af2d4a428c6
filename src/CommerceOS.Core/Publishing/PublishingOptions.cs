namespace CommerceOS.Core.Publishing;

/// <summary>Settings of the Publish Center (section <c>Publishing</c>).</summary>
public sealed class PublishingOptions
{
    /// <summary>
    /// The public https address of this CommerceOS (e.g. <c>https://app.example.com</c>). Platforms that fetch images by
    /// URL (Amazon) get signed, expiring links under it (<c>/media/{token}</c>); without it such platforms are blocked by
    /// the gate and the others receive the image bytes.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long a signed image link works (the platform fetches asynchronously, sometimes hours later).</summary>
    public TimeSpan MediaLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Wait between two questions about a pending result (Amazon ACCEPTED, TikTok Shop audit).</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a pending result is followed before the publication is failed with <see cref="PublishingErrors.FollowTimedOut"/>.</summary>
    public TimeSpan FollowFor { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How far ahead a publish may be scheduled.</summary>
    public TimeSpan MaxScheduleAhead { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Keep-in-sync sweep: Hangfire cron (UTC).</summary>
    public string SyncSweepCron { get; set; } = "*/5 * * * *";

    /// <summary>A connection's copy of its platform's category tree is read again when older than this.</summary>
    public TimeSpan CategoryTreeMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Category tree sweep: Hangfire cron (UTC).</summary>
    public string CategoryTreeSweepCron { get; set; } = "17 3 * * *";
}
