using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Api;

/// <summary>A template as the API shows it: built-in (a slug ID, read-only) or the workspace's own (a GUID).</summary>
/// <param name="BasedOn">The built-in template a workspace template was copied from.</param>
/// <param name="Marketplaces">The marketplaces a run uses unless the start request chooses others.</param>
/// <param name="Steps">The steps in order: key, skill, dependsOn, params, optional, provider.</param>
public sealed record WorkflowTemplateResponse(
    string Id,
    bool BuiltIn,
    string Name,
    string? Description,
    string? BasedOn,
    IReadOnlyList<string> Marketplaces,
    IReadOnlyList<WorkflowStepDefinition> Steps,
    DateTime? UpdatedAt);

/// <summary>Body of <c>POST /api/v1/workflows/templates</c> and <c>PUT /api/v1/workflows/templates/{id}</c>: the whole template.</summary>
/// <param name="BasedOn">The built-in template this one copies (e.g. amazon-full), for the record.</param>
/// <param name="Marketplaces">Default marketplaces of its runs (see <c>GET /api/v1/marketplaces</c>).</param>
/// <param name="Steps">Up to 40 steps. A step waits for the steps in its dependsOn; params are checked against the skill's inputSchema.</param>
public sealed record WorkflowTemplateRequest(
    string? Name,
    string? Description,
    string? BasedOn,
    IReadOnlyList<string>? Marketplaces,
    IReadOnlyList<WorkflowStepDefinition>? Steps);

/// <summary>A skill of the catalogue, its texts in the request's language.</summary>
/// <param name="Scope">marketplace (one step per run marketplace) or product (one step per run).</param>
/// <param name="Meter">The quota a step of this skill uses, if any (images, videos, copy, translations).</param>
/// <param name="Providers">Providers a step may choose; empty when configuration decides.</param>
/// <param name="Marketplaces">The marketplaces the skill applies to; null for all.</param>
public sealed record WorkflowSkillResponse(
    string Id,
    string Category,
    string CategoryName,
    string Operation,
    string Scope,
    string Name,
    string Description,
    JsonObject Defaults,
    JsonObject InputSchema,
    JsonObject OutputSchema,
    int EstimatedSeconds,
    string? Meter,
    IReadOnlyList<string> Providers,
    IReadOnlyList<string>? Marketplaces);

/// <summary>Body of <c>POST /api/v1/workflows/runs</c>.</summary>
/// <param name="Template">A built-in template ID (amazon-full, tiktok-video, taobao-complete, shopee-multilang, shopify-store, quick-shoot, listing-kit) or a workspace template's GUID.</param>
/// <param name="ProductIds">The products, one run each (at most 10,000); ignored when allProducts is true.</param>
/// <param name="AllProducts">Run over every product of the workspace.</param>
/// <param name="Marketplaces">Overrides the template's marketplaces.</param>
public sealed record StartWorkflowRunsRequest(string? Template, IReadOnlyList<Guid>? ProductIds, bool? AllProducts, IReadOnlyList<string>? Marketplaces);

public sealed record StartedWorkflowRun(Guid Id, Guid ProductId, WorkflowRunStatus Status);

/// <param name="Units">Units per meter the batch will use when every step succeeds (reserved step by step as they launch).</param>
public sealed record StartWorkflowRunsResponse(
    Guid BatchId,
    string TemplateId,
    string TemplateName,
    IReadOnlyList<string> Marketplaces,
    IReadOnlyList<StartedWorkflowRun> Runs,
    IReadOnlyDictionary<string, long> Units);

/// <summary>A page of runs, newest first.</summary>
/// <param name="Total">Runs matching the filters, on every page.</param>
public sealed record WorkflowRunPage(IReadOnlyList<RunSummary> Items, int Total, int Page, int PageSize);

/// <summary>One launch of a step: its job's input, output, provider, charge, attempts and times.</summary>
/// <param name="ErrorCode">A stable code; internal failures show as <c>common.server_error</c>.</param>
public sealed record WorkflowStepExecutionResponse(
    Guid JobId,
    int Number,
    string? Provider,
    string? Meter,
    long Units,
    JobStatus Status,
    int Attempts,
    string? ErrorCode,
    string? ErrorMessage,
    JsonElement? Input,
    JsonElement? Output,
    DateTime LaunchedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    long? DurationMs);

/// <param name="Key">The step's key in the run: the template's step key, with <c>@marketplace</c> for per-marketplace skills.</param>
/// <param name="ErrorCode">Why the step failed, was skipped or cancelled (a stable code).</param>
/// <param name="ErrorMessage">The same in the request's language.</param>
/// <param name="Progress">0 to 1.</param>
public sealed record WorkflowStepResponse(
    Guid Id,
    string Key,
    string StepKey,
    string Skill,
    string? Marketplace,
    bool Optional,
    string? Provider,
    WorkflowStepStatus Status,
    string? ErrorCode,
    IReadOnlyList<string> ErrorArgs,
    string? ErrorMessage,
    double Progress,
    Guid? JobId,
    IReadOnlyList<string> DependsOn,
    JsonElement? Output,
    IReadOnlyList<Guid> AssetIds,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    IReadOnlyList<WorkflowStepExecutionResponse> History);

public sealed record WorkflowRunResponse(
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
    IReadOnlyList<WorkflowStepResponse> Steps);

public sealed record WorkflowRunFailureResponse(Guid RunId, Guid ProductId, string ProductTitle, string? StepKey, string? ErrorCode, IReadOnlyList<string> ErrorArgs, string? ErrorMessage);

/// <summary>The batch summary.</summary>
/// <param name="Finished">True when no run is running or waiting for an approval.</param>
/// <param name="UnitsCharged">Units per meter charged so far (committed reservations).</param>
/// <param name="Failures">Failed runs with the first required step that did not succeed and its reason (at most 500).</param>
/// <param name="ComplianceFailures">Compliance checks with blocking problems (at most 500).</param>
public sealed record WorkflowBatchResponse(
    Guid Id,
    string TemplateId,
    string TemplateName,
    IReadOnlyList<string> Marketplaces,
    DateTime CreatedAt,
    int Runs,
    int Running,
    int AwaitingApproval,
    int Succeeded,
    int Failed,
    int Cancelled,
    int Steps,
    int StepsDone,
    bool Finished,
    IReadOnlyDictionary<string, long> UnitsCharged,
    IReadOnlyList<WorkflowRunFailureResponse> Failures,
    IReadOnlyList<ComplianceFailure> ComplianceFailures);

/// <summary>Maps the workflow use cases' views to the API's shapes, with error codes a client may see and their texts.</summary>
public static class WorkflowsApiMapping
{
    /// <summary>
    /// The code and arguments a client may see: a failed job's reason is passed as <c>workflows.job_failed</c>'s argument and
    /// may be an exception text, which never leaves the server (it becomes <c>common.server_error</c>).
    /// </summary>
    public static (string? Code, IReadOnlyList<string> Args) Visible(string? code, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (code is null)
        {
            return (null, []);
        }

        if (code == WorkflowErrors.JobFailed)
        {
            return (code, [ErrorCodes.Of(args.Count > 0 && args[0].Length > 0 ? args[0] : ErrorCodes.ServerError) ?? ErrorCodes.ServerError]);
        }

        return (ErrorCodes.Of(code), args);
    }

    /// <summary>The text of a visible error; a job failure's inner code is translated too.</summary>
    public static string? Message(Func<string, object[], string> translate, string? code, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(translate);
        ArgumentNullException.ThrowIfNull(args);
        if (code is null)
        {
            return null;
        }

        if (code == WorkflowErrors.JobFailed && args.Count > 0)
        {
            return translate(code, [translate(args[0], [])]);
        }

        return translate(code, [.. args]);
    }

    public static WorkflowTemplateResponse ToResponse(WorkflowTemplateView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new(view.Id, view.BuiltIn, view.Name, view.Description, view.BasedOn, view.Definition.Marketplaces, view.Definition.Steps, view.UpdatedAt);
    }

    public static WorkflowSkillResponse ToResponse(SkillDefinition skill, string culture, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(skill);
        ArgumentNullException.ThrowIfNull(localizer);
        return new(
            skill.Id,
            skill.Category,
            localizer[$"workflows.category.{skill.Category}"].Value,
            skill.Operation,
            skill.Scope,
            skill.Name.For(culture),
            skill.Description.For(culture),
            skill.Defaults,
            skill.InputSchema,
            skill.OutputSchema,
            skill.EstimatedSeconds,
            skill.Meter,
            skill.ProviderChoices,
            skill.Marketplaces);
    }

    public static WorkflowRunResponse ToResponse(RunView run, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(localizer);
        string Translate(string code, object[] args) => localizer[code, args].Value;
        var steps = run.Steps.Select(step =>
        {
            var (code, args) = Visible(step.Error, step.ErrorArgs);
            var history = step.Executions.Select(e =>
            {
                var errorCode = ErrorCodes.Of(e.Error);
                return new WorkflowStepExecutionResponse(
                    e.JobId, e.Number, e.Provider, e.Meter, e.Units, e.Status, e.Attempts, errorCode, Message(Translate, errorCode, []),
                    e.Input, e.Output, e.LaunchedAt, e.StartedAt, e.FinishedAt, e.DurationMs);
            }).ToList();
            return new WorkflowStepResponse(
                step.Id, step.Key, step.StepKey, step.Skill, step.Marketplace, step.Optional, step.Provider, step.Status,
                code, args, Message(Translate, code, args), step.Progress, step.JobId, step.DependsOn, step.Output, step.AssetIds,
                step.StartedAt, step.FinishedAt, history);
        }).ToList();
        return new(
            run.Id, run.BatchId, run.ProductId, run.ProductTitle, run.ProductSku, run.TemplateId, run.TemplateName, run.Marketplaces,
            run.Status, run.StepCount, run.StepsDone, run.Progress, run.CreatedAt, run.FinishedAt, steps);
    }

    public static WorkflowBatchResponse ToResponse(BatchReport report, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(localizer);
        string Translate(string code, object[] args) => localizer[code, args].Value;
        var failures = report.Failures.Select(f =>
        {
            var (code, args) = Visible(f.Error, f.ErrorArgs);
            return new WorkflowRunFailureResponse(f.RunId, f.ProductId, f.ProductTitle, f.StepKey, code, args, Message(Translate, code, args));
        }).ToList();
        return new(
            report.Batch.Id, report.Batch.TemplateId, report.Batch.TemplateName, report.Marketplaces, report.Batch.CreatedAt,
            report.Runs, report.Running, report.AwaitingApproval, report.Succeeded, report.Failed, report.Cancelled,
            report.Steps, report.StepsDone, report.Finished, report.UnitsCharged, failures, report.ComplianceFailures);
    }
}
