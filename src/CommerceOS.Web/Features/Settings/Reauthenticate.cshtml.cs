using System.Security.Claims;
using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Authentication;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// Re-enter the password to refresh the session's authentication time (ASVS 5.0 7.5.1). Success
/// issues a new session cookie (new session id, ASVS 5.0 7.2.4); failures count towards lockout.
/// </summary>
[Authorize]
[EnableRateLimiting(SecurityExtensions.AuthRateLimit)]
public sealed class ReauthenticateModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AuditLog audit, IStringLocalizer localizer) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string Password { get; set; } = "";

    public string Email { get; private set; } = "";
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync() is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        var agent = Request.Headers.UserAgent.ToString();
        var check = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await audit.RecordAsync(AuditActions.LoginFail, AuditOutcomes.Failure, user.Id, target: "reauth", ipAddress: ip, userAgent: agent, cancellationToken: cancellationToken);
            Error = check.IsLockedOut ? localizer["login.locked_out"] : localizer[AccountErrors.PasswordIncorrect];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "pwd")]);
        await audit.RecordAsync(AuditActions.LoginSuccess, AuditOutcomes.Success, user.Id, target: "reauth", ipAddress: ip, userAgent: agent, cancellationToken: cancellationToken);
        return LocalRedirect(SettingsWebExtensions.LocalOr(ReturnUrl, "/app/settings"));
    }

    private async Task<AppUser?> CurrentUserAsync() =>
        User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName ? null : await users.GetUserAsync(User);
}
