using CommerceOS.Core.Privacy;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Settings;

/// <summary>
/// "Your data" tab (privacy policy section 6): export my data after entering the password again, and the recent exports with
/// their status and a one-time download while ready. The e-mailed link (<see cref="DataExportDownloadModel"/>) is the other way in.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class DataModel(RequestDataExport request, DataExportDownloads downloads, WorkspaceContext workspace, IStringLocalizer localizer, TimeProvider time) : PageModel
{
    public const string Path = "/app/settings/data";

    [BindProperty] public string? Password { get; set; }

    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public IReadOnlyList<DataExportSummary> Exports { get; private set; } = [];

    public DateTime Now { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(User) is not { } userId)
        {
            return Challenge();
        }

        await LoadAsync(userId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(User) is not { } userId)
        {
            return Challenge();
        }

        var result = await request.HandleAsync(
            new RequestDataExport.Request(userId, workspace.RequiredWorkspaceId, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()),
            cancellationToken);
        if (result.Outcome == RequestDataExport.Outcome.PasswordRefused)
        {
            return await FailAsync(userId, StatusCodes.Status403Forbidden, "settings.data.password_refused", cancellationToken);
        }

        return LocalRedirect($"{Path}?done={(result.Outcome == RequestDataExport.Outcome.Scheduled ? "requested" : "pending")}");
    }

    public async Task<IActionResult> OnPostDownloadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(User) is not { } userId)
        {
            return Challenge();
        }

        var download = await downloads.ByIdAsync(userId, id, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString(), cancellationToken);
        return download is null
            ? await FailAsync(userId, StatusCodes.Status410Gone, DataExportErrors.LinkGone, cancellationToken)
            : File(download.Content, "application/zip", download.FileName);
    }

    private async Task<IActionResult> FailAsync(Guid userId, int status, string code, CancellationToken cancellationToken)
    {
        Error = localizer[code].Value;
        await LoadAsync(userId, cancellationToken);
        Response.StatusCode = status;
        return Page();
    }

    private async Task LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow().UtcDateTime;
        Exports = await downloads.ListAsync(userId, cancellationToken);
    }
}
