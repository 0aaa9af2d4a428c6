using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Accounts;

/// <summary>The user's own API keys, newest first, revoked ones included (marked). Never the hash.</summary>
public sealed class ListApiKeys(AppDbContext db)
{
    public sealed record Request(Guid UserId);

    public sealed record Item(Guid Id, Guid WorkspaceId, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

    public async Task<IReadOnlyList<Item>> ExecuteAsync(Request request, CancellationToken cancellationToken) =>
        await db.ApiKeys
            .Where(k => k.UserId == request.UserId)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .Select(k => new Item(k.Id, k.WorkspaceId, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
}
