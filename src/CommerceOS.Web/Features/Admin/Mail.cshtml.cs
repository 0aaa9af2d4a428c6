using CommerceOS.Core.Accounts;
using CommerceOS.Core.Email;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Admin;

/// <summary>The pickup folder of the embedded e-mail sender, for operators. Reading a message is audited.</summary>
[Authorize(Policy = AccountsWebExtensions.AdminPolicy)]
public sealed class AdminMailModel(EmailPickupReader reader, AuditLog audit) : PageModel
{
    public IReadOnlyList<PickupMessageSummary> Messages { get; private set; } = [];

    public PickupMessage? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            Messages = await reader.ListAsync(0, 200, cancellationToken);
            return Page();
        }

        Message = await reader.ReadAsync(id, cancellationToken);
        if (Message is null)
        {
            return NotFound();
        }

        await audit.RecordAsync("admin_mail_read", AuditOutcomes.Success,
            AuthClaims.UserId(User),
            target: id, ipAddress: HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken: cancellationToken);
        return Page();
    }
}
