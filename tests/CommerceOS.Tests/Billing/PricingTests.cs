using CommerceOS.Core.Billing;

namespace CommerceOS.Tests.Billing;

public sealed class PricingTests
{
    private static readonly Dictionary<string, Plan> Plans = PlanCatalog.Seed.ToDictionary(p => p.Code);

    [Theory]
    // product-scope.md A3: ¥59 → ¥40/month, ¥480/year; ¥199 → ¥133, ¥1,596; ¥999 → ¥669, ¥8,028.
    [InlineData(PlanCatalog.Creator, "CNY", 5_900, 4_000, 48_000)]
    [InlineData(PlanCatalog.Business, "CNY", 19_900, 13_300, 159_600)]
    [InlineData(PlanCatalog.Enterprise, "CNY", 99_900, 66_900, 802_800)]
    [InlineData(PlanCatalog.Starter, "CNY", 0, 0, 0)]
    public void AnnualIsTwelveTimesTheMonthlyPriceTimesPointSixSeven_InWholeUnits(string code, string currency, long monthly, long annualMonthly, long annual)
    {
        var plan = Plans[code];

        Assert.Equal(monthly, Pricing.PeriodPriceMinor(plan, BillingCycle.Monthly, currency));
        Assert.Equal(annualMonthly, Pricing.AnnualMonthlyMinor(plan, currency));
        Assert.Equal(annual, Pricing.PeriodPriceMinor(plan, BillingCycle.Annual, currency));
    }

    [Fact]
    public void UsdPricesFollowTheSameRule()
    {
        var creator = Plans[PlanCatalog.Creator];
        var expected = (long)Math.Round(creator.MonthlyPriceUsd * 0.67m / 100, MidpointRounding.AwayFromZero) * 100;

        Assert.Equal(expected * 12, Pricing.PeriodPriceMinor(creator, BillingCycle.Annual, "USD"));
        Assert.Throws<ArgumentException>(() => Pricing.PeriodPriceMinor(creator, BillingCycle.Annual, "EUR"));
    }

    [Fact]
    public void Remaining_IsTheUnusedShare_RoundedToAMinorUnit()
    {
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = start.AddDays(30);

        Assert.Equal(5_900, Pricing.Remaining(5_900, start, end, start));
        Assert.Equal(2_950, Pricing.Remaining(5_900, start, end, start.AddDays(15)));
        Assert.Equal(197, Pricing.Remaining(5_900, start, end, start.AddDays(29)));
        Assert.Equal(0, Pricing.Remaining(5_900, start, end, end));
        Assert.Equal(5_900, Pricing.Remaining(5_900, start, end, start.AddDays(-1)));
    }

    [Fact]
    public void AnUpgradeInTheSameCycle_ChargesTheDifferenceForTheRestOfThePeriod()
    {
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = start.AddDays(30);

        var quote = Pricing.Upgrade(5_900, BillingCycle.Monthly, start, end, Plans[PlanCatalog.Business], BillingCycle.Monthly, "CNY", start.AddDays(10));

        Assert.Equal(13_267, quote.SubtotalMinor);
        Assert.Equal(3_933, quote.CreditMinor);
        Assert.Equal(9_334, quote.DueMinor);
        Assert.Equal(19_900, quote.PeriodPriceMinor);
        Assert.Equal((start, end), (quote.PeriodStart, quote.PeriodEnd));
    }

    [Fact]
    public void AnUpgradeToAnnual_StartsAPeriodNow_AndCreditsTheUnusedMonth()
    {
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var now = start.AddDays(15);

        var quote = Pricing.Upgrade(5_900, BillingCycle.Monthly, start, start.AddDays(30), Plans[PlanCatalog.Creator], BillingCycle.Annual, "CNY", now);

        Assert.Equal(48_000, quote.SubtotalMinor);
        Assert.Equal(2_950, quote.CreditMinor);
        Assert.Equal(45_050, quote.DueMinor);
        Assert.Equal((now, now.AddYears(1)), (quote.PeriodStart, quote.PeriodEnd));
    }
}
