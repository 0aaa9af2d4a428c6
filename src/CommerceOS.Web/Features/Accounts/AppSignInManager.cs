using System.Security.Claims;
using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommerceOS.Web.Features.Accounts;

/// <summary>
/// Identity's sign-in manager plus the authentication time (<see cref="RecentAuthentication"/>):
/// every real sign-in (password, re-authentication) stamps the current time; a refresh of the same
/// session (language change, password change) keeps the original one, so it never counts as re-authentication.
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    TimeProvider time)
    : SignInManager<AppUser>(users, contextAccessor, claimsFactory, options, logger, schemes, confirmation)
{
    public override Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        if (!claims.Exists(c => c.Type == RecentAuthentication.ClaimType))
        {
            claims.Add(RecentAuthentication.CreateClaim(time.GetUtcNow()));
        }

        return base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    public override async Task RefreshSignInAsync(AppUser user)
    {
        var auth = await Context.AuthenticateAsync(AuthenticationScheme);
        if (!auth.Succeeded || auth.Principal?.Identity?.IsAuthenticated != true
            || !string.Equals(UserManager.GetUserId(auth.Principal), await UserManager.GetUserIdAsync(user), StringComparison.Ordinal))
        {
            // Same guard as Identity's own refresh: never turn a refresh into a sign-in of someone else.
            return;
        }

        var claims = new List<Claim>();
        foreach (var type in new[] { ClaimTypes.AuthenticationMethod, "amr" })
        {
            if (auth.Principal.FindFirst(type) is { } claim)
            {
                claims.Add(claim);
            }
        }

        // No time on the old session means "long ago": a refresh must not grant recent authentication.
        claims.Add(RecentAuthentication.CreateClaim(RecentAuthentication.AuthenticatedAt(auth.Principal) ?? DateTimeOffset.UnixEpoch));
        await SignInWithClaimsAsync(user, auth.Properties, claims);
    }
}
