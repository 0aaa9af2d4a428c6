using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// <c>/app/workflows/start?template=…</c>: run a template over chosen products, every product, or the products of a CSV
/// (imported first with <see cref="ImportProductsCsv"/>), for the template's marketplaces or others; then the batch page
/// (the run page for one product). A plan without workflows or a quota too small is explained before anything starts.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class WorkflowStartModel(
    AppDbContext db,
    WorkspaceContext workspace,
    WorkflowTemplateStore templates,
    StartWorkflowRuns start,
    ImportProductsCsv import,
    IMarketplaceCatalog marketplaces,
    IStringLocalizer localizer) : PageModel
{
    /// <summary>Products offered as checkboxes (newest first); larger catalogues run as "all products" or a CSV.</summary>
    public const int MaxListed = 500;

    /// <summary>Rows of a CSV import's report shown when some failed.</summary>
    public const int MaxImportErrors = 20;

    public sealed record ProductOption(Guid Id, string Sku, string Title);

    [BindProperty(SupportsGet = true)]
    public string? Template { get; set; }

    /// <summary><c>selected</c>, <c>all</c> or <c>csv</c>.</summary>
    [BindProperty]
    public string Mode { get; set; } = "selected";

    [BindProperty]
    public List<Guid> ProductIds { get; set; } = [];

    [BindProperty]
    public List<string> Marketplaces { get; set; } = [];

    [BindProperty]
    public IFormFile? Csv { get; set; }

    public WorkflowTemplateView? TemplateView { get; private set; }

    public IReadOnlyList<ProductOption> Products { get; private set; } = [];

    public int ProductCount { get; private set; }

    public IReadOnlyList<MarketplaceProfile> AllMarketplaces => marketplaces.All;

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public List<string> Errors { get; } = [];

    /// <summary>The plan does not include workflows: the page links to the plans.</summary>
    public bool NeedsUpgrade { get; private set; }

    /// <summary>Products a CSV import created or updated before the start was refused (they stay imported).</summary>
    public int? Imported { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Marketplaces = [.. TemplateView!.Definition.Marketplaces];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return Refuse(StatusCodes.Status403Forbidden, [new FieldError("", CommonErrors.Forbidden)]);
        }

        IReadOnlyList<Guid> productIds = ProductIds;
        if (Mode == "csv")
        {
            var imported = await ImportAsync(cancellationToken);
            if (imported is null)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            productIds = imported;
        }

        var result = await start.HandleAsync(
            new StartWorkflowRuns.Request(TemplateView!.Id, productIds, Mode == "all", Marketplaces.Count > 0 ? Marketplaces : null, WorkflowsUi.Culture),
            cancellationToken);
        if (result.IsSuccess)
        {
            var started = result.Value;
            return Redirect(started.Runs.Count == 1 ? $"/app/workflows/runs/{started.Runs[0].Id}" : $"/app/workflows/batches/{started.Batch.Id}");
        }

        NeedsUpgrade = result.Errors.Any(e => e.Code == WorkflowErrors.FeatureRequired);
        var status = result.Status switch
        {
            ResultStatus.Forbidden => StatusCodes.Status403Forbidden,
            ResultStatus.Conflict when result.Errors.Any(e => e.Code is WorkflowErrors.FeatureRequired or WorkflowErrors.QuotaInsufficient) => StatusCodes.Status402PaymentRequired,
            ResultStatus.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return Refuse(status, result.Status == ResultStatus.Forbidden ? [new FieldError("", CommonErrors.Forbidden)] : result.Errors);
    }

    public string Quota(FieldError error) =>
        error.Code == WorkflowErrors.QuotaInsufficient && error.Args.Count == 3
            ? localizer[error.Code, localizer[$"workflows_ui.meter.{error.Args[0]}"], error.Args[1], error.Args[2]]
            : localizer[error.Code, [.. error.Args]];

    /// <summary>Imports the CSV (new SKUs created, known ones updated) and returns the products it wrote; null with the reasons when none.</summary>
    private async Task<IReadOnlyList<Guid>?> ImportAsync(CancellationToken cancellationToken)
    {
        if (Csv is null || Csv.Length == 0)
        {
            Errors.Add(localizer[CatalogErrors.CsvEmpty]);
            return null;
        }

        Result<ImportProductsCsv.Response> result;
        await using (var stream = Csv.OpenReadStream())
        {
            result = await import.HandleAsync(new ImportProductsCsv.Request(stream, CsvImportMode.Upsert), cancellationToken);
        }

        if (!result.IsSuccess)
        {
            Errors.AddRange(result.Errors.Select(e => WorkflowsUi.Field(localizer, e)));
            return null;
        }

        var rows = result.Value.Report;
        var skus = rows.Where(r => r.Outcome is CsvRowOutcome.Created or CsvRowOutcome.Updated).Select(r => r.Sku).Distinct(StringComparer.Ordinal).ToList();
        foreach (var row in rows.Where(r => r.Outcome == CsvRowOutcome.Error).Take(MaxImportErrors))
        {
            Errors.Add(localizer["workflows_ui.start.csv_row", row.Row, row.Sku, string.Join("; ", row.Errors.Select(e => WorkflowsUi.Field(localizer, e)))]);
        }

        if (skus.Count == 0)
        {
            Errors.Add(localizer["workflows_ui.start.csv_nothing"]);
            return null;
        }

        var ids = new List<Guid>(skus.Count);
        foreach (var chunk in skus.Chunk(500))
        {
            ids.AddRange(await db.Products.AsNoTracking().Where(p => chunk.Contains(p.Sku)).Select(p => p.Id).ToListAsync(cancellationToken));
        }

        Imported = ids.Count;
        return ids;
    }

    private PageResult Refuse(int status, IReadOnlyList<FieldError> errors)
    {
        Errors.AddRange(errors.Select(Quota));
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        TemplateView = await templates.FindAsync(Template, WorkflowsUi.Culture, cancellationToken);
        if (TemplateView is null)
        {
            return false;
        }

        ProductCount = await db.Products.CountAsync(cancellationToken);
        Products = await db.Products.AsNoTracking()
            .OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Id)
            .Take(MaxListed)
            .Select(p => new ProductOption(p.Id, p.Sku, p.Title))
            .ToListAsync(cancellationToken);
        return true;
    }
}
