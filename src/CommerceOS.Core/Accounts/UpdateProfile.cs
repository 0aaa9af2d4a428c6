using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Changes the signed-in user's display name and preferred language (rectification, privacy policy section 6). A change
/// is audited with the names of the fields that changed, never their values.
/// </summary>
public sealed class UpdateProfile(UserManager<AppUser> users, AuditLog audit)
{
    public sealed record Request(Guid UserId, string DisplayName, string PreferredLanguage, string? IpAddress = null, string? UserAgent = null);

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

        var changed = new List<string>(2);
        if (user.DisplayName != displayName)
        {
            changed.Add("display_name");
        }

        if (user.PreferredLanguage != request.PreferredLanguage)
        {
            changed.Add("preferred_language");
        }

        if (changed.Count == 0)
        {
            return new([]);
        }

        user.DisplayName = displayName;
        user.PreferredLanguage = request.PreferredLanguage;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            return new(AccountError.FromIdentity(result));
        }

        await audit.RecordAsync(AuditActions.ProfileUpdate, AuditOutcomes.Success, user.Id, target: string.Join(',', changed),
            ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
        return new([]);
    }
}
