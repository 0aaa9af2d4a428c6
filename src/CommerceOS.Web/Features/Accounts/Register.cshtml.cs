using CommerceOS.Core.Accounts;
using CommerceOS.Core.Privacy;
using CommerceOS.Web.Shared.Localization;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Accounts;

[EnableRateLimiting(SecurityExtensions.AuthRateLimit)]
public sealed class RegisterModel(RegisterUser registerUser, LegalVersions legalVersions, IStringLocalizer localizer) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string DisplayName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string PreferredLanguage { get; set; } = "en";
    [BindProperty] public string DataRegion { get; set; } = "us";
    [BindProperty] public string DateOfBirth { get; set; } = "";
    [BindProperty] public bool AcceptedLegal { get; set; }

    public List<string> Errors { get; } = [];

    public void OnGet() => PreferredLanguage = LocalizationExtensions.Normalize(System.Globalization.CultureInfo.CurrentUICulture.Name);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Accepting the documents shown on this page means accepting their current versions;
        // an unticked box sends no version, which RegisterUser refuses with nothing stored.
        var legal = await legalVersions.GetAsync(cancellationToken);
        var version = AcceptedLegal ? legal.Current(LegalDocuments.Terms).Version : "";
        var privacyVersion = AcceptedLegal ? legal.Current(LegalDocuments.Privacy).Version : "";
        var result = await registerUser.ExecuteAsync(
            new RegisterUser.Request(Email, Password, DisplayName, PreferredLanguage, ConfirmedAdult: false, version, privacyVersion, DataRegion,
                HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString(), DateOfBirth ?? ""),
            cancellationToken);
        if (!result.Succeeded)
        {
            Errors.AddRange(result.Errors.Select(error => localizer[error.Code, [.. error.Arguments]].Value));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Registered and ExistingAccountNotified look the same, so the form never reveals who has an account.
        return RedirectToPage("/Accounts/CheckEmail", new { email = Email });
    }
}
