namespace CommerceOS.Core.Billing;

/// <summary>Stable error codes of plans and payments (texts in Web/Resources/*/Billing.json).</summary>
public static class BillingErrors
{
    /// <summary>Argument: {0} the plans sold by checkout.</summary>
    public const string PlanNotSold = "billing.checkout.plan_not_sold";

    public const string CycleUnknown = "billing.checkout.cycle_unknown";

    /// <summary>Arguments: {0} the gateway, {1} the currencies it takes.</summary>
    public const string CurrencyUnsupported = "billing.checkout.currency_unsupported";

    /// <summary>Argument: {0} the gateways offered.</summary>
    public const string GatewayUnknown = "billing.checkout.gateway_unknown";

    /// <summary>The plan and cycle are what the workspace already has, renewed by the gateway.</summary>
    public const string AlreadySubscribed = "billing.checkout.already_subscribed";

    /// <summary>A lower plan or a shorter cycle: it takes effect at the period end, not by paying.</summary>
    public const string DowngradeAtPeriodEnd = "billing.checkout.downgrade_at_period_end";

    /// <summary>Argument: {0} the currency the plan is billed in.</summary>
    public const string CurrencyMismatch = "billing.checkout.currency_mismatch";

    /// <summary>Argument: {0} the gateway that bills the current plan.</summary>
    public const string GatewayMismatch = "billing.checkout.gateway_mismatch";

    /// <summary>The upgrade costs nothing now (the unused part covers it).</summary>
    public const string NothingToCharge = "billing.checkout.nothing_to_charge";

    /// <summary>The gateway needs Billing:PublicBaseUrl for its notifications.</summary>
    public const string NoPublicUrl = "billing.checkout.no_public_url";

    /// <summary>The gateway did not answer; nothing was charged.</summary>
    public const string GatewayUnavailable = "billing.checkout.gateway_unavailable";

    /// <summary>The workspace is on Starter: there is no paid plan to cancel or change.</summary>
    public const string NothingToChange = "billing.change.nothing_to_change";

    /// <summary>The plan chosen is not lower than the current one (an upgrade is a checkout).</summary>
    public const string NotADowngrade = "billing.change.not_a_downgrade";

    /// <summary>Argument: {0} the meters.</summary>
    public const string MeterUnknown = "billing.admin.meter_unknown";

    /// <summary>Argument: {0} the features.</summary>
    public const string FeatureUnknown = "billing.admin.feature_unknown";

    /// <summary>Argument: {0} the largest limit.</summary>
    public const string LimitOutOfRange = "billing.admin.limit_out_of_range";

    public const string TrialUsed = "billing.trial.used";

    /// <summary>The workspace already pays for a plan.</summary>
    public const string AlreadyPaid = "billing.trial.already_paid";
}
