using System.Security.Claims;
using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Authentication;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommerceOS.Web.Features.Accounts;

/// <summary>Adds the preferred language (wins over the browser) and the admin flag to the session.</summary>
public sealed class AccountClaimsFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(LocalizationExtensions.LanguageClaim, user.PreferredLanguage));
        if (user.IsAdmin)
        {
            identity.AddClaim(new Claim(AuthClaims.Admin, "true"));
        }

        return identity;
    }
}
