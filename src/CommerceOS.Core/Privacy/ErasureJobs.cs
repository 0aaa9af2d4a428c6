using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Publishing;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// Account erasure: revokes a closed workspace's marketplace connection at the platform and deletes our copy of its
/// tokens (<see cref="ConnectionRelease"/>). Idempotent: a connection already disconnected is not called again, so a
/// second run, or a run after a crash that followed the commit, makes no second revoke call. A platform failure is
/// retried with the job's back-off; on the last attempt the tokens are deleted anyway (not revoked), so no token
/// outlives the 24 hours personal data may be kept after an account is closed.
/// </summary>
public sealed class RevokeMarketplaceConnectionJob(AppDbContext db, ConnectionRelease release) : IJobHandler
{
    public const string JobKind = "privacy.revoke_marketplace_connection";

    public string Kind => JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var connection = await db.MarketplaceConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == job.SubjectId, cancellationToken);
        if (connection is null || connection.Status == ConnectionStatus.Disconnected)
        {
            return Output(revoked: connection?.RevokedAtPlatform ?? false, alreadyDone: true);
        }

        bool revoked;
        try
        {
            revoked = await release.RevokeAtPlatformAsync(connection, cancellationToken);
        }
        catch (Exception e) when (ConnectionRelease.IsPlatformFailure(e, cancellationToken) && job.Attempts >= job.MaxAttempts)
        {
            revoked = false;
        }

        await release.ForgetAsync(connection, revoked, userId: null, cancellationToken);
        return Output(revoked, alreadyDone: false);
    }

    private static string Output(bool revoked, bool alreadyDone) => JsonSerializer.Serialize(new { revoked, alreadyDone });
}

/// <summary>
/// Account erasure: deletes a closed workspace's customer at its payment gateway (<see cref="IPaymentGateway.DeleteCustomerAsync"/>;
/// at Stripe this also cancels the customer's subscriptions at once, so nothing is charged again), then forgets the
/// gateway's ids and the payment events that named them. Idempotent: once the ids are gone a re-run calls nothing.
/// </summary>
public sealed class DeletePaymentCustomerJob(AppDbContext db, PaymentGatewayRegistry gateways) : IJobHandler
{
    public const string JobKind = "privacy.delete_payment_customer";

    public string Kind => JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == job.SubjectId, cancellationToken);
        if (subscription?.GatewayCustomerId is not { } customerId)
        {
            return Output(deleted: false, alreadyDone: true);
        }

        var gateway = gateways.Find(subscription.Gateway)
            ?? throw new JobRejectedException(BillingErrors.GatewayUnavailable, $"Gateway {subscription.Gateway} is not configured.");
        await gateway.DeleteCustomerAsync(customerId, cancellationToken);

        var gatewaySubscriptionId = subscription.GatewaySubscriptionId;
        await db.PaymentInbox
            .Where(e => e.CustomerId == customerId || (gatewaySubscriptionId != null && e.SubscriptionId == gatewaySubscriptionId))
            .ExecuteDeleteAsync(cancellationToken);
        subscription.GatewayCustomerId = null;
        subscription.GatewaySubscriptionId = null;
        await db.SaveChangesAsync(cancellationToken);
        return Output(deleted: true, alreadyDone: false);
    }

    private static string Output(bool deleted, bool alreadyDone) => JsonSerializer.Serialize(new { deleted, alreadyDone });
}
