using CommerceOS.Core.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// "Forgot password". Always answers the same way whether or not the address has an account (no
/// enumeration); only an existing, non-terminated account gets the reset link (valid 1 hour, single
/// use because a reset changes the security stamp). The host rate-limits this endpoint.
/// </summary>
public sealed class RequestPasswordReset(UserManager<AppUser> users, IEmailSender email, AccountLinks links, ILogger<RequestPasswordReset> logger)
{
    public sealed record Request(string Email);

    public async Task ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        if (!AccountInput.TryNormalizeEmail(request.Email, out var address)
            || await users.FindByEmailAsync(address) is not { TerminatedAt: null } user)
        {
            return;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var message = EmailTemplates.ResetPassword(user.Email!, user.PreferredLanguage, user.DisplayName, links.ResetPassword(user.Id, token));
        try
        {
            await email.SendAsync(message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Surfacing the failure would tell the caller that the address exists.
            logger.LogError(exception, "Password reset e-mail to user {UserId} could not be sent", user.Id);
        }
    }
}
