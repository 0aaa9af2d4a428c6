namespace CommerceOS.Core.Billing;

/// <summary>Settings of plans and payments (section <c>Billing</c>); each gateway has its own subsection.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>
    /// The public https address of this CommerceOS, for the gateways' notification and return URLs
    /// (<c>{PublicBaseUrl}/webhooks/{gateway}</c>). The test gateway works without it; the others refuse to start a
    /// checkout when it is missing.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Offer the local test gateway (clearly labelled, no money moves). On by default so the embedded product can walk
    /// through every billing state; turn it off in production.
    /// </summary>
    public bool TestGateway { get; set; } = true;

    /// <summary>Secret the test gateway signs its notifications with; a random one per process when empty.</summary>
    public string? TestGatewaySecret { get; set; }

    /// <summary>Free trial length on paid plans (product-scope.md A3: 7 days).</summary>
    public int TrialDays { get; set; } = 7;

    /// <summary>How long a checkout may be paid before its order expires.</summary>
    public TimeSpan CheckoutLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Open orders older than this are asked about at the gateway by the reconciliation sweep: with the sweep every minute,
    /// a payment whose notification never came is found within 4 minutes (security-privacy.md row W5: ≤ 5 min).
    /// </summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Reconciliation sweep: Hangfire cron (UTC).</summary>
    public string ReconcileCron { get; set; } = "* * * * *";

    /// <summary>Inbox rows are kept at least this long for de-duplication (security-privacy.md §3.2: ≥ 30 days).</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(35);
}
