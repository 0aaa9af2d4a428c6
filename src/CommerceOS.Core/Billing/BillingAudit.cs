namespace CommerceOS.Core.Billing;

/// <summary>Audit actions of plans and payments (ids only in the detail, never amounts with personal data).</summary>
public static class BillingAudit
{
    public const string CheckoutStarted = "billing.checkout";
    public const string PlanChanged = "billing.plan_changed";
    public const string PaymentRejected = "billing.payment_rejected";
    public const string TrialStarted = "billing.trial_started";
}
