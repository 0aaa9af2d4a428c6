using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Tests a stored connection again (Editors and above): the status and the time of the check are recorded either way,
/// and tokens renewed on the way are stored encrypted. A store that passes and whose copy of the platform's categories is
/// missing or stale has it read again, so the check is also how a seller gets fresh category suggestions at once.
/// </summary>
public sealed class CheckConnection(
    AppDbContext db, WorkspaceContext workspace, MarketplacePublishers publishers, ConnectionSecrets secrets, CategoryTrees trees, IJobScheduler scheduler, TimeProvider time)
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

        var now = time.GetUtcNow().UtcDateTime;
        connection.LastCheckedAt = now;
        if (connection.Status == ConnectionStatus.Active
            && !await db.MarketplaceCategoryCaches.AnyAsync(c => c.ConnectionId == connection.Id && c.FetchedAt > now - trees.MaxAge, cancellationToken))
        {
            await trees.ScheduleAsync(db, scheduler, connection, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ConnectionView.Of(connection);
    }
}
