using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Billing.Payments;

/// <summary>
/// The embedded default gateway: no money moves, and every page that shows it says so. It walks through the same states
/// as a real one-payment-per-period gateway: the checkout opens the order's page (<c>/app/billing/orders/{order}</c>), paying
/// there records the payment on the gateway's side (<see cref="TestGatewayPayment"/>) and delivers an HMAC-signed
/// notification through the same verify → inbox → process path as Alipay or WeChat Pay, and the processing re-reads the
/// payment here before it grants anything.
/// </summary>
public sealed class TestPaymentGateway(IServiceScopeFactory scopes, IOptions<BillingOptions> options, TimeProvider time) : IPaymentGateway
{
    public const string PayPath = "/app/billing/orders/";
    public const string SignatureHeader = "X-Test-Gateway-Signature";
    public const string TimestampHeader = "X-Test-Gateway-Timestamp";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly byte[] _secret = string.IsNullOrEmpty(options.Value.TestGatewaySecret)
        ? RandomNumberGenerator.GetBytes(32)
        : Encoding.UTF8.GetBytes(options.Value.TestGatewaySecret);

    public string Id => PaymentGateways.Test;

    public IReadOnlyList<string> Currencies { get; } = Pricing.Currencies;

    public bool Recurring => false;

    public async Task<CheckoutStart> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!await db.TestGatewayPayments.AnyAsync(p => p.OrderId == request.OrderId, cancellationToken))
        {
            db.TestGatewayPayments.Add(new TestGatewayPayment
            {
                OrderId = request.OrderId, Status = GatewayStatuses.Pending, AmountMinor = request.AmountMinor, Currency = request.Currency,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        return new CheckoutStart(PayPath + request.OrderId.ToString("N"), CheckoutPresentation.Redirect, request.OrderId.ToString("N"));
    }

    /// <summary>
    /// The buyer pays (or abandons) on the test page: the gateway records it on its side and returns the signed
    /// notification it sends, to be delivered through the webhook path. Paying twice sends the same event again.
    /// </summary>
    public async Task<WebhookDelivery?> CompleteAsync(Guid orderId, bool pay, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var payment = await db.TestGatewayPayments.FirstOrDefaultAsync(p => p.OrderId == orderId, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (payment.Status == GatewayStatuses.Pending)
        {
            payment.Status = pay ? GatewayStatuses.Paid : GatewayStatuses.Closed;
            payment.PaidAt = pay ? now.UtcDateTime : null;
            await db.SaveChangesAsync(cancellationToken);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new TestEvent(
            $"test-{orderId:N}-{payment.Status}", payment.Status, orderId.ToString("N"), payment.AmountMinor, payment.Currency,
            (payment.PaidAt ?? now.UtcDateTime).ToString("O", CultureInfo.InvariantCulture)), JsonSerializerOptions.Web);
        return Sign(body, now);
    }

    /// <summary>Signs a body as the test gateway does: hex HMAC-SHA256 over "{unix seconds}.{body}".</summary>
    public WebhookDelivery Sign(byte[] body, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(body);
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [TimestampHeader] = timestamp,
            [SignatureHeader] = Convert.ToHexStringLower(Mac(timestamp, body)),
        };
        return new WebhookDelivery(body, headers, "application/json", at);
    }

    public WebhookVerification Verify(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var headers = new Dictionary<string, string>(delivery.Headers, StringComparer.OrdinalIgnoreCase);
        if (!headers.TryGetValue(TimestampHeader, out var timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !headers.TryGetValue(SignatureHeader, out var signature))
        {
            return WebhookVerification.Refuse("Missing signature headers.");
        }

        if (seconds > 4_000_000_000 || (delivery.ReceivedAt - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return WebhookVerification.Refuse("Timestamp outside the tolerance.");
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return WebhookVerification.Refuse("Signature is not hex.");
        }

        if (!CryptographicOperations.FixedTimeEquals(given, Mac(timestamp, delivery.Body.Span)))
        {
            return WebhookVerification.Refuse("Signature does not match.");
        }

        TestEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<TestEvent>(delivery.Body.Span, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return WebhookVerification.Refuse("Body is not the test gateway's JSON.");
        }

        if (parsed?.Id is not { Length: > 0 } id || !Guid.TryParseExact(parsed.OrderId, "N", out var orderId)
            || !DateTimeOffset.TryParse(parsed.OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurred))
        {
            return WebhookVerification.Refuse("Event is incomplete.");
        }

        var kind = parsed.Status switch
        {
            GatewayStatuses.Paid => PaymentEventKind.OrderPaid,
            GatewayStatuses.Closed => PaymentEventKind.OrderClosed,
            _ => PaymentEventKind.Ignored,
        };
        return WebhookVerification.Accept(new VerifiedPaymentEvent(Id, id, "test." + parsed.Status, kind, occurred, orderId, null, null, parsed.AmountMinor, parsed.Currency));
    }

    public WebhookReply Reply(bool accepted) => accepted ? new WebhookReply(200, null, null) : new WebhookReply(400, null, null);

    public async Task<GatewayState> FetchAsync(GatewayObject target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.OrderId is not { } orderId)
        {
            throw new NotSupportedException("The test gateway has orders only.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var payment = await scope.ServiceProvider.GetRequiredService<AppDbContext>().TestGatewayPayments.AsNoTracking()
            .FirstOrDefaultAsync(p => p.OrderId == orderId, cancellationToken);
        return payment is null
            ? new GatewayState(GatewayStatuses.Pending, orderId, null, null, null, null, null, null, null, null, null, false, null)
            : new GatewayState(payment.Status, orderId, null, null, null, null, payment.AmountMinor, payment.Currency, null, null, null, false,
                payment.PaidAt is { } paid ? new DateTimeOffset(paid, TimeSpan.Zero) : null);
    }

    public Task<IReadOnlyList<VerifiedPaymentEvent>> ListUndeliveredAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VerifiedPaymentEvent>>([]);

    public Task<GatewayState> ChangeSubscriptionAsync(SubscriptionChange change, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The test gateway takes one payment per period.");

    public Task<string?> PortalUrlAsync(string customerId, string returnUrl, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task DeleteCustomerAsync(string customerId, CancellationToken cancellationToken) => Task.CompletedTask;

    private byte[] Mac(string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(_secret, message);
    }

    private sealed record TestEvent(string? Id, string? Status, string? OrderId, long? AmountMinor, string? Currency, string? OccurredAt);
}
