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
public sealed class DisconnectMarketplace(
    AppDbContext db, WorkspaceContext workspace, MarketplacePublishers publishers, ConnectionSecrets secrets, UsageLedger ledger, AuditLog audit, TimeProvider time)
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
        if (publishers.Find(connection.Platform) is { } publisher && secrets.Unprotect(connection) is { } values)
        {
            try
            {
                revoked = await publisher.RevokeAsync(new MarketplaceSession(connection.Id, connection.Platform, values), cancellationToken);
            }
            catch (Exception e) when (e is Generation.ProviderException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Best effort: our copy of the credentials is deleted below whatever the platform answered.
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.MarketplaceConnections
            .Where(c => c.Id == connectionId && c.Status != ConnectionStatus.Disconnected)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, ConnectionStatus.Disconnected)
                    .SetProperty(c => c.ProtectedCredentials, "")
                    .SetProperty(c => c.DisconnectedAt, now)
                    .SetProperty(c => c.RevokedAtPlatform, revoked),
                cancellationToken);
        if (changed == 1)
        {
            await ledger.RemoveConnectionAsync(connection.WorkspaceId, cancellationToken);
            await db.MarketplaceListings.Where(l => l.ConnectionId == connectionId && l.KeepInSync)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.KeepInSync, false), cancellationToken);
            await db.MarketplaceCategoryCaches.Where(c => c.ConnectionId == connectionId).ExecuteDeleteAsync(cancellationToken);
            audit.Add(PublishingAudit.Disconnect, AuditOutcomes.Success, workspace.UserId, connection.WorkspaceId, $"{connection.Platform}:{connection.Id}");
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var after = await db.MarketplaceConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId, cancellationToken);
        return ConnectionView.Of(after);
    }
}
