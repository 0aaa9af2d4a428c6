using System.Security.Cryptography;
using System.Text;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Accounts;

/// <summary>Who an API request acts as; the host sets <see cref="WorkspaceContext"/> from it.</summary>
public sealed record ApiKeyPrincipal(Guid UserId, Guid WorkspaceId, Guid KeyId, WorkspaceRole Role);

/// <summary>
/// Resolves a presented API key. Valid means: well-formed, known, not revoked, its user not
/// terminated and still a member of the key's workspace (the role is the current membership role,
/// so a demotion applies at once). <see cref="ApiKey.LastUsedAt"/> is written at most once a minute
/// per key with a conditional UPDATE, so bursts of calls do not turn into bursts of writes.
/// </summary>
public sealed class ApiKeyAuthenticator(AppDbContext db, TimeProvider time)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Returns the principal, or null for any invalid key (the reason is not disclosed).</summary>
    public async Task<ApiKeyPrincipal?> FindAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.IsWellFormed(presentedKey))
        {
            return null;
        }

        var hash = ApiKeyFormat.Hash(presentedKey!);
        var match = await (
                from key in db.ApiKeys
                where key.KeyHash == hash && key.RevokedAt == null
                join member in db.WorkspaceMembers on new { key.WorkspaceId, key.UserId } equals new { member.WorkspaceId, member.UserId }
                join user in db.Users on key.UserId equals user.Id
                where user.TerminatedAt == null
                select new { key.Id, key.KeyHash, key.UserId, key.WorkspaceId, key.LastUsedAt, member.Role })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);

        // Defence in depth: the index lookup found the row; confirm it in constant time.
        if (match is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(match.KeyHash), Encoding.ASCII.GetBytes(hash)))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (match.LastUsedAt is null || now - match.LastUsedAt.Value >= LastUsedResolution)
        {
            var threshold = now - LastUsedResolution;
            await db.ApiKeys
                .Where(k => k.Id == match.Id && (k.LastUsedAt == null || k.LastUsedAt <= threshold))
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return new ApiKeyPrincipal(match.UserId, match.WorkspaceId, match.Id, match.Role);
    }
}
