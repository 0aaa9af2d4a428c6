using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Step 2 of an e-mail change: checks the token (bound to the user, the new address and the
/// security stamp; 1 hour), then sets e-mail and user name (kept equal to the e-mail) in one save,
/// marks the address confirmed and changes the security stamp. The old address is told.
/// </summary>
public sealed class ConfirmEmailChange(AppDbContext db, UserManager<AppUser> users, IEmailSender email, AccountLinks links, AuditLog audit, ILogger<ConfirmEmailChange> logger)
{
    public sealed record Request(Guid UserId, string NewEmail, string Token, string? IpAddress = null, string? UserAgent = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || user.TerminatedAt is not null || string.IsNullOrEmpty(request.Token)
            || !AccountInput.TryNormalizeEmail(request.NewEmail, out var newEmail))
        {
            return new([new(AccountErrors.TokenInvalid)]);
        }

        var oldEmail = user.Email!;
        user.UserName = newEmail;
        var result = await users.ChangeEmailAsync(user, newEmail, request.Token);
        if (!result.Succeeded)
        {
            await db.Entry(user).ReloadAsync(cancellationToken);
            var errors = AccountError.FromIdentity(result);
            await audit.RecordAsync(AuditActions.EmailChange, AuditOutcomes.Failure, user.Id, target: errors[0].Code,
                ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
            return new(errors);
        }

        await audit.RecordAsync(AuditActions.EmailChange, AuditOutcomes.Success, user.Id,
            ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
        try
        {
            await email.SendAsync(EmailTemplates.EmailChanged(oldEmail, user.PreferredLanguage, user.DisplayName, newEmail, links.Home()), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The change is committed; the notice is best effort.
            logger.LogError(exception, "E-mail change notice to user {UserId} could not be sent", user.Id);
        }

        return new([]);
    }
}
