using System.Security.Claims;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// The invitation link. Signed out: sign in (or sign up) first and come back. Signed in: a button;
/// the POST accepts and makes the invited workspace this browser's active one.
/// </summary>
public sealed class AcceptInvitationModel(AcceptInvitation acceptInvitation, IStringLocalizer localizer) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    public bool SignedIn => User.Identity?.IsAuthenticated == true && User.Identity.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName;
    public string ReturnUrl => $"{InvitationTokens.AcceptPath}?token={Uri.EscapeDataString(Token)}";
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!SignedIn || !Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return LocalRedirect($"/account/login?returnUrl={Uri.EscapeDataString(ReturnUrl)}");
        }

        var result = await acceptInvitation.HandleAsync(new AcceptInvitation.Request(userId, Token), cancellationToken);
        if (!result.IsSuccess)
        {
            var error = result.Errors[0];
            Error = localizer[error.Code, [.. error.Args]].Value;
            Response.StatusCode = result.Status == Core.Common.ResultStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            return Page();
        }

        SettingsWebExtensions.SelectWorkspace(Response, result.Value.WorkspaceId);
        return LocalRedirect("/app/dashboard");
    }
}
