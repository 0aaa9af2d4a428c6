using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Privacy;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Admin;

/// <summary>
/// <c>/admin/legal</c>: publish a new version of the privacy policy or the terms (policy section 10) and see what was
/// published and how far its change notices are. Admins only: anyone else signed in gets 403, on GET and POST.
/// </summary>
[Authorize]
public sealed class AdminLegalModel(AppDbContext db, PublishLegalVersion publish, IStringLocalizer localizer) : PageModel
{
    public sealed record Row(string Document, string Version, bool MaterialChange, DateTime PublishedAt, int NoticesSent, bool NoticesComplete);

    [BindProperty] public string Document { get; set; } = LegalDocuments.Privacy;
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public string? TextEnglish { get; set; }
    [BindProperty] public string? TextChinese { get; set; }
    [BindProperty] public bool MaterialChange { get; set; }
    [BindProperty] public string? SummaryEnglish { get; set; }
    [BindProperty] public string? SummaryChinese { get; set; }

    public List<string> Errors { get; } = [];

    public string? Published { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? published, CancellationToken cancellationToken)
    {
        if (!User.HasClaim(AuthClaims.Admin, "true"))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Published = published;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.HasClaim(AuthClaims.Admin, "true") || AuthClaims.UserId(User) is not { } adminId)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var result = await publish.HandleAsync(
            new PublishLegalVersion.Request(Document, Version, TextEnglish, TextChinese, MaterialChange, SummaryEnglish, SummaryChinese),
            adminId, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/admin/legal?published={Uri.EscapeDataString(result.Value.Version)}");
        }

        if (result.Status == ResultStatus.Forbidden)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Errors.AddRange(result.Errors.Select(e => localizer[e.Code, [.. e.Args]].Value));
        Response.StatusCode = result.Status == ResultStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Rows = await db.LegalDocumentVersions.AsNoTracking()
            .OrderByDescending(v => v.PublishedAt).ThenByDescending(v => v.Id)
            .Select(v => new Row(v.Document, v.Version, v.MaterialChange, v.PublishedAt,
                db.LegalNotices.Count(n => n.VersionId == v.Id && n.SentAt != null), v.NoticesCompletedAt != null))
            .Take(100)
            .ToListAsync(cancellationToken);
}
