using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Disconnects a store (Admins and owners): revokes at the platform what it lets us revoke, deletes the credentials and
/// frees the plan's gauge once, however often it is called. The row stays for the listings' publish history; queued
/// publishes of the connection fail when they run.
/// </summary>
public sealed class DisconnectMarketplace(AppDbContext db, WorkspaceContext workspace, ConnectionRelease release)
{
    public async Task<Result<ConnectionView>> HandleAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var connection = await db.MarketplaceConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null)
        {
            return Result.NotFound();
        }

        if (connection.Status == ConnectionStatus.Disconnected)
        {
            return ConnectionView.Of(connection);
        }

        var revoked = false;
        try
        {
            revoked = await release.RevokeAtPlatformAsync(connection, cancellationToken);
        }
        catch (Exception e) when (ConnectionRelease.IsPlatformFailure(e, cancellationToken))
        {
            // Best effort: our copy of the credentials is deleted below whatever the platform answered.
        }

        await release.ForgetAsync(connection, revoked, workspace.UserId, cancellationToken);
        var after = await db.MarketplaceConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId, cancellationToken);
        return ConnectionView.Of(after);
    }
}

/// <summary>
/// The two halves of letting a connection go, shared by <see cref="DisconnectMarketplace"/> and account erasure
/// (<see cref="Privacy.RevokeMarketplaceConnectionJob"/>): revoke at the platform, then forget the credentials once.
/// </summary>
public sealed class ConnectionRelease(AppDbContext db, MarketplacePublishers publishers, ConnectionSecrets secrets, UsageLedger ledger, AuditLog audit, TimeProvider time)
{
    /// <summary>A failure of the platform or the wire, not ours: worth a retry, or to be shrugged off.</summary>
    public static bool IsPlatformFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is Generation.ProviderException or HttpRequestException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Revokes what the platform lets us revoke; false when it offers nothing or there are no credentials. Throws on failure.</summary>
    public async Task<bool> RevokeAtPlatformAsync(MarketplaceConnection connection, CancellationToken cancellationToken) =>
        publishers.Find(connection.Platform) is { } publisher && secrets.Unprotect(connection) is { } values
        && await publisher.RevokeAsync(new MarketplaceSession(connection.Id, connection.Platform, values), cancellationToken);

    /// <summary>
    /// Deletes the credentials, marks the connection Disconnected, frees the plan's gauge, stops sync and drops the category
    /// cache, in one transaction, only the first time (a guarded update): false when it was already disconnected.
    /// </summary>
    public async Task<bool> ForgetAsync(MarketplaceConnection connection, bool revoked, Guid? userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.MarketplaceConnections
            .Where(c => c.Id == connection.Id && c.Status != ConnectionStatus.Disconnected)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, ConnectionStatus.Disconnected)
                    .SetProperty(c => c.ProtectedCredentials, "")
                    .SetProperty(c => c.DisconnectedAt, now)
                    .SetProperty(c => c.RevokedAtPlatform, revoked),
                cancellationToken);
        if (changed == 1)
        {
            await ledger.RemoveConnectionAsync(connection.WorkspaceId, cancellationToken);
            await db.MarketplaceListings.Where(l => l.ConnectionId == connection.Id && l.KeepInSync)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.KeepInSync, false), cancellationToken);
            await db.MarketplaceCategoryCaches.Where(c => c.ConnectionId == connection.Id).ExecuteDeleteAsync(cancellationToken);
            audit.Add(PublishingAudit.Disconnect, AuditOutcomes.Success, userId, connection.WorkspaceId, $"{connection.Platform}:{connection.Id}");
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }
}
