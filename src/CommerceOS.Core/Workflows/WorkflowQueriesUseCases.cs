using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

/// <summary>One launch of a step as the history shows it: the job's input, output, provider, charge, attempts and times.</summary>
public sealed record StepExecutionView(
    Guid JobId,
    int Number,
    string? Provider,
    string? Meter,
    long Units,
    JobStatus Status,
    int Attempts,
    string? Error,
    JsonElement? Input,
    JsonElement? Output,
    DateTime LaunchedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt)
{
    public long? DurationMs => StartedAt is { } start && FinishedAt is { } end ? (long)(end - start).TotalMilliseconds : null;
}

public sealed record StepView(
    Guid Id,
    string Key,
    string StepKey,
    string Skill,
    string? Marketplace,
    bool Optional,
    string? Provider,
    WorkflowStepStatus Status,
    string? Error,
    IReadOnlyList<string> ErrorArgs,
    double Progress,
    Guid? JobId,
    IReadOnlyList<string> DependsOn,
    JsonElement? Output,
    IReadOnlyList<Guid> AssetIds,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    IReadOnlyList<StepExecutionView> Executions);

public sealed record RunView(
    Guid Id,
    Guid? BatchId,
    Guid ProductId,
    string ProductTitle,
    string? ProductSku,
    string TemplateId,
    string TemplateName,
    IReadOnlyList<string> Marketplaces,
    WorkflowRunStatus Status,
    int StepCount,
    int StepsDone,
    double Progress,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    IReadOnlyList<StepView> Steps);

/// <summary>A run with its steps, live progress and history. Viewers and above.</summary>
public sealed class GetWorkflowRun(AppDbContext db, WorkspaceContext workspace)
{
    public async Task<Result<RunView>> HandleAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var run = await db.WorkflowRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return Result.NotFound();
        }

        var product = await db.Products.AsNoTracking().Where(p => p.Id == run.ProductId)
            .Select(p => new { p.Title, p.Sku }).FirstOrDefaultAsync(cancellationToken);
        var steps = await db.WorkflowSteps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        var executions = await db.WorkflowStepExecutions.AsNoTracking().Where(e => e.RunId == runId)
            .Join(db.Jobs.AsNoTracking(), e => e.JobId, j => j.Id, (e, j) => new { Execution = e, Job = j })
            .ToListAsync(cancellationToken);
        var jobIds = executions.Select(x => x.Job.Id).ToList();
        var assets = await db.Assets.AsNoTracking()
            .Where(a => a.JobId != null && jobIds.Contains(a.JobId.Value))
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id, JobId = a.JobId!.Value })
            .ToListAsync(cancellationToken);
        var assetsByJob = assets.GroupBy(a => a.JobId).ToDictionary(g => g.Key, g => g.Select(a => a.Id).ToList());

        var stepViews = steps.Select(step =>
        {
            var history = executions.Where(x => x.Execution.StepId == step.Id)
                .OrderBy(x => x.Execution.Number)
                .Select(x => new StepExecutionView(
                    x.Job.Id, x.Execution.Number, x.Execution.Provider, x.Execution.Meter, x.Execution.Units, x.Job.Status, x.Job.Attempts,
                    x.Job.LastError, JsonElements.Parse(x.Job.InputJson), JsonElements.Parse(x.Job.OutputJson), x.Execution.LaunchedAt, x.Job.StartedAt, x.Job.FinishedAt))
                .ToList();
            var current = executions.FirstOrDefault(x => x.Job.Id == step.JobId)?.Job;
            var progress = step.Status switch
            {
                WorkflowStepStatus.Succeeded or WorkflowStepStatus.Failed or WorkflowStepStatus.Skipped or WorkflowStepStatus.Cancelled => 1,
                WorkflowStepStatus.Active => current?.Progress ?? 0,
                _ => 0,
            };
            return new StepView(
                step.Id, step.Key, step.StepKey, step.Skill, step.Marketplace, step.Optional, step.Provider, step.Status, step.Error,
                WorkflowJson.Strings(step.ErrorArgsJson), progress, step.JobId, WorkflowJson.Strings(step.DependsOnJson), JsonElements.Parse(step.OutputJson),
                step.JobId is { } jobId && assetsByJob.TryGetValue(jobId, out var made) ? made : [],
                step.StartedAt, step.FinishedAt, history);
        }).ToList();
        return new RunView(
            run.Id, run.BatchId, run.ProductId, product?.Title ?? "", product?.Sku, run.TemplateId, run.TemplateName,
            WorkflowJson.Strings(run.MarketplacesJson), run.Status, run.StepCount, run.StepsDone,
            stepViews.Count == 0 ? 1 : stepViews.Average(s => s.Progress), run.CreatedAt, run.FinishedAt, stepViews);
    }
}

public sealed record RunSummary(
    Guid Id,
    Guid? BatchId,
    Guid ProductId,
    string ProductTitle,
    string TemplateId,
    string TemplateName,
    IReadOnlyList<string> Marketplaces,
    WorkflowRunStatus Status,
    int StepCount,
    int StepsDone,
    DateTime CreatedAt,
    DateTime? FinishedAt);

/// <summary>Runs of the workspace, newest first, optionally of one batch, product or status. Viewers and above.</summary>
public sealed class ListWorkflowRuns(AppDbContext db, WorkspaceContext workspace)
{
    public const int MaxPageSize = 200;

    public sealed record Request(Guid? BatchId = null, Guid? ProductId = null, WorkflowRunStatus? Status = null, int Page = 1, int PageSize = 50);

    public sealed record Page(IReadOnlyList<RunSummary> Items, int Total, int PageNumber, int PageSize);

    public async Task<Result<Page>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        if (request.Page < 1)
        {
            return Result.Invalid("page", CommonErrors.PageInvalid);
        }

        if (request.PageSize is < 1 or > MaxPageSize)
        {
            return Result.Invalid("pageSize", CommonErrors.PageSizeInvalid, MaxPageSize);
        }

        var query = db.WorkflowRuns.AsNoTracking();
        if (request.BatchId is { } batchId)
        {
            query = query.Where(r => r.BatchId == batchId);
        }

        if (request.ProductId is { } productId)
        {
            query = query.Where(r => r.ProductId == productId);
        }

        if (request.Status is { } status)
        {
            query = query.Where(r => r.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .GroupJoin(db.Products.AsNoTracking(), r => r.ProductId, p => p.Id, (r, p) => new { Run = r, Products = p })
            .SelectMany(x => x.Products.DefaultIfEmpty(), (x, p) => new { x.Run, Title = p == null ? "" : p.Title })
            .ToListAsync(cancellationToken);
        var items = rows
            .OrderByDescending(x => x.Run.CreatedAt).ThenByDescending(x => x.Run.Id)
            .Select(x => new RunSummary(
                x.Run.Id, x.Run.BatchId, x.Run.ProductId, x.Title, x.Run.TemplateId, x.Run.TemplateName, WorkflowJson.Strings(x.Run.MarketplacesJson),
                x.Run.Status, x.Run.StepCount, x.Run.StepsDone, x.Run.CreatedAt, x.Run.FinishedAt))
            .ToList();
        return new Page(items, total, request.Page, request.PageSize);
    }
}

/// <summary>A failed run in a batch report: the product and the first required step that did not succeed, with its reason.</summary>
public sealed record RunFailure(Guid RunId, Guid ProductId, string ProductTitle, string? StepKey, string? Error, IReadOnlyList<string> ErrorArgs);

/// <summary>A compliance check that found blocking problems.</summary>
public sealed record ComplianceFailure(Guid RunId, Guid ProductId, string ProductTitle, string? Marketplace, int Blocking, int Warnings);

public sealed record BatchReport(
    WorkflowBatch Batch,
    IReadOnlyList<string> Marketplaces,
    int Runs,
    int Running,
    int AwaitingApproval,
    int Succeeded,
    int Failed,
    int Cancelled,
    int Steps,
    int StepsDone,
    IReadOnlyDictionary<string, long> UnitsCharged,
    IReadOnlyList<RunFailure> Failures,
    IReadOnlyList<ComplianceFailure> ComplianceFailures)
{
    /// <summary>Every run ended (succeeded, failed or cancelled).</summary>
    public bool Finished => Running == 0 && AwaitingApproval == 0;

    /// <summary>Nothing moves until someone acts: every run ended or waits for an approval.</summary>
    public bool Settled => Running == 0;
}

/// <summary>The batch summary: runs by status, failures with reasons, compliance failures and the units charged. Viewers and above.</summary>
public sealed class GetWorkflowBatch(AppDbContext db, WorkspaceContext workspace)
{
    public const int MaxListed = 500;

    public async Task<Result<BatchReport>> HandleAsync(Guid batchId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var batch = await db.WorkflowBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return Result.NotFound();
        }

        var runs = await db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId)
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Steps = g.Sum(r => r.StepCount), Done = g.Sum(r => r.StepsDone) })
            .ToListAsync(cancellationToken);
        int Count(WorkflowRunStatus status) => runs.Where(r => r.Status == status).Sum(r => r.Count);

        var failedSteps = await db.WorkflowSteps.AsNoTracking()
            .Join(db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId && r.Status == WorkflowRunStatus.Failed), s => s.RunId, r => r.Id, (s, r) => new { Step = s, r.ProductId })
            .Where(x => !x.Step.Optional && (x.Step.Status == WorkflowStepStatus.Failed || x.Step.Status == WorkflowStepStatus.Cancelled))
            .OrderBy(x => x.Step.RunId).ThenBy(x => x.Step.Position)
            .Take(MaxListed * 2)
            .ToListAsync(cancellationToken);
        var titles = await TitlesAsync(failedSteps.Select(x => x.ProductId), cancellationToken);
        var failures = failedSteps.GroupBy(x => x.Step.RunId).Take(MaxListed)
            .Select(g => g.First())
            .Select(x => new RunFailure(x.Step.RunId, x.ProductId, titles.GetValueOrDefault(x.ProductId, ""), x.Step.Key, x.Step.Error, WorkflowJson.Strings(x.Step.ErrorArgsJson)))
            .ToList();

        var compliance = await db.WorkflowSteps.AsNoTracking()
            .Join(db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId), s => s.RunId, r => r.Id, (s, r) => new { Step = s, r.ProductId })
            .Where(x => x.Step.Skill == "compliance-check" && x.Step.Status == WorkflowStepStatus.Succeeded && x.Step.OutputJson != null)
            .Select(x => new { x.Step.RunId, x.ProductId, x.Step.Marketplace, x.Step.OutputJson })
            .ToListAsync(cancellationToken);
        var complianceFailures = new List<ComplianceFailure>();
        foreach (var item in compliance)
        {
            var report = JsonSerializer.Deserialize<ComplianceStepOutput>(item.OutputJson!, WorkflowJson.Options);
            if (report is { Passed: false } && complianceFailures.Count < MaxListed)
            {
                complianceFailures.Add(new ComplianceFailure(item.RunId, item.ProductId, "", item.Marketplace, report.Blocking, report.Warnings));
            }
        }

        var complianceTitles = await TitlesAsync(complianceFailures.Select(c => c.ProductId), cancellationToken);
        complianceFailures = [.. complianceFailures.Select(c => c with { ProductTitle = complianceTitles.GetValueOrDefault(c.ProductId, "") })];

        var charged = await db.WorkflowStepExecutions.AsNoTracking()
            .Join(db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId), e => e.RunId, r => r.Id, (e, r) => e)
            .Join(db.UsageReservations.AsNoTracking().Where(u => u.Status == Billing.ReservationStatus.Committed), e => e.JobId, u => u.JobId, (e, u) => new { u.Meter, u.Units })
            .GroupBy(x => x.Meter)
            .Select(g => new { Meter = g.Key, Units = g.Sum(x => x.Units) })
            .ToDictionaryAsync(x => x.Meter, x => x.Units, StringComparer.Ordinal, cancellationToken);

        return new BatchReport(
            batch,
            WorkflowJson.Strings(batch.MarketplacesJson),
            runs.Sum(r => r.Count),
            Count(WorkflowRunStatus.Running),
            Count(WorkflowRunStatus.AwaitingApproval),
            Count(WorkflowRunStatus.Succeeded),
            Count(WorkflowRunStatus.Failed),
            Count(WorkflowRunStatus.Cancelled),
            runs.Sum(r => r.Steps),
            runs.Sum(r => r.Done),
            charged,
            failures,
            complianceFailures);
    }

    private async Task<Dictionary<Guid, string>> TitlesAsync(IEnumerable<Guid> productIds, CancellationToken cancellationToken)
    {
        var ids = productIds.Distinct().ToList();
        var titles = new Dictionary<Guid, string>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var row in await db.Products.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Title }).ToListAsync(cancellationToken))
            {
                titles[row.Id] = row.Title;
            }
        }

        return titles;
    }
}

/// <summary>What the compliance step stores.</summary>
public sealed record ComplianceStepOutput(bool Passed, int Blocking, int Warnings, IReadOnlyList<ComplianceProblem> Problems);

/// <param name="Source">"image" or "copy".</param>
/// <param name="Subject">The asset ID of an image, or the copy field (with its index for list fields).</param>
public sealed record ComplianceProblem(string Source, string Subject, string Rule, string Severity, IReadOnlyList<string> Args);
