namespace CommerceOS.Core.Billing;

/// <summary>Billing period arithmetic: whole monthly or annual cycles from the subscription's anchor.</summary>
public static class BillingPeriods
{
    public static int MonthsPerCycle(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => 1,
        BillingCycle.Annual => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, null),
    };

    /// <summary>
    /// The period that contains <paramref name="now"/>. When the stored period has ended, the next
    /// periods follow it back to back in whole cycles, counted from the stored end: months are added
    /// to that anchor (not chained), so a period ending on the 31st comes back to the 31st after February.
    /// </summary>
    public static (DateTime Start, DateTime End) Current(DateTime periodStart, DateTime periodEnd, BillingCycle cycle, DateTime now)
    {
        if (now < periodEnd)
        {
            return (periodStart, periodEnd);
        }

        var months = MonthsPerCycle(cycle);
        var cycles = 0;
        while (periodEnd.AddMonths(months * (cycles + 1)) <= now)
        {
            cycles++;
        }

        return (periodEnd.AddMonths(months * cycles), periodEnd.AddMonths(months * (cycles + 1)));
    }
}
