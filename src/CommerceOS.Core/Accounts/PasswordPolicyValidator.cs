using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// Enforces <see cref="PasswordPolicy"/> wherever Identity sets a password (create, change, reset).
/// Identity's own <see cref="PasswordValidator{TUser}"/> is removed by
/// <see cref="AccountsServiceCollectionExtensions.AddAccounts"/> because it counts UTF-16 units and
/// has composition rules; this one is the only password validator.
/// </summary>
public sealed class PasswordPolicyValidator : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        var errors = PasswordPolicy.Check(password, user.Email, user.DisplayName);
        return Task.FromResult(errors.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed([.. errors.Select(e => new IdentityError { Code = e.Code, Description = e.Code })]));
    }
}
