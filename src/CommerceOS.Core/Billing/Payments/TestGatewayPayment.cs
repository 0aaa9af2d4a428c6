namespace CommerceOS.Core.Billing.Payments;

/// <summary>What the local test gateway itself holds about an order: its own side of the payment, as a real gateway would.</summary>
public sealed class TestGatewayPayment
{
    public Guid OrderId { get; set; }

    public required string Status { get; set; }

    public long AmountMinor { get; set; }

    public required string Currency { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? PaidAt { get; set; }
}
