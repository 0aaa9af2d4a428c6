using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Platform;

public static class LanguageEndpoints
{
    /// <summary>
    /// POST /language (form: language, returnUrl): remembers the choice in the culture cookie and, for a
    /// signed-in user, as their saved preference (which then wins on every device).
    /// </summary>
    public static WebApplication MapLanguage(this WebApplication app)
    {
        app.MapPost("/language", async ([FromForm] string language, [FromForm] string? returnUrl, HttpContext context, Accounts.UserLanguagePreferenceStore preferences, TimeProvider time) =>
        {
            var culture = LocalizationExtensions.Normalize(language);
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = time.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, Secure = true, HttpOnly = true });
            await preferences.SaveAsync(context, culture);
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>A return address on this site ("/path"), never another ("//host", "/\\host").</summary>
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
