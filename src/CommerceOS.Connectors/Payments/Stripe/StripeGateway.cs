using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.Stripe;

/// <summary>
/// Stripe Billing (external-apis.md §12): Checkout Sessions in subscription mode with the amount inline, signed webhooks,
/// subscriptions re-read and changed by id, the Customer Portal. Every POST carries an Idempotency-Key derived from our
/// own ids, which is what makes a POST safe to send again after a lost answer.
/// </summary>
internal sealed class StripeGateway(
    IHttpClientFactory httpClientFactory,
    IOptions<StripeOptions> options,
    TimeProvider timeProvider,
    ILogger<StripeGateway> logger) : IPaymentGateway
{
    internal const string ClientName = "CommerceOS.Billing.Stripe";
    private const string Vendor = "Stripe";

    // The events list reaches back 30 days (security-privacy.md §3.1); older events are gone anyway.
    private static readonly TimeSpan UndeliveredWindow = TimeSpan.FromDays(30);

    // external-apis.md §12.2: a session expires between 30 minutes and 24 hours after creation.
    private static readonly TimeSpan MinSessionLife = TimeSpan.FromMinutes(31);
    private static readonly TimeSpan MaxSessionLife = TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59);

    private StripeOptions Options => options.Value;

    public string Id => PaymentGateways.Stripe;

    public IReadOnlyList<string> Currencies { get; } = ["USD", "CNY"];

    public bool Recurring => true;

    /// <summary>Stripe-Should-Retry, which Stripe sends when it knows better than the status code.</summary>
    internal static bool? ShouldRetryHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Stripe-Should-Retry", out var values) && bool.TryParse(values.FirstOrDefault(), out var retry) ? retry : null;

    public async Task<CheckoutStart> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var currency = Currency(request.Currency);
        var order = request.OrderId.ToString("N", CultureInfo.InvariantCulture);
        var form = new List<KeyValuePair<string, string>>
        {
            new("mode", "subscription"),
            new("line_items[0][price_data][currency]", currency),
            new("line_items[0][price_data][unit_amount]", Invariant(request.RecurringAmountMinor)),
            new("line_items[0][price_data][recurring][interval]", Interval(request.Cycle)),
            new("line_items[0][price_data][product_data][name]", request.Description),
            new("line_items[0][quantity]", "1"),
        };
        if (request.TrialDays > 0)
        {
            form.Add(new("subscription_data[trial_period_days]", Invariant(request.TrialDays)));
        }

        // On the subscription as well: invoices and later subscription events carry no session, only this metadata.
        form.Add(new("subscription_data[metadata][order_id]", order));
        form.Add(new("subscription_data[metadata][workspace_id]", request.WorkspaceId.ToString("N", CultureInfo.InvariantCulture)));
        form.Add(new("subscription_data[metadata][plan]", request.PlanCode));
        form.Add(new("subscription_data[metadata][cycle]", CycleName(request.Cycle)));
        form.Add(new("metadata[order_id]", order));
        form.Add(new("client_reference_id", order));
        if (!string.IsNullOrWhiteSpace(request.CustomerId))
        {
            form.Add(new("customer", request.CustomerId));
        }
        else if (!string.IsNullOrWhiteSpace(request.CustomerEmail))
        {
            form.Add(new("customer_email", request.CustomerEmail));
        }

        form.Add(new("success_url", request.SuccessUrl));
        form.Add(new("cancel_url", request.CancelUrl));
        form.Add(new("locale", request.Locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh" : "en"));
        // Outside Stripe's window the whole session is refused; a nearer or farther wish is moved to its edge.
        var now = timeProvider.GetUtcNow();
        var expires = request.ExpiresAt < now + MinSessionLife ? now + MinSessionLife : request.ExpiresAt > now + MaxSessionLife ? now + MaxSessionLife : request.ExpiresAt;
        form.Add(new("expires_at", Invariant(expires.ToUnixTimeSeconds())));

        var session = await SendAsync(HttpMethod.Post, "v1/checkout/sessions", form, "checkout-" + order, "checkout", cancellationToken);
        var id = StripeEvents.Text(session, "id") ?? throw new ProviderException(ProviderFailure.Transient, "Stripe checkout answered without a session id.");
        var url = ProviderHttp.VendorUrl(StripeEvents.Text(session, "url"), Vendor, "checkout URL");
        logger.LogInformation("Stripe checkout session {SessionId} created for order {OrderId}.", id, order);
        return new CheckoutStart(url.AbsoluteUri, CheckoutPresentation.Redirect, id);
    }

    public WebhookVerification Verify(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var secrets = Options.WebhookSecrets.Where(secret => !string.IsNullOrWhiteSpace(secret)).ToList();
        return StripeEvents.Verify(delivery, secrets, Options.ToleranceSeconds);
    }

    public WebhookReply Reply(bool accepted) => new(accepted ? 200 : 400, null, null);

    public async Task<GatewayState> FetchAsync(GatewayObject target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        // Stripe cannot look a Checkout Session up by client_reference_id (no such list filter), and an order only becomes
        // a subscription through an event, which names the subscription: a target without one has nothing to re-read.
        if (string.IsNullOrWhiteSpace(target.SubscriptionId))
        {
            throw new NotSupportedException("Stripe state is re-read by subscription id; an order id alone cannot be looked up.");
        }

        var subscription = await SendAsync(HttpMethod.Get, "v1/subscriptions/" + Uri.EscapeDataString(target.SubscriptionId), null, null, "subscription read", cancellationToken);
        return State(subscription);
    }

    public async Task<IReadOnlyList<VerifiedPaymentEvent>> ListUndeliveredAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var floor = timeProvider.GetUtcNow() - UndeliveredWindow;
        var from = since < floor ? floor : since;
        var events = new List<VerifiedPaymentEvent>();
        string? after = null;
        while (true)
        {
            var query = $"v1/events?delivery_success=false&created%5Bgte%5D={Invariant(from.ToUnixTimeSeconds())}&limit=100"
                + (after is null ? "" : "&starting_after=" + Uri.EscapeDataString(after));
            var page = await SendAsync(HttpMethod.Get, query, null, null, "events list", cancellationToken);
            if (!page.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new ProviderException(ProviderFailure.Transient, "Stripe events list answered without data.");
            }

            string? last = null;
            foreach (var item in data.EnumerateArray())
            {
                last = StripeEvents.Text(item, "id") ?? last;
                if (StripeEvents.Parse(item, out var verified) is { } refusal)
                {
                    logger.LogWarning("Stripe listed event {EventId} that could not be read: {Reason}", StripeEvents.Text(item, "id"), refusal);
                    continue;
                }

                events.Add(verified!);
            }

            var more = page.TryGetProperty("has_more", out var hasMore) && hasMore.ValueKind == JsonValueKind.True;
            if (!more || last is null)
            {
                return events;
            }

            after = last;
        }
    }

    public async Task<GatewayState> ChangeSubscriptionAsync(SubscriptionChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var path = "v1/subscriptions/" + Uri.EscapeDataString(change.SubscriptionId);
        var form = new List<KeyValuePair<string, string>>();
        if (change.NewAmountMinor is { } amount && change.PlanCode is { } plan)
        {
            var current = await SendAsync(HttpMethod.Get, path, null, null, "subscription read", cancellationToken);
            var item = FirstItem(current);
            var price = StripeEvents.Child(item, "price");
            var itemId = StripeEvents.Text(item, "id") ?? throw new ProviderException(ProviderFailure.Transient, "Stripe subscription has no item to change.");
            var product = StripeEvents.Id(price, "product") ?? throw new ProviderException(ProviderFailure.Transient, "Stripe subscription item has no product.");
            var cycle = change.Cycle ?? CycleOf(StripeEvents.Text(StripeEvents.Child(price, "recurring"), "interval")) ?? BillingCycle.Monthly;
            form.Add(new("items[0][id]", itemId));
            form.Add(new("items[0][price_data][currency]", Currency(change.Currency ?? StripeEvents.Text(price, "currency") ?? "")));
            form.Add(new("items[0][price_data][unit_amount]", Invariant(amount)));
            form.Add(new("items[0][price_data][recurring][interval]", Interval(cycle)));
            // UNCONFIRMED: a subscription item's price_data takes the id of an existing product, not product_data (the
            // SDKs generated from Stripe's OpenAPI list only `product` there), so the product Checkout created is reused.
            form.Add(new("items[0][price_data][product]", product));
            form.Add(new("proration_behavior", "always_invoice"));
            form.Add(new("metadata[plan]", plan));
            form.Add(new("metadata[cycle]", CycleName(cycle)));
        }

        if (change.CancelAtPeriodEnd is { } cancel)
        {
            form.Add(new("cancel_at_period_end", cancel ? "true" : "false"));
        }

        if (form.Count == 0)
        {
            throw new ArgumentException("A change needs a plan with its new amount, or a cancellation flag.", nameof(change));
        }

        var updated = await SendAsync(HttpMethod.Post, path, form, "change-" + change.IdempotencyKey.ToString("N", CultureInfo.InvariantCulture), "subscription change", cancellationToken);
        logger.LogInformation("Stripe subscription {SubscriptionId} changed.", change.SubscriptionId);
        return State(updated);
    }

    public async Task<string?> PortalUrlAsync(string customerId, string returnUrl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        var session = await SendAsync(HttpMethod.Post, "v1/billing_portal/sessions", [new("customer", customerId), new("return_url", returnUrl)], null, "portal session", cancellationToken);
        return ProviderHttp.VendorUrl(StripeEvents.Text(session, "url"), Vendor, "portal URL").AbsoluteUri;
    }

    public async Task DeleteCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        await SendAsync(HttpMethod.Delete, "v1/customers/" + Uri.EscapeDataString(customerId), null, null, "customer delete", cancellationToken, missingIsDone: true);
        logger.LogInformation("Stripe customer {CustomerId} deleted.", customerId);
    }

    private static GatewayState State(JsonElement subscription)
    {
        var metadata = StripeEvents.Child(subscription, "metadata");
        var item = FirstItem(subscription);
        var price = StripeEvents.Child(item, "price");
        var orderText = StripeEvents.Text(metadata, "order_id");
        Guid? orderId = Guid.TryParseExact(orderText, "N", out var order) || Guid.TryParseExact(orderText, "D", out order) ? order : null;
        var cycle = StripeEvents.Text(metadata, "cycle") switch
        {
            "monthly" => BillingCycle.Monthly,
            "annual" => BillingCycle.Annual,
            _ => CycleOf(StripeEvents.Text(StripeEvents.Child(price, "recurring"), "interval")),
        };
        return new GatewayState(
            StripeEvents.Text(subscription, "status") ?? throw new ProviderException(ProviderFailure.Transient, "Stripe subscription answered without a status."),
            orderId,
            StripeEvents.Text(subscription, "id"),
            StripeEvents.Id(subscription, "customer"),
            StripeEvents.Text(metadata, "plan"),
            cycle,
            StripeEvents.Number(price, "unit_amount"),
            StripeEvents.Text(price, "currency")?.ToUpperInvariant(),
            // Newer API versions (basil) keep the period on the item; older ones at the top.
            StripeEvents.Time(subscription, "current_period_start") ?? StripeEvents.Time(item, "current_period_start"),
            StripeEvents.Time(subscription, "current_period_end") ?? StripeEvents.Time(item, "current_period_end"),
            StripeEvents.Time(subscription, "trial_end"),
            subscription.TryGetProperty("cancel_at_period_end", out var cancel) && cancel.ValueKind == JsonValueKind.True,
            null);
    }

    private static JsonElement FirstItem(JsonElement subscription)
    {
        var items = StripeEvents.Child(subscription, "items");
        return items.ValueKind == JsonValueKind.Object && items.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0
            ? data[0]
            : default;
    }

    private string Currency(string currency)
    {
        var upper = currency.ToUpperInvariant();
        if (!Currencies.Contains(upper))
        {
            throw new ProviderException(ProviderFailure.Rejected, $"Stripe is set up for {string.Join(", ", Currencies)}, not '{currency}'.");
        }

        return upper.ToLowerInvariant();
    }

    private static string Interval(BillingCycle cycle) => cycle == BillingCycle.Annual ? "year" : "month";

    private static string CycleName(BillingCycle cycle) => cycle == BillingCycle.Annual ? "annual" : "monthly";

    private static BillingCycle? CycleOf(string? interval) => interval switch
    {
        "month" => BillingCycle.Monthly,
        "year" => BillingCycle.Annual,
        _ => null,
    };

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One call: the key, the pinned version, the form body; with an idempotency key a POST may be repeated by the
    /// pipeline. Answers the JSON object, or throws <see cref="ProviderException"/> per §12.6.
    /// </summary>
    private async Task<JsonElement> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        IEnumerable<KeyValuePair<string, string>>? form,
        string? idempotencyKey,
        string what,
        CancellationToken cancellationToken,
        bool missingIsDone = false)
    {
        var key = Options.SecretKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{StripeOptions.Section}:SecretKey is not set.");
        }

        var baseUri = MarketplaceHttp.BaseUri(Options.ApiBase, $"{StripeOptions.Section}:ApiBase");
        using var request = new HttpRequestMessage(method, new Uri(new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/"), pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (!string.IsNullOrWhiteSpace(Options.ApiVersion))
        {
            request.Headers.TryAddWithoutValidation("Stripe-Version", Options.ApiVersion);
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            request.AsRepeatable();
        }

        using var response = await MarketplaceHttp.SendAsync(httpClientFactory.CreateClient(ClientName), request, Vendor, what, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await MarketplaceHttp.ReadJsonAsync(response, Vendor, what, cancellationToken);
        }

        var (type, code) = ErrorOf(await ProviderHttp.ReadTextAsync(response, cancellationToken));
        if (missingIsDone && response.StatusCode == HttpStatusCode.NotFound && code is null or "resource_missing")
        {
            return default;
        }

        if (code is "rate_limit" or "lock_timeout")
        {
            throw new ProviderException(ProviderFailure.RateLimited, $"Stripe {what}: rate limited ({code}).", ProviderHttp.RetryAfter(response, timeProvider));
        }

        MarketplaceHttp.ThrowForTransport(response, Vendor, what, timeProvider);
        var status = (int)response.StatusCode;
        if (ShouldRetryHeader(response) == true || response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Stripe {what}: HTTP {status} ({type ?? "no type"}), retry later.");
        }

        // Stripe's message is left out: it can quote what was sent (an e-mail address); type, code and status suffice.
        throw new ProviderException(ProviderFailure.Rejected, $"Stripe {what} refused ({status}, {type ?? "no type"}{(code is null ? "" : "/" + code)}).");
    }

    private static (string? Type, string? Code) ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var error = StripeEvents.Child(document.RootElement, "error");
            return (StripeEvents.Text(error, "type"), StripeEvents.Text(error, "code"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
