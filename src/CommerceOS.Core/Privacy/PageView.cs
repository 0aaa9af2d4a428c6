namespace CommerceOS.Core.Privacy;

/// <summary>
/// One page view of a visitor who consented to analytics (privacy policy 2.5 and 7): the page, what kind of browser,
/// device and operating system, and a coarse network location (the IP address truncated to its /24 or /48 network, never
/// the whole address). No workspace: analytics are about the product, not a seller's data. Deleted with the visitor's
/// withdrawal, with the account, and after <see cref="AnalyticsOptions.Retention"/>.
/// </summary>
public sealed class PageView
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The random id of the analytics cookie; it names no one.</summary>
    public Guid VisitorId { get; set; }

    /// <summary>The signed-in user, if any, so an account's analytics go with the account.</summary>
    public Guid? UserId { get; set; }

    public required string Path { get; set; }

    public required string Browser { get; set; }

    public required string OperatingSystem { get; set; }

    public required string Device { get; set; }

    /// <summary>The network, not the address: 203.0.113.0/24, 2001:db8:1::/48.</summary>
    public string? Network { get; set; }

    public DateTime ViewedAt { get; set; }
}

public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>How long page views are kept (privacy policy 5: no longer than needed).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(180);
}
