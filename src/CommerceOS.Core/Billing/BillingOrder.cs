using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Billing;

public enum OrderKind
{
    /// <summary>A paid plan from Starter or a trial: a new period starts when it is paid (or when the trial ends).</summary>
    Subscribe = 0,

    /// <summary>A higher plan now: the rest of the current period, prorated.</summary>
    Upgrade = 1,

    /// <summary>The next period of a plan billed by a gateway that does not renew by itself.</summary>
    Renew = 2,
}

public enum OrderStatus
{
    Open = 0,
    Paid = 1,

    /// <summary>Expired or closed at the gateway without payment.</summary>
    Closed = 2,
}

/// <summary>
/// One payment CommerceOS asked for. Its amount is computed here from the plan, cycle, currency and proration
/// (<see cref="Pricing"/>) and checked against what the gateway reports; its <see cref="Id"/> is the gateway's order
/// number (out_trade_no) and the idempotency key of every call about it. Paid at most once: fulfilment is a guarded
/// Open → Paid update.
/// </summary>
public sealed class BillingOrder : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public OrderKind Kind { get; set; }

    public OrderStatus Status { get; set; }

    public required string Gateway { get; set; }

    public required string PlanCode { get; set; }

    public BillingCycle Cycle { get; set; }

    public required string Currency { get; set; }

    /// <summary>What is charged now, in minor units.</summary>
    public long AmountMinor { get; set; }

    /// <summary>The plan's full price for one period of <see cref="Cycle"/>, in minor units (the recurring amount).</summary>
    public long PeriodPriceMinor { get; set; }

    /// <summary>Upgrades: the unused part of the current plan's period credited against the new price.</summary>
    public long CreditMinor { get; set; }

    /// <summary>The period this order pays for.</summary>
    public DateTime PeriodStart { get; set; }

    public DateTime PeriodEnd { get; set; }

    /// <summary>The gateway's reference for the attempt (Stripe checkout session id).</summary>
    public string? GatewayReference { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? PaidAt { get; set; }
}
