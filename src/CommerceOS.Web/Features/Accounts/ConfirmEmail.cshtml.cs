using CommerceOS.Core.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Accounts;

/// <summary>GET shows a button, POST confirms: a link scanner that follows the GET changes nothing.</summary>
public sealed class ConfirmEmailModel(ConfirmEmail confirmEmail, IStringLocalizer localizer) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    public bool Done { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await confirmEmail.ExecuteAsync(
            new ConfirmEmail.Request(UserId, Token, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        Done = result.Succeeded;
        Error = result.Succeeded ? null : localizer[result.Errors[0].Code].Value;
    }
}
