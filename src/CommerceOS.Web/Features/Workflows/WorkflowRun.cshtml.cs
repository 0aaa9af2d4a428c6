using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Copy;
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
/// <c>/app/workflows/runs/{id}</c>: a run's steps in order with live progress, each step's history and what it made
/// (images, videos, copy, keywords, compliance problems) for review; editors cancel, resume, re-run a step or approve a
/// gate. <c>?handler=progress</c> is the small JSON the page (or anything else) polls; <c>?handler=live</c> the part
/// htmx refreshes every 2 s while the run is not finished.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class WorkflowRunModel(
    AppDbContext db,
    WorkspaceContext workspace,
    GetWorkflowRun getRun,
    ControlWorkflowRun control,
    IStringLocalizer localizer) : PageModel
{
    public const string LiveId = "run-live";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>An asset a step made, as the review shows it.</summary>
    public sealed record MadeAsset(Guid Id, string ContentType, string? Skill, string? FileName)
    {
        public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);

        public bool IsVideo => ContentType.StartsWith("video/", StringComparison.Ordinal);
    }

    /// <summary>A listing copy version a copy step wrote.</summary>
    public sealed record MadeCopy(string Marketplace, string Language, int Number, ListingText Text);

    /// <summary>What the progress JSON answers.</summary>
    public sealed record Progress(Guid Id, string Status, bool Finished, int StepsDone, int StepCount, int Percent, IReadOnlyList<StepProgress> Steps);

    public sealed record StepProgress(string Key, string Status, int Percent, string? Error);

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public RunView Run { get; private set; } = null!;

    public IReadOnlyDictionary<Guid, MadeAsset> Assets { get; private set; } = new Dictionary<Guid, MadeAsset>();

    public IReadOnlyDictionary<Guid, IReadOnlyList<MadeCopy>> Copies { get; private set; } = new Dictionary<Guid, IReadOnlyList<MadeCopy>>();

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public List<string> Errors { get; } = [];

    public bool Live => Run.Status is WorkflowRunStatus.Running or WorkflowRunStatus.AwaitingApproval;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } failed ? failed : Page();

    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } failed ? failed : Partial("_RunLive", this);

    public async Task<IActionResult> OnGetProgressAsync(CancellationToken cancellationToken)
    {
        var result = await getRun.HandleAsync(Id, cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        var run = result.Value;
        return new JsonResult(new Progress(
            run.Id,
            WorkflowsUi.Camel(run.Status),
            run.Status is not (WorkflowRunStatus.Running or WorkflowRunStatus.AwaitingApproval),
            run.StepsDone,
            run.StepCount,
            WorkflowsUi.Percent(run.Progress),
            [.. run.Steps.Select(s => new StepProgress(s.Key, WorkflowsUi.Camel(s.Status), WorkflowsUi.Percent(s.Progress), s.Error))]));
    }

    public Task<IActionResult> OnPostCancelAsync(CancellationToken cancellationToken) =>
        ActAsync(() => control.CancelAsync(Id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(CancellationToken cancellationToken) =>
        ActAsync(() => control.ResumeAsync(Id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRerunAsync(string? step, CancellationToken cancellationToken) =>
        ActAsync(() => control.RerunStepAsync(Id, step, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostApproveAsync(string? step, CancellationToken cancellationToken) =>
        ActAsync(() => control.ApproveAsync(Id, step, cancellationToken), cancellationToken);

    public bool CanRerun(StepView step) =>
        step.Status is WorkflowStepStatus.Succeeded or WorkflowStepStatus.Failed or WorkflowStepStatus.Skipped or WorkflowStepStatus.Cancelled
        && step.Error != WorkflowErrors.NotApplicable
        && step.Skill != "approval-gate"
        && Run.Status != WorkflowRunStatus.Cancelled;

    /// <summary>The rule's name as the Image Studio and Listing copy pages name it, with what was measured.</summary>
    public string ProblemText(ComplianceProblem problem)
    {
        var rule = problem.Source == "image" ? localizer[$"compliance.rule.{problem.Rule}"].Value : localizer[$"copy.rule.{problem.Rule}"].Value;
        // Arguments may be resource keys themselves (a unit such as copy.unit.characters).
        var args = problem.Args.Select(a => localizer[a] is { ResourceNotFound: false } text ? text.Value : a);
        return problem.Args.Count == 0 ? rule : $"{rule} ({string.Join(", ", args)})";
    }

    public T? Read<T>(JsonElement? output)
        where T : class
    {
        if (output is not { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        try
        {
            return json.Deserialize<T>(JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<IActionResult> ActAsync(Func<Task<Result<WorkflowRun>>> action, CancellationToken cancellationToken)
    {
        var result = await action();
        switch (result.Status)
        {
            case ResultStatus.Success:
                return Redirect($"/app/workflows/runs/{Id}");
            case ResultStatus.NotFound:
                return NotFound();
        }

        if (await LoadAsync(cancellationToken) is { } failed)
        {
            return failed;
        }

        Errors.AddRange(result.Status == ResultStatus.Forbidden
            ? [localizer[CommonErrors.Forbidden]]
            : result.Errors.Select(e => WorkflowsUi.Field(localizer, e)));
        Response.StatusCode = result.Status switch
        {
            ResultStatus.Forbidden => StatusCodes.Status403Forbidden,
            ResultStatus.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await getRun.HandleAsync(Id, cancellationToken);
        if (result.Status == ResultStatus.Forbidden)
        {
            return Forbid();
        }

        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Run = result.Value;
        var assetIds = Run.Steps.SelectMany(s => s.AssetIds).Distinct().ToList();
        Assets = (await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id))
            .Select(a => new MadeAsset(a.Id, a.ContentType, a.Skill, a.OriginalFileName))
            .ToListAsync(cancellationToken)).ToDictionary(a => a.Id);
        var copyJobs = Run.Steps.Where(s => s.JobId is not null && SkillCatalog.Default.Find(s.Skill)?.Operation is SkillOperations.Copy or SkillOperations.Translate)
            .ToDictionary(s => s.JobId!.Value, s => s.Id);
        var jobIds = copyJobs.Keys.ToList();
        var versions = await db.ListingCopyVersions.AsNoTracking()
            .Where(v => v.JobId != null && jobIds.Contains(v.JobId.Value))
            .Join(db.ListingCopies.AsNoTracking(), v => v.ListingCopyId, c => c.Id, (v, c) => new { v.JobId, c.Marketplace, c.Language, v.Number, Version = v })
            .ToListAsync(cancellationToken);
        Copies = versions.GroupBy(v => copyJobs[v.JobId!.Value])
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<MadeCopy>)[.. g.OrderBy(v => v.Language, StringComparer.Ordinal).ThenBy(v => v.Number).Select(v => new MadeCopy(v.Marketplace, v.Language, v.Number, CopyJson.Text(v.Version)))]);
        return null;
    }
}
