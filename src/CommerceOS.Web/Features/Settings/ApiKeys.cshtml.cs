using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// API keys of the signed-in user for the current workspace: create (needs recent authentication and API access on the
/// plan; the key is shown once, on the POST's own response, never stored or redisplayed), list and revoke.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ApiKeysModel(
    UserManager<AppUser> users,
    CreateApiKey createApiKey,
    ListApiKeys listApiKeys,
    RevokeApiKey revokeApiKey,
    WorkspaceContext workspace,
    AppDbContext db,
    TimeProvider time,
    IStringLocalizer localizer) : PageModel
{
    public const string Path = "/app/settings/api-keys";

    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public IReadOnlyList<ListApiKeys.Item> Keys { get; private set; } = [];
    public string? CreatedKey { get; private set; }
    public string? CreatedName { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The workspace's plan has API access (Enterprise, or granted): keys can be made and used.</summary>
    public bool HasApiAccess { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        await LoadAsync(user.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken cancellationToken)
    {
        if (!RecentAuthentication.IsRecent(User, time))
        {
            return RecentAuthentication.Challenge(HttpContext, Path);
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var result = await createApiKey.ExecuteAsync(
            new CreateApiKey.Request(user.Id, workspace.RequiredWorkspaceId, name ?? "", HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        await LoadAsync(user.Id, cancellationToken);
        if (!result.Succeeded)
        {
            var gated = result.Errors[0].Code == AccountErrors.ApiAccessRequired;
            // A plan gate is said by the upgrade notice, not as an error.
            Error = gated ? null : localizer[result.Errors[0].Code].Value;
            Response.StatusCode = gated ? StatusCodes.Status402PaymentRequired : StatusCodes.Status400BadRequest;
            return Page();
        }

        CreatedKey = result.PlaintextKey;
        CreatedName = name?.Trim();
        // Shown once: keep the page with the key out of every cache.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var result = await revokeApiKey.ExecuteAsync(
            new RevokeApiKey.Request(user.Id, keyId, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        if (!result.Succeeded)
        {
            await LoadAsync(user.Id, cancellationToken);
            Error = localizer[result.Errors[0].Code].Value;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        return LocalRedirect($"{Path}?done=revoked");
    }

    private async Task LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var workspaceId = workspace.RequiredWorkspaceId;
        HasApiAccess = await db.WorkspaceHasFeatureAsync(PlanFeatures.ApiAccess, time, cancellationToken);
        Keys = [.. (await listApiKeys.ExecuteAsync(new ListApiKeys.Request(userId), cancellationToken)).Where(k => k.WorkspaceId == workspaceId)];
    }
}
