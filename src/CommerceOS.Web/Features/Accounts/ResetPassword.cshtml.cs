using CommerceOS.Core.Accounts;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Accounts;

[EnableRateLimiting(SecurityExtensions.AuthRateLimit)]
public sealed class ResetPasswordModel(ResetPassword resetPassword, IStringLocalizer localizer) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    [BindProperty] public string NewPassword { get; set; } = "";

    public bool Done { get; private set; }

    public List<string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await resetPassword.ExecuteAsync(
            new ResetPassword.Request(UserId, Token, NewPassword, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        Done = result.Succeeded;
        Errors.AddRange(result.Errors.Select(error => localizer[error.Code, [.. error.Arguments]].Value));
    }
}
