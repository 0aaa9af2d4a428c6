using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Admin;

/// <summary>
/// The security and privacy audit trail of every account, for administrators, filtered by a user's e-mail and an action.
/// Looking at someone's trail is itself audited (<see cref="ReadAction"/>).
/// </summary>
[Authorize(Policy = AccountsWebExtensions.AdminPolicy)]
public sealed class AdminAuditModel(AppDbContext db, AuditLog audit, ILookupNormalizer normalizer) : PageModel
{
    public const string Path = "/admin/audit";
    public const string ReadAction = "admin_audit_read";

    [BindProperty(SupportsGet = true)] public string? Email { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")] public string? ActionFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; }

    public bool UnknownUser { get; private set; }

    public AuditTrailView Trail { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Guid? userId = null;
        if (!string.IsNullOrWhiteSpace(Email))
        {
            var normalized = normalizer.NormalizeEmail(Email.Trim());
            userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
            UnknownUser = userId is null;
        }

        var page = Math.Max(0, PageNumber);
        var events = UnknownUser
            ? []
            : await audit.ListAsync(userId, ActionFilter?.Trim(), page * AuditTrailView.PageSize, AuditTrailView.PageSize + 1, cancellationToken);
        var shown = events.Take(AuditTrailView.PageSize).ToList();
        var ids = shown.Where(e => e.UserId is not null).Select(e => e.UserId!.Value).Distinct().ToList();
        var emails = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? "", cancellationToken);
        Trail = new AuditTrailView(shown, page, events.Count > AuditTrailView.PageSize, PageUrl, emails);

        if (userId is { } viewed)
        {
            await audit.RecordAsync(ReadAction, AuditOutcomes.Success,
                AuthClaims.UserId(User),
                target: viewed.ToString(), ipAddress: HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken: cancellationToken);
        }
    }

    private string PageUrl(int page) =>
        QueryHelpers.AddQueryString(Path, new Dictionary<string, string?> { ["email"] = Email, ["action"] = ActionFilter, ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Where(p => !string.IsNullOrEmpty(p.Value)));
}
