using System.Security.Claims;
using CommerceOS.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>The link in the e-mail-change message: GET shows a button, POST confirms (a link scanner changes nothing).</summary>
public sealed class ConfirmEmailChangeModel(ConfirmEmailChange confirmEmailChange, UserManager<AppUser> users, SignInManager<AppUser> signIn, IStringLocalizer localizer) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string Email { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    public bool Done { get; private set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await confirmEmailChange.ExecuteAsync(
            new ConfirmEmailChange.Request(UserId, Email, Token, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        if (!result.Succeeded)
        {
            Error = localizer[result.Errors[0].Code].Value;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Done = true;
        // The security stamp changed; keep this browser signed in if it is the same user's session.
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) == UserId.ToString() && await users.FindByIdAsync(UserId.ToString()) is { } user)
        {
            await signIn.RefreshSignInAsync(user);
        }

        return Page();
    }
}
