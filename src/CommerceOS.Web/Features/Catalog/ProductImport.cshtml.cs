using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Catalog;

/// <summary><c>/app/products/import</c>: a CSV upload through <see cref="ImportProductsCsv"/> and its row-by-row report. Editors and above.</summary>
[Authorize(Policy = AccountsWebExtensions.MemberPolicy)]
public sealed class ProductImportModel(WorkspaceContext workspace, IStringLocalizer localizer) : PageModel
{
    /// <summary>Above this many rows the report lists only rows with errors.</summary>
    public const int MaxReportRows = 500;

    [BindProperty]
    public IFormFile? Csv { get; set; }

    /// <summary><c>create</c> (an existing SKU is an error) or <c>upsert</c> (an existing SKU is updated).</summary>
    [BindProperty]
    public string Mode { get; set; } = "create";

    public ImportProductsCsv.Response? Report { get; private set; }

    /// <summary>Why the whole file was refused (header problems, not CSV, empty).</summary>
    public IReadOnlyList<string> FileErrors { get; private set; } = [];

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public IReadOnlyList<ImportProductsCsv.RowReport> ShownRows => Report is null ? []
        : Report.Report.Count <= MaxReportRows ? Report.Report
        : Report.Report.Where(r => r.Outcome == CsvRowOutcome.Error).Take(MaxReportRows).ToList();

    public string Message(FieldError error) => localizer[error.Code, [.. error.Args]];

    public IActionResult OnGet()
    {
        if (!CanEdit)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            FileErrors = [localizer[CommonErrors.Forbidden]];
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] ImportProductsCsv import, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            FileErrors = [localizer[CommonErrors.Forbidden]];
            return Page();
        }

        if (Csv is null || Csv.Length == 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            FileErrors = [localizer[CatalogErrors.CsvEmpty]];
            return Page();
        }

        var mode = Mode == "upsert" ? CsvImportMode.Upsert : CsvImportMode.CreateOnly;
        Result<ImportProductsCsv.Response> result;
        await using (var stream = Csv.OpenReadStream())
        {
            result = await import.HandleAsync(new ImportProductsCsv.Request(stream, mode), cancellationToken);
        }

        if (!result.IsSuccess)
        {
            Response.StatusCode = result.Status == ResultStatus.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            FileErrors = result.Errors.Select(Message).ToList();
            return Page();
        }

        Report = result.Value;
        return Page();
    }
}
