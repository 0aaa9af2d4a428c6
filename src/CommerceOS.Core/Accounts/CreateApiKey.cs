using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Creates a personal API key for one workspace the user belongs to, when its plan has API access (Enterprise, or granted). The plaintext key is in the
/// response only: it is never stored or shown again (only its SHA-256 and prefix are kept).
/// The host should require recent re-authentication (ASVS 5.0 7.5.1, test plan row A4).
/// </summary>
public sealed class CreateApiKey(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public sealed record Request(Guid UserId, Guid WorkspaceId, string Name, string? IpAddress = null, string? UserAgent = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors, Guid? KeyId, string? PlaintextKey, string? Prefix)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        if (!AccountInput.TryNormalizeDisplayName(request.Name, out var name))
        {
            return new([new(AccountErrors.ApiKeyNameInvalid)], null, null, null);
        }

        var isActiveMember = await db.WorkspaceMembers.AnyAsync(
            m => m.UserId == request.UserId && m.WorkspaceId == request.WorkspaceId
                && db.Users.Any(u => u.Id == m.UserId && u.TerminatedAt == null),
            cancellationToken);
        if (!isActiveMember)
        {
            return new([new(AccountErrors.NotWorkspaceMember)], null, null, null);
        }

        if (!await db.WorkspaceHasFeatureAsync(request.WorkspaceId, PlanFeatures.ApiAccess, time, cancellationToken))
        {
            return new([new(AccountErrors.ApiAccessRequired)], null, null, null);
        }

        var plaintext = ApiKeyFormat.Generate();
        var key = new ApiKey
        {
            UserId = request.UserId,
            WorkspaceId = request.WorkspaceId,
            Name = name,
            Prefix = ApiKeyFormat.Prefix(plaintext),
            KeyHash = ApiKeyFormat.Hash(plaintext),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(key);
        audit.Add(AuditActions.ApiKeyCreate, AuditOutcomes.Success, request.UserId, request.WorkspaceId,
            target: $"apikey:{key.Id}", ipAddress: request.IpAddress, userAgent: request.UserAgent);
        await db.SaveChangesAsync(cancellationToken);
        return new([], key.Id, plaintext, key.Prefix);
    }
}
