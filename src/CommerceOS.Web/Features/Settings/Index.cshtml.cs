using CommerceOS.Core.Accounts;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>Account tab: display name and preferred language, and the workspace switcher.</summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class IndexModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    UpdateProfile updateProfile,
    ListMyWorkspaces listWorkspaces,
    SwitchWorkspace switchWorkspace,
    WorkspaceContext workspace,
    IStringLocalizer localizer) : PageModel
{
    [BindProperty] public string DisplayName { get; set; } = "";
    [BindProperty] public string PreferredLanguage { get; set; } = SupportedLanguages.English;
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public string Email { get; private set; } = "";
    public Guid CurrentWorkspaceId => workspace.RequiredWorkspaceId;
    public IReadOnlyList<ListMyWorkspaces.Item> Workspaces { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        DisplayName = user.DisplayName;
        PreferredLanguage = user.PreferredLanguage;
        await LoadAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await updateProfile.ExecuteAsync(new UpdateProfile.Request(user.Id, DisplayName, PreferredLanguage, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()), cancellationToken);
        if (!result.Succeeded)
        {
            Errors = [.. result.Errors.Select(e => localizer[e.Code, [.. e.Arguments]].Value)];
            await LoadAsync(user, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The language claim comes from the user row: refresh the session so it applies on the next page.
        await signIn.RefreshSignInAsync(user);
        return LocalRedirect("/app/settings?done=profile");
    }

    public async Task<IActionResult> OnPostSwitchAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await switchWorkspace.HandleAsync(new SwitchWorkspace.Request(user.Id, workspaceId), cancellationToken);
        if (!result.IsSuccess)
        {
            Errors = [.. result.Errors.Select(e => localizer[e.Code, [.. e.Args]].Value)];
            DisplayName = user.DisplayName;
            PreferredLanguage = user.PreferredLanguage;
            await LoadAsync(user, cancellationToken);
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        SettingsWebExtensions.SelectWorkspace(Response, workspaceId);
        return LocalRedirect("/app/dashboard");
    }

    private async Task LoadAsync(AppUser user, CancellationToken cancellationToken)
    {
        Email = user.Email ?? "";
        Workspaces = await listWorkspaces.HandleAsync(new ListMyWorkspaces.Request(user.Id), cancellationToken);
    }
}
