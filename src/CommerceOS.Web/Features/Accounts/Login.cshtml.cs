using System.Globalization;
using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Accounts;

[EnableRateLimiting(SecurityExtensions.AuthRateLimit)]
public sealed class LoginModel(SignInManager<AppUser> signIn, LoginThrottle throttle, AuditLog audit, IStringLocalizer localizer) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var key = Email.Trim().ToUpperInvariant();
        // Checked before any password hashing: a blocked account costs the server nothing.
        if (throttle.IsBlocked(key, out var retryAfter))
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = localizer["common.rate_limited"];
            return Page();
        }

        var user = await signIn.UserManager.FindByEmailAsync(Email.Trim());
        var result = user is null || user.TerminatedAt is not null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        var agent = Request.Headers.UserAgent.ToString();
        if (result.Succeeded)
        {
            // One active session per account (product-scope A2.4): a new stamp ends every older session.
            await signIn.UserManager.UpdateSecurityStampAsync(user!);
            await signIn.SignInAsync(user!, isPersistent: false);
            throttle.Reset(key);
            await audit.RecordAsync(AuditActions.LoginSuccess, AuditOutcomes.Success, user!.Id, user.DefaultWorkspaceId, ipAddress: ip, userAgent: agent, cancellationToken: cancellationToken);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/app/dashboard");
        }

        throttle.RecordFailure(key);
        await audit.RecordAsync(AuditActions.LoginFail, AuditOutcomes.Failure, user?.Id, ipAddress: ip, userAgent: agent, cancellationToken: cancellationToken);
        // "Not confirmed" is only said to someone who knows the password, so it reveals nothing.
        var unconfirmed = result.IsNotAllowed && await signIn.UserManager.CheckPasswordAsync(user!, Password);
        Error = result.IsLockedOut ? localizer["login.locked_out"]
            : unconfirmed ? localizer["login.not_confirmed"]
            : localizer["login.failed"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
