namespace CommerceOS.Core.Billing;

/// <summary>
/// What happens to a subscription at each period end (product-scope.md A3 billing terms), as one pure function the usage
/// ledger applies whenever it finds a period over, so quotas reset at each period start whatever else changes:
/// <list type="bullet">
/// <item>a trial that ends becomes the paid plan when a payment covers the next period, else Starter;</item>
/// <item>a cancellation takes effect (back to Starter), then a pending downgrade;</item>
/// <item>a plan billed by a gateway that does not renew by itself continues only while paid for (<see cref="Subscription.PaidThrough"/>);</item>
/// <item>a gateway that renews by itself (Stripe) decides renewals through its verified events: the plan continues until they say otherwise;</item>
/// <item>a plan set by an admin (Enterprise, no gateway) continues.</item>
/// </list>
/// </summary>
public static class SubscriptionTerms
{
    /// <summary>Moves <paramref name="subscription"/> through every period that ended by <paramref name="now"/>; true when anything changed.</summary>
    public static bool Roll(Subscription subscription, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var changed = false;
        // Period ends are counted from one anchor (not chained), so a period ending on the 31st comes back to the 31st
        // after February; a change of cycle starts a new anchor.
        var anchor = subscription.CurrentPeriodEnd;
        var cycle = subscription.Cycle;
        var periods = 0;
        // A bound on the loop: a workspace idle for years still rolls in one call, a corrupt period never spins.
        for (var i = 0; i < 1200 && now >= subscription.CurrentPeriodEnd; i++)
        {
            var boundary = subscription.CurrentPeriodEnd;
            Settle(subscription, boundary);
            if (subscription.Cycle != cycle)
            {
                (anchor, cycle, periods) = (boundary, subscription.Cycle, 0);
            }

            periods++;
            subscription.CurrentPeriodStart = boundary;
            subscription.CurrentPeriodEnd = anchor.AddMonths(BillingPeriods.MonthsPerCycle(cycle) * periods);
            changed = true;
        }

        return changed;
    }

    private static void Settle(Subscription s, DateTime boundary)
    {
        var paidOn = s.PaidThrough is { } through && through > boundary;
        var selfRenewing = s.GatewaySubscriptionId is not null;
        if (s.Status == SubscriptionStatus.Trialing)
        {
            s.TrialEndsAt = null;
            if (paidOn || selfRenewing)
            {
                s.Status = SubscriptionStatus.Active;
                ApplyPending(s);
            }
            else
            {
                ToStarter(s);
            }

            return;
        }

        if (s.PlanCode == PlanCatalog.Starter)
        {
            return;
        }

        if (s.CancelAtPeriodEnd)
        {
            ToStarter(s);
            return;
        }

        if (s.Gateway is null || selfRenewing)
        {
            // Admin-set plans continue; a self-renewing gateway's events move the plan.
            ApplyPending(s);
            return;
        }

        if (paidOn)
        {
            ApplyPending(s);
        }
        else
        {
            ToStarter(s);
        }
    }

    private static void ApplyPending(Subscription s)
    {
        if (s.PendingPlanCode is { } pending)
        {
            s.PlanCode = pending;
            s.Cycle = s.PendingCycle ?? s.Cycle;
        }

        s.PendingPlanCode = null;
        s.PendingCycle = null;
    }

    /// <summary>Back to the free plan, monthly, with nothing pending; the gateway's customer is kept for a later payment.</summary>
    public static void ToStarter(Subscription s)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.PlanCode = PlanCatalog.Starter;
        s.Cycle = BillingCycle.Monthly;
        s.Status = SubscriptionStatus.Active;
        s.Gateway = null;
        s.GatewaySubscriptionId = null;
        s.PaidThrough = null;
        s.TrialEndsAt = null;
        s.CancelAtPeriodEnd = false;
        s.PendingPlanCode = null;
        s.PendingCycle = null;
    }
}
