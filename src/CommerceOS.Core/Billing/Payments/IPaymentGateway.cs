namespace CommerceOS.Core.Billing.Payments;

/// <summary>
/// One payment provider (Connectors/Payments/*; the local test gateway in Core). Vendor types stay inside the adapter.
/// CommerceOS computes every amount itself (<see cref="CheckoutRequest.AmountMinor"/>) and grants a plan only from a
/// <see cref="VerifiedPaymentEvent"/> that <see cref="Verify"/> accepted and whose object it then re-read with
/// <see cref="FetchAsync"/> (external-apis.md §12–13, security-privacy.md §3.2): an event is a trigger, never the truth.
/// Failures that are not the seller's are thrown as <see cref="Generation.ProviderException"/>
/// (RateLimited with the wait, Transient for 5xx/timeouts/malformed bodies, Misconfigured for refused keys).
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The id in URLs and rows: one of <see cref="PaymentGateways"/>.</summary>
    string Id { get; }

    /// <summary>ISO 4217 codes this gateway charges in (Alipay and WeChat Pay: CNY only).</summary>
    IReadOnlyList<string> Currencies { get; }

    /// <summary>
    /// True when the gateway renews by itself (Stripe subscriptions); false when each period is one payment the seller
    /// makes (Alipay, WeChat Pay: their recurring-deduction products are separate contracts, external-apis.md §13).
    /// </summary>
    bool Recurring { get; }

    /// <summary>
    /// Starts a payment for an order CommerceOS already stored: Stripe creates a Checkout Session (subscription mode, with
    /// the amount as inline <c>price_data</c> and <see cref="CheckoutRequest.OrderId"/> as the idempotency key and
    /// <c>client_reference_id</c>), Alipay signs an <c>alipay.trade.page.pay</c> URL, WeChat Pay creates a Native order
    /// (a QR code). Idempotent per order id.
    /// </summary>
    Task<CheckoutStart> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Checks a webhook delivery exactly as the gateway documents it (signature over the raw bytes, timestamp within the
    /// tolerance, app id / merchant id, WeChat's AES-256-GCM resource decrypted) and parses it. Pure: no I/O, no state.
    /// </summary>
    WebhookVerification Verify(WebhookDelivery delivery);

    /// <summary>What the gateway expects back (Alipay: the plain text <c>success</c>; WeChat Pay: 204 or a FAIL JSON; Stripe: 200).</summary>
    WebhookReply Reply(bool accepted);

    /// <summary>
    /// Re-reads the current state of what an event or an order refers to: a Stripe subscription, or an Alipay / WeChat Pay
    /// order by our order id (<c>alipay.trade.query</c>, query by <c>out_trade_no</c>).
    /// </summary>
    Task<GatewayState> FetchAsync(GatewayObject target, CancellationToken cancellationToken);

    /// <summary>
    /// Events the gateway says it could not deliver since <paramref name="since"/> (Stripe: list events with
    /// <c>delivery_success=false</c>, 30 days at most), for reconciliation. Gateways without such a list return none: their
    /// open orders are re-read with <see cref="FetchAsync"/> instead.
    /// </summary>
    Task<IReadOnlyList<VerifiedPaymentEvent>> ListUndeliveredAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a recurring subscription at the gateway (Stripe: the item's price now with proration, or
    /// <c>cancel_at_period_end</c>). Gateways that do not renew by themselves throw <see cref="NotSupportedException"/>.
    /// </summary>
    Task<GatewayState> ChangeSubscriptionAsync(SubscriptionChange change, CancellationToken cancellationToken);

    /// <summary>A self-service billing page for the customer (Stripe Customer Portal), or null when the gateway has none.</summary>
    Task<string?> PortalUrlAsync(string customerId, string returnUrl, CancellationToken cancellationToken);

    /// <summary>Deletes the gateway's customer record (account erasure); already gone counts as done. No-op where there is none.</summary>
    Task DeleteCustomerAsync(string customerId, CancellationToken cancellationToken);
}

/// <summary>Gateway ids.</summary>
public static class PaymentGateways
{
    public const string Stripe = "stripe";
    public const string Alipay = "alipay";
    public const string WeChatPay = "wechatpay";

    /// <summary>The embedded default: walks through the same states without money, clearly labelled as a test.</summary>
    public const string Test = "test";

    public static readonly IReadOnlyList<string> All = [Stripe, Alipay, WeChatPay, Test];
}

/// <summary>A payment CommerceOS asks for.</summary>
/// <param name="OrderId">Our order id: Alipay/WeChat <c>out_trade_no</c> (as 32 hex digits), Stripe idempotency key and client_reference_id.</param>
/// <param name="AmountMinor">What to charge now, in minor units of <see cref="Currency"/>, computed by CommerceOS (never by the gateway or the browser).</param>
/// <param name="RecurringAmountMinor">For recurring gateways: the price of each later period (the first charge may be prorated or after a trial).</param>
/// <param name="Description">What the seller sees on the payment page ("CommerceOS Creator – monthly"), no personal data.</param>
/// <param name="TrialDays">0 = no trial; recurring gateways start the subscription trialing.</param>
/// <param name="CustomerId">The gateway's customer from an earlier payment, to reuse.</param>
/// <param name="NotifyUrl">Where the gateway posts its notification (<c>{PublicBaseUrl}/webhooks/{gateway}</c>).</param>
/// <param name="Locale"><c>en</c> or <c>zh-CN</c>.</param>
public sealed record CheckoutRequest(
    Guid OrderId,
    Guid WorkspaceId,
    string PlanCode,
    BillingCycle Cycle,
    string Currency,
    long AmountMinor,
    long RecurringAmountMinor,
    string Description,
    int TrialDays,
    string? CustomerId,
    string? CustomerEmail,
    string SuccessUrl,
    string CancelUrl,
    string NotifyUrl,
    string Locale,
    DateTimeOffset ExpiresAt);

public enum CheckoutPresentation
{
    /// <summary>Send the browser to <see cref="CheckoutStart.Url"/>.</summary>
    Redirect = 0,

    /// <summary>Show <see cref="CheckoutStart.Url"/> as a QR code (WeChat Pay Native <c>code_url</c>).</summary>
    QrCode = 1,
}

/// <param name="Reference">The gateway's id for this attempt (Stripe <c>cs_…</c>; Alipay/WeChat: our out_trade_no).</param>
public sealed record CheckoutStart(string Url, CheckoutPresentation Presentation, string Reference);

/// <summary>A webhook as received: the raw body bytes and the headers (names case-insensitive).</summary>
public sealed record WebhookDelivery(ReadOnlyMemory<byte> Body, IReadOnlyDictionary<string, string> Headers, string? ContentType, DateTimeOffset ReceivedAt);

/// <summary>The result of <see cref="IPaymentGateway.Verify"/>: an event, or why the delivery was refused.</summary>
public sealed record WebhookVerification(VerifiedPaymentEvent? Event, string? Refusal)
{
    public bool Accepted => Event is not null;

    public static WebhookVerification Refuse(string reason) => new(null, reason);

    public static WebhookVerification Accept(VerifiedPaymentEvent verified) => new(verified, null);
}

public enum PaymentEventKind
{
    /// <summary>Something about a subscription changed (Stripe customer.subscription.*, checkout.session.completed, invoice.*): re-read it.</summary>
    SubscriptionChanged = 0,

    /// <summary>An order was paid (Alipay TRADE_SUCCESS/TRADE_FINISHED, WeChat TRADE.SUCCESS): re-read and fulfil it.</summary>
    OrderPaid = 1,

    /// <summary>An order will not be paid (closed, expired).</summary>
    OrderClosed = 2,

    /// <summary>A kind CommerceOS does not act on; stored once and marked done.</summary>
    Ignored = 3,
}

/// <summary>A webhook whose signature and source were verified, reduced to what CommerceOS acts on.</summary>
/// <param name="EventId">Unique per gateway (Stripe <c>evt_…</c>, WeChat <c>id</c>, Alipay <c>notify_id</c>): the inbox key.</param>
/// <param name="Type">The gateway's own event type, for the record.</param>
/// <param name="OrderId">Our order id when the event names it (out_trade_no, client_reference_id, metadata).</param>
/// <param name="SubscriptionId">The gateway's subscription id (Stripe <c>sub_…</c>).</param>
/// <param name="AmountMinor">The amount the event reports, in minor units, when it reports one (checked against our order).</param>
public sealed record VerifiedPaymentEvent(
    string Gateway,
    string EventId,
    string Type,
    PaymentEventKind Kind,
    DateTimeOffset OccurredAt,
    Guid? OrderId,
    string? SubscriptionId,
    string? CustomerId,
    long? AmountMinor,
    string? Currency);

/// <param name="StatusCode">HTTP status to answer.</param>
/// <param name="Body">Exact body (Alipay <c>success</c>), or null for none.</param>
public sealed record WebhookReply(int StatusCode, string? ContentType, string? Body);

/// <summary>What to re-read at the gateway: a subscription, or an order by our id.</summary>
public sealed record GatewayObject(string? SubscriptionId, Guid? OrderId);

/// <summary>The gateway's current answer about a subscription or an order.</summary>
/// <param name="Status">Subscriptions: trialing, active, past_due, unpaid, canceled, incomplete, incomplete_expired, paused (Stripe's words).
/// Orders: <see cref="GatewayStatuses.Paid"/>, <see cref="GatewayStatuses.Pending"/>, <see cref="GatewayStatuses.Closed"/>.</param>
/// <param name="OrderId">Our order id the gateway holds (client_reference_id or metadata; out_trade_no).</param>
/// <param name="PlanCode">For subscriptions: the plan in the subscription's metadata (set at checkout), as the gateway holds it now.</param>
/// <param name="AmountMinor">Orders: the amount paid. Subscriptions: the current recurring amount.</param>
public sealed record GatewayState(
    string Status,
    Guid? OrderId,
    string? SubscriptionId,
    string? CustomerId,
    string? PlanCode,
    BillingCycle? Cycle,
    long? AmountMinor,
    string? Currency,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    DateTimeOffset? TrialEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? PaidAt);

public static class GatewayStatuses
{
    public const string Paid = "paid";
    public const string Pending = "pending";
    public const string Closed = "closed";
}

/// <summary>A change to a recurring subscription.</summary>
/// <param name="NewAmountMinor">With <see cref="PlanCode"/>: the new recurring price, prorated now by the gateway.</param>
/// <param name="CancelAtPeriodEnd">True: stop renewing; false: resume a pending cancellation.</param>
public sealed record SubscriptionChange(
    string SubscriptionId,
    string? PlanCode,
    BillingCycle? Cycle,
    string? Currency,
    long? NewAmountMinor,
    bool? CancelAtPeriodEnd,
    Guid IdempotencyKey);
