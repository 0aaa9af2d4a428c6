using System.Security.Claims;
using CommerceOS.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Web.Features.Accounts;

/// <summary>Saves a signed-in user's language choice and refreshes their session so it applies at once.</summary>
public sealed class UserLanguagePreferenceStore(UserManager<AppUser> users, SignInManager<AppUser> signIn)
{
    public async Task SaveAsync(HttpContext context, string culture)
    {
        if (context.User.Identity?.IsAuthenticated != true
            || context.User.Identity.AuthenticationType == CommerceOS.Web.Shared.Authentication.ApiKeyAuthenticationHandler.SchemeName
            || await users.FindByIdAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "") is not { } user)
        {
            return;
        }

        user.PreferredLanguage = culture;
        await users.UpdateAsync(user);
        await signIn.RefreshSignInAsync(user);
    }
}
