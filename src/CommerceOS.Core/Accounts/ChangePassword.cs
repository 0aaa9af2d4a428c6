using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Changes the password of a signed-in user; requires the current one (ASVS 5.0 6.2.3). A wrong
/// current password counts as a failed sign-in attempt towards lockout. Success changes the
/// security stamp, which ends the user's other sessions.
/// </summary>
public sealed class ChangePassword(UserManager<AppUser> users, AuditLog audit)
{
    public sealed record Request(Guid UserId, string CurrentPassword, string NewPassword, string? IpAddress = null, string? UserAgent = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || user.TerminatedAt is not null)
        {
            return new([new(AccountErrors.UserNotFound)]);
        }

        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        var errors = result.Succeeded ? [] : AccountError.FromIdentity(result);
        if (errors.Any(e => e.Code == AccountErrors.PasswordIncorrect))
        {
            await users.AccessFailedAsync(user);
        }

        await audit.RecordAsync(AuditActions.PasswordChange, result.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failure, user.Id,
            target: errors.Count > 0 ? errors[0].Code : null, ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
        return new(errors);
    }
}
