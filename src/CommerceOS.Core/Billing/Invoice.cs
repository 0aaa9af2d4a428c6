using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Billing;

/// <summary>
/// A receipt for one payment, numbered in sequence and kept for the statutory period (security-privacy.md: invoices with
/// minimal fields). Amounts in minor units. Unique per gateway reference, so a payment is invoiced once however often
/// its event arrives.
/// </summary>
public sealed class Invoice : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    /// <summary>CO-{year}-{sequence}, e.g. CO-2026-000042.</summary>
    public required string Number { get; set; }

    public Guid? OrderId { get; set; }

    public required string Gateway { get; set; }

    /// <summary>What makes the payment unique at the gateway (our order id, or Stripe's subscription and period).</summary>
    public required string GatewayReference { get; set; }

    public required string PlanCode { get; set; }

    public BillingCycle Cycle { get; set; }

    public required string Currency { get; set; }

    public long SubtotalMinor { get; set; }

    public long CreditMinor { get; set; }

    public long TotalMinor { get; set; }

    public DateTime PeriodStart { get; set; }

    public DateTime PeriodEnd { get; set; }

    public DateTime IssuedAt { get; set; }
}
