using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Billing;

public enum BillingCycle
{
    Monthly = 0,
    Annual = 1,
}

public enum SubscriptionStatus
{
    Active = 0,
    Trialing = 1,
    PastDue = 2,
    Canceled = 3,
}

/// <summary>Every workspace has exactly one; Starter by default.</summary>
public sealed class Subscription : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string PlanCode { get; set; }

    public BillingCycle Cycle { get; set; }

    public SubscriptionStatus Status { get; set; }

    public DateTime CurrentPeriodStart { get; set; }

    public DateTime CurrentPeriodEnd { get; set; }

    /// <summary>Enterprise limits set by an admin, overriding the plan's quotas per meter.</summary>
    public Dictionary<string, long?> CustomLimits { get; set; } = [];

    /// <summary>
    /// Features an administrator granted on top of the plan (a contract's add-on, such as API access on Business); they stay
    /// through plan changes until an administrator takes them back.
    /// </summary>
    public List<string> GrantedFeatures { get; set; } = [];

    /// <summary>The gateway that bills this plan (<see cref="Payments.PaymentGateways"/>); null for Starter and admin-set plans.</summary>
    public string? Gateway { get; set; }

    public string? GatewayCustomerId { get; set; }

    /// <summary>Set for gateways that renew by themselves (Stripe): their state decides renewals, not our clock.</summary>
    public string? GatewaySubscriptionId { get; set; }

    /// <summary>ISO 4217 currency the plan is billed in (CNY or USD); null until the first payment.</summary>
    public string? Currency { get; set; }

    /// <summary>For gateways that do not renew by themselves: the end of the last period paid for.</summary>
    public DateTime? PaidThrough { get; set; }

    public DateTime? TrialEndsAt { get; set; }

    /// <summary>One free trial per workspace (product-scope.md A3), whatever happened to it.</summary>
    public bool TrialUsed { get; set; }

    /// <summary>Back to Starter at the end of the current period.</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>A downgrade taking effect at the end of the current period.</summary>
    public string? PendingPlanCode { get; set; }

    public BillingCycle? PendingCycle { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public enum ReservationStatus
{
    Reserved = 0,
    Committed = 1,
    Released = 2,
}

/// <summary>
/// Units used in one workspace, meter and period. <see cref="Limit"/> is copied from the plan when
/// the period row is created so that admission is one single-table conditional UPDATE.
/// </summary>
public sealed class UsageCounter : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string Meter { get; set; }

    public DateTime PeriodStart { get; set; }

    public DateTime PeriodEnd { get; set; }

    public long Used { get; set; }

    /// <summary>Null means unlimited.</summary>
    public long? Limit { get; set; }
}

/// <summary>Units held for one job until it commits or releases them. At most one per job.</summary>
public sealed class UsageReservation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid JobId { get; set; }

    public Guid CounterId { get; set; }

    public required string Meter { get; set; }

    public long Units { get; set; }

    public DateTime PeriodStart { get; set; }

    public ReservationStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? SettledAt { get; set; }
}
