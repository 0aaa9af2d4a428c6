using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>The workspace's connections, newest first, disconnected ones last (any member).</summary>
public sealed class ListConnections(AppDbContext db, WorkspaceContext workspace)
{
    public async Task<Result<IReadOnlyList<ConnectionView>>> HandleAsync(CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var rows = await db.MarketplaceConnections.AsNoTracking()
            .OrderBy(c => c.Status == ConnectionStatus.Disconnected).ThenByDescending(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        return rows.Select(ConnectionView.Of).ToList();
    }
}

/// <summary>
/// Tests a stored connection again (Editors and above): the status and the time of the check are recorded either way,
/// and tokens renewed on the way are stored encrypted.
/// </summary>
public sealed class CheckConnection(AppDbContext db, WorkspaceContext workspace, MarketplacePublishers publishers, ConnectionSecrets secrets, TimeProvider time)
{
    public async Task<Result<ConnectionView>> HandleAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var connection = await db.MarketplaceConnections.FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null)
        {
            return Result.NotFound();
        }

        if (connection.Status == ConnectionStatus.Disconnected)
        {
            return Result.Conflict("", PublishingErrors.Disconnected);
        }

        var publisher = publishers.Find(connection.Platform);
        var values = secrets.Unprotect(connection);
        if (publisher is null || values is null)
        {
            connection.Status = ConnectionStatus.Failing;
            connection.LastErrorCode = PublishingErrors.CredentialsUnreadable;
        }
        else
        {
            var session = new MarketplaceSession(connection.Id, connection.Platform, values);
            var check = await ConnectMarketplace.TestAsync(publisher, session, cancellationToken);
            if (check.IsSuccess)
            {
                connection.Status = ConnectionStatus.Active;
                connection.LastErrorCode = null;
                connection.AccountLabel = AuditLog.Sanitize(check.Value.AccountLabel, 200);
            }
            else
            {
                var refused = check.Errors.Any(e => e.Code == PublishingErrors.CredentialsRefused);
                connection.Status = refused ? ConnectionStatus.Failing : connection.Status;
                connection.LastErrorCode = refused ? PublishingErrors.CredentialsRefused : PublishingErrors.Unreachable;
            }

            if (session.Changed)
            {
                connection.ProtectedCredentials = secrets.Protect(connection, session.Values);
            }
        }

        connection.LastCheckedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return ConnectionView.Of(connection);
    }
}

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
            audit.Add(PublishingAudit.Disconnect, AuditOutcomes.Success, workspace.UserId, connection.WorkspaceId, $"{connection.Platform}:{connection.Id}");
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var after = await db.MarketplaceConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId, cancellationToken);
        return ConnectionView.Of(after);
    }
}
