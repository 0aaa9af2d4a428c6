using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Billing.Payments;

namespace CommerceOS.Connectors.Payments.Stripe;

/// <summary>
/// Stripe's webhook signature (external-apis.md §12.4, CONFIRMED) and the reduction of an event to what CommerceOS acts
/// on, shared by webhook deliveries and the undelivered-events listing so both read an event the same way.
/// Nothing here throws on hostile input: every defect is a refusal with a short reason.
/// </summary>
internal static class StripeEvents
{
    public const string SignatureHeader = "Stripe-Signature";

    // Far above any real header (one t and two v1 of 64 hex digits); stops a giant header from costing work.
    private const int MaxHeaderLength = 4096;
    private const int SignatureBytes = 32;

    private static readonly HashSet<string> SubscriptionTypes = new(StringComparer.Ordinal)
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
    };

    public static WebhookVerification Verify(WebhookDelivery delivery, IReadOnlyList<string> secrets, int toleranceSeconds)
    {
        if (secrets.Count == 0)
        {
            return WebhookVerification.Refuse("No webhook secret is configured.");
        }

        var header = Header(delivery.Headers, SignatureHeader);
        if (string.IsNullOrWhiteSpace(header))
        {
            return WebhookVerification.Refuse("Stripe-Signature header missing.");
        }

        if (header.Length > MaxHeaderLength)
        {
            return WebhookVerification.Refuse("Stripe-Signature header too long.");
        }

        string? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var item in header.Split(','))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = item[..equals].Trim();
            var value = item[(equals + 1)..].Trim();
            if (key == "t")
            {
                // Two different t values would make "the" signed payload ambiguous.
                if (timestamp is not null && timestamp != value)
                {
                    return WebhookVerification.Refuse("Stripe-Signature has conflicting timestamps.");
                }

                timestamp = value;
            }
            else if (key == "v1" && value.Length == SignatureBytes * 2 && TryHex(value, out var signature))
            {
                candidates.Add(signature);
            }
        }

        if (timestamp is null || timestamp.Length is 0 or > 12 || !timestamp.All(char.IsAsciiDigit)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerification.Refuse("Stripe-Signature has no valid timestamp.");
        }

        if (candidates.Count == 0)
        {
            return WebhookVerification.Refuse("Stripe-Signature has no v1 signature.");
        }

        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var payload = new byte[prefix.Length + delivery.Body.Length];
        prefix.CopyTo(payload, 0);
        delivery.Body.Span.CopyTo(payload.AsSpan(prefix.Length));

        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
            foreach (var candidate in candidates)
            {
                // No early exit: the time taken does not tell which secret or signature matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        if (!matched)
        {
            return WebhookVerification.Refuse("Signature does not match.");
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799));
        if ((delivery.ReceivedAt - signedAt).Duration() > TimeSpan.FromSeconds(toleranceSeconds))
        {
            return WebhookVerification.Refuse("Signature timestamp outside the tolerance.");
        }

        try
        {
            using var document = JsonDocument.Parse(delivery.Body);
            return Parse(document.RootElement, out var verified) is { } refusal ? WebhookVerification.Refuse(refusal) : WebhookVerification.Accept(verified!);
        }
        catch (JsonException)
        {
            return WebhookVerification.Refuse("Body is not valid JSON.");
        }
    }

    /// <summary>An event object (a delivery's body or one entry of the events list) reduced; null, or why it is unusable.</summary>
    public static string? Parse(JsonElement root, out VerifiedPaymentEvent? verified)
    {
        verified = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Event is not a JSON object.";
        }

        var id = Text(root, "id");
        var type = Text(root, "type");
        var created = Number(root, "created");
        if (id is null || type is null || created is null || created < 0 || created > 253402300799)
        {
            return "Event lacks id, type or created.";
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var item) || item.ValueKind != JsonValueKind.Object)
        {
            return "Event lacks data.object.";
        }

        var occurred = DateTimeOffset.FromUnixTimeSeconds(created.Value);
        var isSubscription = type.StartsWith("customer.subscription.", StringComparison.Ordinal);
        if (!isSubscription && !SubscriptionTypes.Contains(type))
        {
            verified = new VerifiedPaymentEvent(PaymentGateways.Stripe, id, type, PaymentEventKind.Ignored, occurred, null, null, null, null, null);
            return null;
        }

        var metadata = Child(item, "metadata");
        var subscriptionDetails = Child(item, "subscription_details");
        // UNCONFIRMED: from API 2025-03-31.basil an invoice names its subscription under parent.subscription_details.
        var parentDetails = Child(Child(item, "parent"), "subscription_details");
        var subscriptionId = isSubscription
            ? Text(item, "id")
            : Id(item, "subscription") ?? Id(parentDetails, "subscription");
        var orderText = Text(item, "client_reference_id")
            ?? Text(metadata, "order_id")
            ?? Text(Child(subscriptionDetails, "metadata"), "order_id")
            ?? Text(Child(parentDetails, "metadata"), "order_id");
        Guid? orderId = Guid.TryParseExact(orderText, "N", out var order) || Guid.TryParseExact(orderText, "D", out order) ? order : null;
        var amount = Number(item, "amount_total") ?? Number(item, "amount_paid");
        var currency = Text(item, "currency")?.ToUpperInvariant();
        verified = new VerifiedPaymentEvent(
            PaymentGateways.Stripe,
            id,
            type,
            PaymentEventKind.SubscriptionChanged,
            occurred,
            orderId,
            subscriptionId,
            Id(item, "customer"),
            amount,
            amount is null ? null : currency);
        return null;
    }

    /// <summary>A header by name, case-insensitively whatever comparer the dictionary was built with.</summary>
    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var pair in headers)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static bool TryHex(string value, out byte[] bytes)
    {
        bytes = new byte[value.Length / 2];
        return Convert.FromHexString(value, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length;
    }

    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    public static long? Number(JsonElement element, string name) => element.GetInt64(name);

    /// <summary>An id field that may also come expanded into its object.</summary>
    public static string? Id(JsonElement element, string name) => Text(element, name) ?? Text(Child(element, name), "id");

    public static DateTimeOffset? Time(JsonElement element, string name) =>
        Number(element, name) is { } seconds and >= 0 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
