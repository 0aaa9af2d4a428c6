namespace CommerceOS.Core.Billing;

/// <summary>Configuration section <c>Usage</c>.</summary>
public sealed class UsageOptions
{
    public const string Section = "Usage";

    /// <summary>
    /// How long a reservation may stay <see cref="ReservationStatus.Reserved"/> before the expiry
    /// sweep looks at it. The sweep releases it only when its job is terminal or missing, so a long
    /// queue never loses a live job's units.
    /// </summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromHours(1);
}
