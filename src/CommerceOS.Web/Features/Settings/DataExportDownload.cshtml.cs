using CommerceOS.Core.Privacy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// The e-mailed link of a personal data export: for the signed-in owner only (an anonymous visitor is sent to sign in and
/// back), once, until it expires; otherwise a 410 page that says so (the same for another user's link as for a used one).
/// </summary>
[Authorize]
public sealed class DataExportDownloadModel(DataExportDownloads downloads) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(User) is not { } userId)
        {
            return Challenge();
        }

        var download = await downloads.ByTokenAsync(userId, token, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString(), cancellationToken);
        if (download is null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }

        return File(download.Content, "application/zip", download.FileName);
    }
}
