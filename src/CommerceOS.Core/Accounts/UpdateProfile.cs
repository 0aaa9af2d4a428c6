using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>Changes the signed-in user's display name and preferred language (rectification, privacy policy section 6).</summary>
public sealed class UpdateProfile(UserManager<AppUser> users)
{
    public sealed record Request(Guid UserId, string DisplayName, string PreferredLanguage);

    public sealed record Response(IReadOnlyList<AccountError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var errors = new List<AccountError>();
        if (!AccountInput.TryNormalizeDisplayName(request.DisplayName, out var displayName))
        {
            errors.Add(new(AccountErrors.DisplayNameInvalid));
        }

        if (!SupportedLanguages.IsSupported(request.PreferredLanguage))
        {
            errors.Add(new(AccountErrors.LanguageUnsupported));
        }

        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || user.TerminatedAt is not null)
        {
            return new([new(AccountErrors.UserNotFound)]);
        }

        if (errors.Count > 0)
        {
            return new(errors);
        }

        user.DisplayName = displayName;
        user.PreferredLanguage = request.PreferredLanguage;
        var result = await users.UpdateAsync(user);
        return new(result.Succeeded ? [] : AccountError.FromIdentity(result));
    }
}
