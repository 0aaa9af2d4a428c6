namespace CommerceOS.Core.Billing;

/// <summary>Billing period lengths; what happens at each period end is <see cref="SubscriptionTerms"/>.</summary>
public static class BillingPeriods
{
    public static int MonthsPerCycle(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => 1,
        BillingCycle.Annual => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, null),
    };
}
