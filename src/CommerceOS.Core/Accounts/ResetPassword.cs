using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Sets a new password from the reset link. The token is checked, the policy applied, the security
/// stamp changed (so the link and other sessions stop working) and any lockout cleared.
/// The host must still ask for the second factor after a reset when MFA is on (ASVS 5.0 6.4.3).
/// </summary>
public sealed class ResetPassword(UserManager<AppUser> users, AuditLog audit)
{
    public sealed record Request(Guid UserId, string Token, string NewPassword, string? IpAddress = null, string? UserAgent = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || user.TerminatedAt is not null || string.IsNullOrEmpty(request.Token))
        {
            return new([new(AccountErrors.TokenInvalid)]);
        }

        var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (!result.Succeeded)
        {
            var errors = AccountError.FromIdentity(result);
            if (errors.Any(e => e.Code == AccountErrors.TokenInvalid))
            {
                await audit.RecordAsync(AuditActions.PasswordReset, AuditOutcomes.Failure, user.Id, target: "invalid_token",
                    ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
            }

            return new(errors);
        }

        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await audit.RecordAsync(AuditActions.PasswordReset, AuditOutcomes.Success, user.Id,
            ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
        return new([]);
    }
}
