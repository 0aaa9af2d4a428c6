using CommerceOS.Core.Accounts;
using CommerceOS.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// Security activity (privacy policy sections 5 and 6): the signed-in user's own audit trail (sign-ins and failures,
/// password, e-mail, API keys, consents, team and marketplace changes, privacy requests), newest first. Nobody else's.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ActivityModel(AuditLog audit) : PageModel
{
    public const string Path = "/app/settings/activity";

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; }

    public AuditTrailView Trail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(User) is not { } userId)
        {
            return Challenge();
        }

        var page = Math.Max(0, PageNumber);
        var events = await audit.ListAsync(userId, null, page * AuditTrailView.PageSize, AuditTrailView.PageSize + 1, cancellationToken);
        Trail = new AuditTrailView(events.Take(AuditTrailView.PageSize).ToList(), page, events.Count > AuditTrailView.PageSize, p => $"{Path}?p={p}");
        return Page();
    }
}
