using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// <c>/app/workflows</c>: the built-in templates and the workspace's own (copy, edit, delete, run) and the recent batches
/// and runs. Viewers see the lists only.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class WorkflowsModel(
    AppDbContext db,
    WorkspaceContext workspace,
    WorkflowTemplateStore templates,
    SaveWorkflowTemplate save,
    DeleteWorkflowTemplate delete,
    ListWorkflowRuns listRuns,
    IStringLocalizer localizer) : PageModel
{
    public const int RecentBatches = 10;

    public const int RecentRuns = 20;

    public sealed record BatchRow(Guid Id, string TemplateName, int Runs, DateTime CreatedAt);

    public IReadOnlyList<WorkflowTemplateView> BuiltIn { get; private set; } = [];

    public IReadOnlyList<WorkflowTemplateView> Own { get; private set; } = [];

    public IReadOnlyList<BatchRow> Batches { get; private set; } = [];

    public IReadOnlyList<RunSummary> Runs { get; private set; } = [];

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public List<string> Errors { get; } = [];

    [BindProperty(SupportsGet = true)]
    public bool Deleted { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Copies a built-in (or own) template into the workspace under a free name, then opens it in the editor.</summary>
    public async Task<IActionResult> OnPostCopyAsync(string? template, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return await RefuseAsync(StatusCodes.Status403Forbidden, [new FieldError("", CommonErrors.Forbidden)], cancellationToken);
        }

        var source = await templates.FindAsync(template, WorkflowsUi.Culture, cancellationToken);
        if (source is null)
        {
            return NotFound();
        }

        var taken = await db.WorkflowTemplates.AsNoTracking().Select(t => t.Name).ToListAsync(cancellationToken);
        var name = FreeName(localizer["workflows_ui.templates.copy_name", source.Name], taken);
        var basedOn = source.BuiltIn ? source.Id : source.BasedOn;
        var result = await save.HandleAsync(new SaveWorkflowTemplate.Request(null, name, source.Description, basedOn, source.Definition), cancellationToken);
        return result.Status switch
        {
            ResultStatus.Success => Redirect($"/app/workflows/templates/{result.Value.Id}?copied=true"),
            ResultStatus.Forbidden => await RefuseAsync(StatusCodes.Status403Forbidden, [new FieldError("", CommonErrors.Forbidden)], cancellationToken),
            _ => await RefuseAsync(StatusCodes.Status409Conflict, result.Errors, cancellationToken),
        };
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await delete.HandleAsync(id, cancellationToken);
        return result.Status switch
        {
            ResultStatus.Success => Redirect("/app/workflows?deleted=true"),
            ResultStatus.Forbidden => await RefuseAsync(StatusCodes.Status403Forbidden, [new FieldError("", CommonErrors.Forbidden)], cancellationToken),
            _ => NotFound(),
        };
    }

    public string Steps(WorkflowTemplateView template) => string.Join(" → ", template.Definition.Steps.Select(s => WorkflowsUi.SkillName(s.Skill)));

    /// <summary>The name, or the name with " 2", " 3"... when the workspace already has it (names are unique per workspace).</summary>
    internal static string FreeName(string name, IReadOnlyCollection<string> taken)
    {
        var trimmed = name.Length > WorkflowLimits.MaxNameLength - 4 ? name[..(WorkflowLimits.MaxNameLength - 4)] : name;
        if (!taken.Contains(trimmed, StringComparer.Ordinal))
        {
            return trimmed;
        }

        var n = 2;
        while (taken.Contains($"{trimmed} {n}", StringComparer.Ordinal))
        {
            n++;
        }

        return $"{trimmed} {n}";
    }

    private async Task<IActionResult> RefuseAsync(int status, IReadOnlyList<FieldError> errors, CancellationToken cancellationToken)
    {
        Errors.AddRange(errors.Select(e => WorkflowsUi.Field(localizer, e)));
        Response.StatusCode = status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = await templates.ListAsync(WorkflowsUi.Culture, cancellationToken);
        BuiltIn = [.. all.Where(t => t.BuiltIn)];
        Own = [.. all.Where(t => !t.BuiltIn)];
        Batches = await db.WorkflowBatches.AsNoTracking()
            .OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .Take(RecentBatches)
            .Select(b => new BatchRow(b.Id, b.TemplateName, b.RunCount, b.CreatedAt))
            .ToListAsync(cancellationToken);
        var runs = await listRuns.HandleAsync(new ListWorkflowRuns.Request(PageSize: RecentRuns), cancellationToken);
        Runs = runs.IsSuccess ? runs.Value.Items : [];
    }
}
