using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// Security tab: change password (with the current one) and change e-mail (a link to the new
/// address). Both need recent authentication (<see cref="RecentAuthentication"/>).
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class SecurityModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    ChangePassword changePassword,
    RequestEmailChange requestEmailChange,
    TimeProvider time,
    IStringLocalizer localizer) : PageModel
{
    public const string Path = "/app/settings/security";

    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public string Email { get; private set; } = "";
    public bool RecentlyAuthenticated { get; private set; }
    public IReadOnlyList<string> PasswordErrors { get; private set; } = [];
    public IReadOnlyList<string> EmailErrors { get; private set; } = [];
    public string NewEmail { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Load(user);
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        if (!RecentAuthentication.IsRecent(User, time))
        {
            return RecentAuthentication.Challenge(HttpContext, Path);
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var result = await changePassword.ExecuteAsync(
            new ChangePassword.Request(user.Id, currentPassword ?? "", newPassword ?? "", HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        if (!result.Succeeded)
        {
            Load(user);
            PasswordErrors = [.. result.Errors.Select(e => localizer[e.Code, [.. e.Arguments]].Value)];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The new security stamp ends other sessions; this one gets a fresh cookie and keeps its auth time.
        await signIn.RefreshSignInAsync(await users.FindByIdAsync(user.Id.ToString()) ?? user);
        return LocalRedirect($"{Path}?done=password");
    }

    public async Task<IActionResult> OnPostEmailAsync(string? newEmail, CancellationToken cancellationToken)
    {
        if (!RecentAuthentication.IsRecent(User, time))
        {
            return RecentAuthentication.Challenge(HttpContext, Path);
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var result = await requestEmailChange.ExecuteAsync(new RequestEmailChange.Request(user.Id, newEmail ?? ""), cancellationToken);
        if (!result.Succeeded)
        {
            Load(user);
            NewEmail = newEmail ?? "";
            EmailErrors = [.. result.Errors.Select(e => localizer[e.Code, [.. e.Arguments]].Value)];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return LocalRedirect($"{Path}?done=email");
    }

    private void Load(AppUser user)
    {
        Email = user.Email ?? "";
        RecentlyAuthenticated = RecentAuthentication.IsRecent(User, time);
    }
}
