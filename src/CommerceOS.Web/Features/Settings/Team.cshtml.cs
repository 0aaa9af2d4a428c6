using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// Team tab: members with roles, change role, remove or leave, invite by e-mail with a role, and
/// pending invitations with revoke. Every rule (who may do what) lives in the Core use cases.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class TeamModel(
    ListMembers listMembers,
    InviteMember inviteMember,
    ChangeMemberRole changeMemberRole,
    RemoveMember removeMember,
    RevokeInvitation revokeInvitation,
    WorkspaceContext workspace,
    IStringLocalizer localizer) : PageModel
{
    public const string Path = "/app/settings/team";

    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public ListMembers.Response Team { get; private set; } = new([], [], WorkspaceRole.Viewer);
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public string InviteEmail { get; private set; } = "";
    public bool CanManage => workspace.Can(WorkspaceRole.Admin);
    public WorkspaceRole CurrentRole => workspace.Role;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await PageAsync(Result.Ok(), cancellationToken);

    public async Task<IActionResult> OnPostInviteAsync(string? email, WorkspaceRole role, CancellationToken cancellationToken)
    {
        var result = await inviteMember.HandleAsync(new InviteMember.Request(email ?? "", role), cancellationToken);
        InviteEmail = result.IsSuccess ? "" : email ?? "";
        return result.IsSuccess ? LocalRedirect($"{Path}?done=invited") : await PageAsync(result.WithoutValue(), cancellationToken);
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid userId, WorkspaceRole role, CancellationToken cancellationToken)
    {
        var result = await changeMemberRole.HandleAsync(new ChangeMemberRole.Request(userId, role), cancellationToken);
        return result.IsSuccess ? LocalRedirect($"{Path}?done=role") : await PageAsync(result, cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var leaving = userId == workspace.UserId;
        var result = await removeMember.HandleAsync(new RemoveMember.Request(userId), cancellationToken);
        if (result.IsSuccess && leaving)
        {
            Response.Cookies.Delete(WorkspaceResolutionMiddleware.WorkspaceCookie);
            return LocalRedirect("/app/settings");
        }

        return result.IsSuccess ? LocalRedirect($"{Path}?done=removed") : await PageAsync(result, cancellationToken);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid invitationId, CancellationToken cancellationToken)
    {
        var result = await revokeInvitation.HandleAsync(new RevokeInvitation.Request(invitationId), cancellationToken);
        return result.IsSuccess ? LocalRedirect($"{Path}?done=revoked") : await PageAsync(result, cancellationToken);
    }

    private async Task<IActionResult> PageAsync(Result outcome, CancellationToken cancellationToken)
    {
        if (!outcome.IsSuccess)
        {
            Errors = [.. outcome.Errors.Select(e => localizer[e.Code, [.. e.Args]].Value)];
            Response.StatusCode = outcome.Status switch
            {
                ResultStatus.Forbidden => StatusCodes.Status403Forbidden,
                ResultStatus.NotFound => StatusCodes.Status404NotFound,
                ResultStatus.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
        }

        var team = await listMembers.HandleAsync(cancellationToken);
        if (team.IsSuccess)
        {
            Team = team.Value;
        }

        return Page();
    }
}
