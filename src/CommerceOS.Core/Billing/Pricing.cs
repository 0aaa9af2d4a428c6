namespace CommerceOS.Core.Billing;

/// <summary>
/// Every amount CommerceOS charges, computed on the server from the plan, cycle, currency and proration
/// (product-scope.md A3): an annual period costs 12 × the monthly price × 0.67 rounded to a whole yuan or dollar (¥59 →
/// ¥40/month, ¥480/year), and an upgrade charges the new plan's price for the rest of the period less the unused part of
/// the current one.
/// </summary>
public static class Pricing
{
    public static readonly IReadOnlyList<string> Currencies = ["CNY", "USD"];

    public const decimal AnnualFactor = 0.67m;

    public static bool IsBillingCurrency(string? currency) => currency is not null && Currencies.Contains(currency, StringComparer.Ordinal);

    /// <summary>The per-month price of an annual period, in minor units.</summary>
    public static long AnnualMonthlyMinor(Plan plan, string currency)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var unit = MinorPerMajor(currency);
        return (long)Math.Round(plan.MonthlyPriceFor(currency) * AnnualFactor / unit, MidpointRounding.AwayFromZero) * unit;
    }

    /// <summary>The price of one whole period of <paramref name="cycle"/>, in minor units.</summary>
    public static long PeriodPriceMinor(Plan plan, BillingCycle cycle, string currency)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return cycle == BillingCycle.Monthly ? plan.MonthlyPriceFor(currency) : 12 * AnnualMonthlyMinor(plan, currency);
    }

    /// <summary>
    /// The part of <paramref name="periodPriceMinor"/> that covers [<paramref name="now"/>, <paramref name="end"/>) of the
    /// period [<paramref name="start"/>, <paramref name="end"/>), rounded half away from zero to a minor unit.
    /// </summary>
    public static long Remaining(long periodPriceMinor, DateTime start, DateTime end, DateTime now)
    {
        if (end <= start || now >= end)
        {
            return 0;
        }

        var from = now < start ? start : now;
        var fraction = (decimal)(end - from).Ticks / (end - start).Ticks;
        return (long)Math.Round(periodPriceMinor * fraction, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// What an upgrade charges now. In the same cycle the period stays and the charge is the new plan's remaining part
    /// less the old one's; with another cycle a new period starts now and the old plan's unused part is credited.
    /// </summary>
    /// <param name="oldPeriodPriceMinor">What the current plan's period costs (0 during a trial: nothing to credit).</param>
    public static UpgradeQuote Upgrade(
        long oldPeriodPriceMinor, BillingCycle oldCycle, DateTime periodStart, DateTime periodEnd, Plan newPlan, BillingCycle newCycle, string currency, DateTime now)
    {
        var newPrice = PeriodPriceMinor(newPlan, newCycle, currency);
        var credit = Remaining(oldPeriodPriceMinor, periodStart, periodEnd, now);
        if (newCycle == oldCycle)
        {
            var due = Remaining(newPrice, periodStart, periodEnd, now);
            return new UpgradeQuote(due, credit, Math.Max(0, due - credit), newPrice, periodStart, periodEnd);
        }

        var end = now.AddMonths(BillingPeriods.MonthsPerCycle(newCycle));
        return new UpgradeQuote(newPrice, credit, Math.Max(0, newPrice - credit), newPrice, now, end);
    }

    private static long MinorPerMajor(string currency) =>
        IsBillingCurrency(currency)
            ? (long)Math.Pow(10, Common.Currencies.Exponent(currency))
            : throw new ArgumentException($"CommerceOS bills in {string.Join(" or ", Currencies)}, not '{currency}'.", nameof(currency));
}

/// <param name="SubtotalMinor">The new plan's price for the period charged.</param>
/// <param name="CreditMinor">The unused part of the current plan.</param>
/// <param name="DueMinor">What is charged now.</param>
/// <param name="PeriodPriceMinor">The new plan's full period price (later renewals).</param>
public sealed record UpgradeQuote(long SubtotalMinor, long CreditMinor, long DueMinor, long PeriodPriceMinor, DateTime PeriodStart, DateTime PeriodEnd);
