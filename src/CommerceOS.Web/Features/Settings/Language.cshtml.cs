using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>Language and region tab: interface language (saved, applied at once) and the workspace's data region.</summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class LanguageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, UpdateProfile updateProfile, AppDbContext db, WorkspaceContext workspace, IStringLocalizer localizer) : PageModel
{
    [BindProperty] public string PreferredLanguage { get; set; } = SupportedLanguages.English;
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public string DataRegion { get; private set; } = DataRegions.Us;
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        PreferredLanguage = user.PreferredLanguage;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var result = await updateProfile.ExecuteAsync(new UpdateProfile.Request(user.Id, user.DisplayName, PreferredLanguage, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()), cancellationToken);
        if (!result.Succeeded)
        {
            Error = localizer[result.Errors[0].Code].Value;
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await signIn.RefreshSignInAsync(user);
        return LocalRedirect("/app/settings/language?done=1");
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        DataRegion = await db.Workspaces.Where(w => w.Id == workspace.RequiredWorkspaceId).Select(w => w.DataRegion).SingleAsync(cancellationToken);
}
