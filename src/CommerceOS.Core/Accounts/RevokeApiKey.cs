using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Revokes one of the user's own keys; it stops authenticating at once. Revoking an already
/// revoked key succeeds without change. Someone else's key id answers "not found".
/// </summary>
public sealed class RevokeApiKey(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public sealed record Request(Guid UserId, Guid KeyId, string? IpAddress = null, string? UserAgent = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == request.KeyId && k.UserId == request.UserId, cancellationToken);
        if (key is null)
        {
            return new([new(AccountErrors.ApiKeyNotFound)]);
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            audit.Add(AuditActions.ApiKeyRevoke, AuditOutcomes.Success, request.UserId, key.WorkspaceId,
                target: $"apikey:{key.Id}", ipAddress: request.IpAddress, userAgent: request.UserAgent);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new([]);
    }
}
