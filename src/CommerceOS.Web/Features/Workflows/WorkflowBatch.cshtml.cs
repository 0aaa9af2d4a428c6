using CommerceOS.Core.Common;
using CommerceOS.Core.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// <c>/app/workflows/batches/{id}</c>: a batch's live progress (runs by status, steps done, a bar), its summary report
/// (failures with reasons, compliance failures, units charged per meter) and its runs, paged. <c>?handler=progress</c> is
/// the small JSON it can be polled with; <c>?handler=live</c> the part htmx refreshes every 2 s until it has finished.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class WorkflowBatchModel(GetWorkflowBatch getBatch, ListWorkflowRuns listRuns) : PageModel
{
    public const int PageSize = 50;

    public const string LiveId = "batch-live";

    public sealed record Progress(Guid Id, bool Finished, int Runs, int Running, int AwaitingApproval, int Succeeded, int Failed, int Cancelled, int StepsDone, int Steps, int Percent);

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public BatchReport Report { get; private set; } = null!;

    public ListWorkflowRuns.Page Runs { get; private set; } = null!;

    public int Percent => Report.Steps == 0 ? 100 : WorkflowsUi.Percent((double)Report.StepsDone / Report.Steps);

    public int Pages => Math.Max(1, (Runs.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } failed ? failed : Page();

    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } failed ? failed : Partial("_BatchLive", this);

    public async Task<IActionResult> OnGetProgressAsync(CancellationToken cancellationToken)
    {
        var result = await getBatch.HandleAsync(Id, cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        var r = result.Value;
        return new JsonResult(new Progress(
            Id, r.Finished, r.Runs, r.Running, r.AwaitingApproval, r.Succeeded, r.Failed, r.Cancelled, r.StepsDone, r.Steps,
            r.Steps == 0 ? 100 : WorkflowsUi.Percent((double)r.StepsDone / r.Steps)));
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var report = await getBatch.HandleAsync(Id, cancellationToken);
        if (report.Status == ResultStatus.Forbidden)
        {
            return Forbid();
        }

        if (!report.IsSuccess)
        {
            return NotFound();
        }

        Report = report.Value;
        PageNumber = Math.Max(1, PageNumber);
        var runs = await listRuns.HandleAsync(new ListWorkflowRuns.Request(BatchId: Id, Page: PageNumber, PageSize: PageSize), cancellationToken);
        if (!runs.IsSuccess)
        {
            return NotFound();
        }

        Runs = runs.Value;
        return null;
    }
}
