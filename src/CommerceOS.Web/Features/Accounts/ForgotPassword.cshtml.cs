using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CommerceOS.Web.Features.Accounts;

[EnableRateLimiting(SecurityExtensions.AuthRateLimit)]
public sealed class ForgotPasswordModel(RequestPasswordReset requestReset) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        await requestReset.ExecuteAsync(new RequestPasswordReset.Request(Email), cancellationToken);
        Sent = true;
    }
}
