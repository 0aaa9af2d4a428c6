using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// Invites an e-mail address into the current workspace with a role (Admins and Owners; never a
/// role above the inviter's own, so only an Owner invites Owners). The link token is 32 random
/// bytes (base64url) valid for 7 days; only its SHA-256 is stored. Inviting an address that has a
/// pending invitation replaces it (the old link stops working). The e-mail is written in the
/// inviter's language and sent after the invitation is saved.
/// </summary>
public sealed class InviteMember(
    AppDbContext db,
    WorkspaceContext workspace,
    IEmailSender email,
    IOptions<AccountsOptions> accounts,
    AuditLog audit,
    TimeProvider time)
{
    public sealed record Request(string Email, WorkspaceRole Role);

    public sealed record Invited(Guid InvitationId, string Email, WorkspaceRole Role, DateTime ExpiresAt);

    public async Task<Result<Invited>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Admin) || workspace.UserId is not { } inviterId)
        {
            return Result.Forbidden();
        }

        if (!AccountInput.TryNormalizeEmail(request.Email, out var address))
        {
            return Result.Invalid("email", WorkspaceErrors.EmailInvalid);
        }

        if (!Enum.IsDefined(request.Role))
        {
            return Result.Invalid("role", WorkspaceErrors.RoleInvalid);
        }

        if (request.Role > workspace.Role)
        {
            return Result.Invalid("role", WorkspaceErrors.RoleAboveOwn);
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var normalized = address.ToUpperInvariant();
        var isMember = await db.WorkspaceMembers.AnyAsync(
            m => m.WorkspaceId == workspaceId && db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized),
            cancellationToken);
        if (isMember)
        {
            return Result.Conflict("email", WorkspaceErrors.AlreadyMember);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var pending = await db.WorkspaceInvitations
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var old in pending.Where(i => string.Equals(i.Email, address, StringComparison.OrdinalIgnoreCase)))
        {
            old.RevokedAt = now;
        }

        var token = InvitationTokens.Generate();
        var invitation = new WorkspaceInvitation
        {
            WorkspaceId = workspaceId,
            Email = address,
            Role = request.Role,
            TokenHash = InvitationTokens.Hash(token),
            InvitedByUserId = inviterId,
            CreatedAt = now,
            ExpiresAt = now + InvitationTokens.Lifetime,
        };
        db.WorkspaceInvitations.Add(invitation);
        audit.Add(WorkspaceAuditActions.Invite, AuditOutcomes.Success, inviterId, workspaceId,
            target: $"invitation:{invitation.Id}:{request.Role}");
        await db.SaveChangesAsync(cancellationToken);

        var inviter = await db.Users.AsNoTracking().Where(u => u.Id == inviterId)
            .Select(u => new { u.DisplayName, u.PreferredLanguage }).SingleAsync(cancellationToken);
        var workspaceName = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(cancellationToken);
        var link = InvitationTokens.Link(accounts.Value.PublicBaseUrl, token);
        await email.SendAsync(EmailTemplates.WorkspaceInvitation(address, inviter.PreferredLanguage, inviter.DisplayName, workspaceName, link), cancellationToken);
        return new Invited(invitation.Id, address, request.Role, invitation.ExpiresAt);
    }
}
