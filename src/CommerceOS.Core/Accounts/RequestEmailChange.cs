using CommerceOS.Core.Email;
using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Step 1 of an e-mail change by a signed-in (and, per ASVS 5.0 7.5.1, recently re-authenticated)
/// user: sends a confirmation link bound to the new address, to the new address. Nothing changes
/// until <see cref="ConfirmEmailChange"/>. If the new address already belongs to another account
/// the answer is the same but no link is sent (no enumeration of registered addresses).
/// </summary>
public sealed class RequestEmailChange(UserManager<AppUser> users, IEmailSender email, AccountLinks links)
{
    public sealed record Request(Guid UserId, string NewEmail);

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

        if (!AccountInput.TryNormalizeEmail(request.NewEmail, out var newEmail))
        {
            return new([new(AccountErrors.EmailInvalid)]);
        }

        if (string.Equals(users.NormalizeEmail(newEmail), user.NormalizedEmail, StringComparison.Ordinal))
        {
            return new([new(AccountErrors.EmailUnchanged)]);
        }

        if (await users.FindByEmailAsync(newEmail) is not null)
        {
            return new([]);
        }

        var token = await users.GenerateChangeEmailTokenAsync(user, newEmail);
        var link = links.ConfirmEmailChange(user.Id, newEmail, token);
        await email.SendAsync(EmailTemplates.ConfirmEmailChange(newEmail, user.PreferredLanguage, user.DisplayName, newEmail, link), cancellationToken);
        return new([]);
    }
}
