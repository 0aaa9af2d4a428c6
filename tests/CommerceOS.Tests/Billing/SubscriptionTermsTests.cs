using CommerceOS.Core.Billing;

namespace CommerceOS.Tests.Billing;

/// <summary>Period-end terms at the day before and the day after each boundary.</summary>
public sealed class SubscriptionTermsTests
{
    private static readonly DateTime Start = new(2026, 1, 31, 9, 0, 0, DateTimeKind.Utc);

    private static Subscription Paid(string plan = PlanCatalog.Creator, BillingCycle cycle = BillingCycle.Monthly, string? gateway = "alipay", DateTime? paidThrough = null) => new()
    {
        PlanCode = plan,
        Cycle = cycle,
        Status = SubscriptionStatus.Active,
        CurrentPeriodStart = Start,
        CurrentPeriodEnd = Start.AddMonths(BillingCycle.Monthly == cycle ? 1 : 12),
        Gateway = gateway,
        Currency = "CNY",
        PaidThrough = paidThrough ?? Start.AddMonths(BillingCycle.Monthly == cycle ? 1 : 12),
    };

    [Fact]
    public void APaidPeriod_HoldsUntilItsEnd_ThenAnUnrenewedPlanFallsBackToStarter()
    {
        var s = Paid();
        var end = s.CurrentPeriodEnd;

        Assert.False(SubscriptionTerms.Roll(s, end.AddDays(-1)));
        Assert.Equal(PlanCatalog.Creator, s.PlanCode);

        Assert.True(SubscriptionTerms.Roll(s, end.AddDays(1)));
        Assert.Equal(PlanCatalog.Starter, s.PlanCode);
        Assert.Equal(end, s.CurrentPeriodStart);
        Assert.Null(s.Gateway);
        Assert.Null(s.PaidThrough);
    }

    [Fact]
    public void ARenewedPlan_Continues_AndPeriodsStayOnTheirAnchorDay()
    {
        var start = new DateTime(2025, 12, 31, 9, 0, 0, DateTimeKind.Utc);
        var s = Paid();
        (s.CurrentPeriodStart, s.CurrentPeriodEnd, s.PaidThrough) = (start, start.AddMonths(1), start.AddMonths(3));

        SubscriptionTerms.Roll(s, new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(PlanCatalog.Creator, s.PlanCode);
        // Jan 31 → Feb 28 → Mar 31: counted from one anchor, not chained through February.
        Assert.Equal(new DateTime(2026, 2, 28, 9, 0, 0, DateTimeKind.Utc), s.CurrentPeriodStart);
        Assert.Equal(new DateTime(2026, 3, 31, 9, 0, 0, DateTimeKind.Utc), s.CurrentPeriodEnd);

        SubscriptionTerms.Roll(s, new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(PlanCatalog.Starter, s.PlanCode);
    }

    [Fact]
    public void ACancellation_TakesEffectAtThePeriodEnd_NotBefore()
    {
        var s = Paid(paidThrough: Start.AddMonths(2));
        s.CancelAtPeriodEnd = true;

        SubscriptionTerms.Roll(s, s.CurrentPeriodEnd.AddDays(-1));
        Assert.Equal(PlanCatalog.Creator, s.PlanCode);

        SubscriptionTerms.Roll(s, s.CurrentPeriodEnd.AddDays(1));
        Assert.Equal(PlanCatalog.Starter, s.PlanCode);
        Assert.False(s.CancelAtPeriodEnd);
    }

    [Fact]
    public void ADowngrade_TakesEffectAtThePeriodEnd_WithItsCycle()
    {
        var s = Paid(PlanCatalog.Business, paidThrough: Start.AddMonths(13));
        s.PendingPlanCode = PlanCatalog.Creator;
        s.PendingCycle = BillingCycle.Annual;
        var end = s.CurrentPeriodEnd;

        SubscriptionTerms.Roll(s, end.AddDays(-1));
        Assert.Equal(PlanCatalog.Business, s.PlanCode);

        SubscriptionTerms.Roll(s, end.AddDays(1));
        Assert.Equal(PlanCatalog.Creator, s.PlanCode);
        Assert.Equal(BillingCycle.Annual, s.Cycle);
        Assert.Equal((end, end.AddYears(1)), (s.CurrentPeriodStart, s.CurrentPeriodEnd));
        Assert.Null(s.PendingPlanCode);
    }

    [Fact]
    public void ATrialWithoutPayment_EndsOnStarter_AndWithPaymentBecomesThePaidPlan()
    {
        var trialEnd = Start.AddDays(7);
        Subscription Trial() => new()
        {
            PlanCode = PlanCatalog.Creator, Status = SubscriptionStatus.Trialing, TrialUsed = true, TrialEndsAt = trialEnd,
            CurrentPeriodStart = Start, CurrentPeriodEnd = trialEnd,
        };

        var unpaid = Trial();
        SubscriptionTerms.Roll(unpaid, trialEnd.AddDays(-1));
        Assert.Equal(SubscriptionStatus.Trialing, unpaid.Status);
        SubscriptionTerms.Roll(unpaid, trialEnd.AddDays(1));
        Assert.Equal(PlanCatalog.Starter, unpaid.PlanCode);
        Assert.True(unpaid.TrialUsed);

        var paid = Trial();
        paid.Gateway = "test";
        paid.PaidThrough = trialEnd.AddMonths(1);
        SubscriptionTerms.Roll(paid, trialEnd.AddDays(1));
        Assert.Equal((PlanCatalog.Creator, SubscriptionStatus.Active), (paid.PlanCode, paid.Status));
        Assert.Equal((trialEnd, trialEnd.AddMonths(1)), (paid.CurrentPeriodStart, paid.CurrentPeriodEnd));
        Assert.Null(paid.TrialEndsAt);
    }

    [Fact]
    public void SelfRenewingAndAdminSetPlans_ContinueOnOurClock()
    {
        var stripe = Paid(gateway: "stripe", paidThrough: null);
        stripe.PaidThrough = null;
        stripe.GatewaySubscriptionId = "sub_1";
        var enterprise = Paid(PlanCatalog.Enterprise, gateway: null);
        enterprise.PaidThrough = null;

        SubscriptionTerms.Roll(stripe, Start.AddMonths(5));
        SubscriptionTerms.Roll(enterprise, Start.AddMonths(5));

        Assert.Equal(PlanCatalog.Creator, stripe.PlanCode);
        Assert.Equal(PlanCatalog.Enterprise, enterprise.PlanCode);
        Assert.Equal(new DateTime(2026, 6, 28, 9, 0, 0, DateTimeKind.Utc), enterprise.CurrentPeriodStart);
    }
}
