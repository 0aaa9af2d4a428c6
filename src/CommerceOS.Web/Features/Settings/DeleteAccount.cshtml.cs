using CommerceOS.Core.Accounts;
using CommerceOS.Core.Privacy;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// Delete account tab (privacy policy 5 and 6): what happens, then the password and one button. Success signs the browser
/// out and shows that the account is closed; a wrong password or being the only Owner of a team changes nothing.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class DeleteAccountModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, DeleteAccount deleteAccount, IStringLocalizer localizer) : PageModel
{
    public const string Path = "/app/settings/delete-account";

    public string Email { get; private set; } = "";
    public string? Error { get; private set; }
    public DeleteAccount.Deleted? Deleted { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        var result = await deleteAccount.HandleAsync(
            new DeleteAccount.Request(user.Id, password, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        if (!result.IsSuccess)
        {
            var error = result.Errors[0];
            Error = localizer[error.Code, [.. error.Args]];
            Response.StatusCode = error.Code == ErasureErrors.PasswordIncorrect ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
            return Page();
        }

        await signIn.SignOutAsync();
        Response.Cookies.Delete(WorkspaceResolutionMiddleware.WorkspaceCookie);
        Deleted = result.Value;
        return Page();
    }
}
