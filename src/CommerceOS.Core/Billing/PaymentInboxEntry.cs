namespace CommerceOS.Core.Billing;

/// <summary>
/// A verified webhook, stored once per gateway and event id before it is answered (security-privacy.md §3.2: verify →
/// inbox → ack) and processed in the background; <see cref="ProcessedAt"/> is set in the transaction of its effect.
/// Not tenant-owned: the workspace is learned from the order or subscription the event names. Holds ids and amounts
/// only, never the raw body (which may carry the payer's details).
/// </summary>
public sealed class PaymentInboxEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Gateway { get; set; }

    public required string EventId { get; set; }

    public required string Type { get; set; }

    public Payments.PaymentEventKind Kind { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime ReceivedAt { get; set; }

    public Guid? OrderId { get; set; }

    public string? SubscriptionId { get; set; }

    public string? CustomerId { get; set; }

    public long? AmountMinor { get; set; }

    public string? Currency { get; set; }

    /// <summary>Where the event came from: a webhook, or reconciliation finding what was never delivered.</summary>
    public required string Source { get; set; }

    public int Attempts { get; set; }

    public DateTime? ProcessedAt { get; set; }

    /// <summary>What the processing concluded (applied, stale, unmatched...), for operators.</summary>
    public string? Outcome { get; set; }
}
