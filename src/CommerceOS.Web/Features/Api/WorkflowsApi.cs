using System.Globalization;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workflows;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Api;

/// <summary>
/// Workflows' public contract (issue 6): templates (built-in and the workspace's own), the skill catalogue, starting a
/// template over products (one run per product in one batch; 202), a run's steps, progress and history, the run list, a
/// batch's summary, and the controls (cancel, resume, re-run a step, approve a gate). Viewers read; editors start and control.
/// </summary>
public static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this RouteGroupBuilder api)
    {
        var workflows = api.MapGroup("/workflows").WithTags("Workflows");
        workflows.MapGet("/templates", ListTemplatesAsync);
        workflows.MapGet("/templates/{id}", GetTemplateAsync);
        workflows.MapPost("/templates", CreateTemplateAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapPut("/templates/{id:guid}", UpdateTemplateAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapDelete("/templates/{id:guid}", DeleteTemplateAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapGet("/skills", ListSkills);
        workflows.MapPost("/runs", StartAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapGet("/runs", ListRunsAsync);
        workflows.MapGet("/runs/{id:guid}", GetRunAsync);
        workflows.MapPost("/runs/{id:guid}/cancel", CancelAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapPost("/runs/{id:guid}/resume", ResumeAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapPost("/runs/{id:guid}/steps/{key}/rerun", RerunAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapPost("/runs/{id:guid}/steps/{key}/approve", ApproveAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        workflows.MapGet("/batches/{id:guid}", GetBatchAsync);
        return api;
    }

    /// <summary>Codes of the API's own checks (texts in <c>Resources/*/WorkflowsCli.json</c>).</summary>
    public static class Errors
    {
        /// <summary>The status filter is not a run status. Argument: {0} the statuses.</summary>
        public const string StatusInvalid = "workflows.api.status_invalid";
    }

    /// <summary>The run statuses as the API spells them (camelCase), for filters.</summary>
    public static readonly IReadOnlyDictionary<string, WorkflowRunStatus> RunStatuses = Enum.GetValues<WorkflowRunStatus>()
        .ToDictionary(s => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(s.ToString()), s => s, StringComparer.Ordinal);

    private static string Culture => CultureInfo.CurrentUICulture.Name;

    private static async Task<Ok<IReadOnlyList<WorkflowTemplateResponse>>> ListTemplatesAsync(WorkflowTemplateStore store, CancellationToken cancellationToken)
    {
        var templates = await store.ListAsync(Culture, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<WorkflowTemplateResponse>>([.. templates.Select(WorkflowsApiMapping.ToResponse)]);
    }

    /// <summary>A built-in template by its slug (amazon-full...) or the workspace's own by its GUID.</summary>
    private static async Task<Results<Ok<WorkflowTemplateResponse>, JsonHttpResult<ProblemDetails>>> GetTemplateAsync(
        string id, WorkflowTemplateStore store, HttpContext context, CancellationToken cancellationToken)
    {
        var template = await store.FindAsync(id, Culture, cancellationToken);
        return template is null ? ApiProblems.NotFound(context) : TypedResults.Ok(WorkflowsApiMapping.ToResponse(template));
    }

    /// <summary>Creates a workspace template (a copy of a built-in one, edited, or built from scratch). 400 names the failing field, e.g. <c>steps[2].dependsOn</c>.</summary>
    private static async Task<Results<Created<WorkflowTemplateResponse>, JsonHttpResult<ProblemDetails>>> CreateTemplateAsync(
        WorkflowTemplateRequest request, SaveWorkflowTemplate handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(ToSave(null, request), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"{ApiExtensions.Prefix}/workflows/templates/{result.Value.Id}", WorkflowsApiMapping.ToResponse(result.Value))
            : ApiProblems.From(context, result);
    }

    /// <summary>Replaces a workspace template; built-in templates are read-only (copy one with POST). Runs keep the steps they started with.</summary>
    private static async Task<Results<Ok<WorkflowTemplateResponse>, JsonHttpResult<ProblemDetails>>> UpdateTemplateAsync(
        Guid id, WorkflowTemplateRequest request, SaveWorkflowTemplate handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(ToSave(id, request), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(WorkflowsApiMapping.ToResponse(result.Value)) : ApiProblems.From(context, result);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ProblemDetails>>> DeleteTemplateAsync(
        Guid id, DeleteWorkflowTemplate handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(context, result);
    }

    /// <summary>The skill catalogue: every operation a step can run, with its parameters' JSON schema.</summary>
    private static Ok<IReadOnlyList<WorkflowSkillResponse>> ListSkills(IStringLocalizer localizer) =>
        TypedResults.Ok<IReadOnlyList<WorkflowSkillResponse>>([.. SkillCatalog.Default.All.Select(s => WorkflowsApiMapping.ToResponse(s, Culture, localizer))]);

    /// <summary>
    /// Runs a template over products: one run per product, in one batch. 202 with the runs and the units per meter the batch
    /// will use; Location is the run for one product, else the batch. 409 <c>workflows.feature_required</c> below the Creator
    /// plan, 409 <c>workflows.quota_insufficient</c> when the quota left does not cover the batch (nothing is started).
    /// </summary>
    private static async Task<Results<Accepted<StartWorkflowRunsResponse>, JsonHttpResult<ProblemDetails>>> StartAsync(
        StartWorkflowRunsRequest request, StartWorkflowRuns handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(
            new StartWorkflowRuns.Request(request.Template, request.ProductIds, request.AllProducts ?? false, request.Marketplaces, Culture),
            cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(context, result);
        }

        var started = result.Value;
        var location = started.Runs.Count == 1
            ? $"{ApiExtensions.Prefix}/workflows/runs/{started.Runs[0].Id}"
            : $"{ApiExtensions.Prefix}/workflows/batches/{started.Batch.Id}";
        return TypedResults.Accepted(location, new StartWorkflowRunsResponse(
            started.Batch.Id,
            started.Batch.TemplateId,
            started.Batch.TemplateName,
            started.Runs.Count > 0 ? Strings(started.Runs[0].MarketplacesJson) : [],
            [.. started.Runs.Select(r => new StartedWorkflowRun(r.Id, r.ProductId, r.Status))],
            started.Units));
    }

    /// <summary>
    /// Runs newest first, optionally of one batch, product or status (running, awaitingApproval, succeeded, failed, cancelled);
    /// <c>pageSize</c> 1 to 200, default 50.
    /// </summary>
    private static async Task<Results<Ok<WorkflowRunPage>, JsonHttpResult<ProblemDetails>>> ListRunsAsync(
        Guid? batchId, Guid? productId, string? status, int? page, int? pageSize, ListWorkflowRuns handler, HttpContext context, CancellationToken cancellationToken)
    {
        WorkflowRunStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!RunStatuses.TryGetValue(status, out var parsed))
            {
                return ApiProblems.Problem(
                    context,
                    StatusCodes.Status400BadRequest,
                    ApiProblems.ValidationFailed,
                    new Dictionary<string, string[]> { ["status"] = [Errors.StatusInvalid] });
            }

            filter = parsed;
        }

        var result = await handler.HandleAsync(new ListWorkflowRuns.Request(batchId, productId, filter, page ?? 1, pageSize ?? 50), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new WorkflowRunPage(result.Value.Items, result.Value.Total, result.Value.PageNumber, result.Value.PageSize))
            : ApiProblems.From(context, result);
    }

    /// <summary>A run: its steps with status, progress, provider, error code and text, outputs, assets, and every launch's history.</summary>
    private static async Task<Results<Ok<WorkflowRunResponse>, JsonHttpResult<ProblemDetails>>> GetRunAsync(
        Guid id, GetWorkflowRun handler, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(WorkflowsApiMapping.ToResponse(result.Value, localizer)) : ApiProblems.From(context, result);
    }

    /// <summary>Cancels a run: waiting steps end as cancelled, running jobs are stopped and their reservations returned. 409 <c>workflows.run_final</c>.</summary>
    private static Task<Results<Ok<WorkflowRunResponse>, JsonHttpResult<ProblemDetails>>> CancelAsync(
        Guid id, ControlWorkflowRun control, GetWorkflowRun get, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken) =>
        ControlAsync(id, control.CancelAsync(id, cancellationToken), get, localizer, context, cancellationToken);

    /// <summary>Resumes a failed or cancelled run: the steps that did not succeed run again. 409 <c>workflows.run_not_resumable</c>.</summary>
    private static Task<Results<Ok<WorkflowRunResponse>, JsonHttpResult<ProblemDetails>>> ResumeAsync(
        Guid id, ControlWorkflowRun control, GetWorkflowRun get, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken) =>
        ControlAsync(id, control.ResumeAsync(id, cancellationToken), get, localizer, context, cancellationToken);

    /// <summary>Runs one finished step again (a new job, charged again) with the steps skipped because of it. <c>key</c> is the run step key, e.g. <c>scene@amazon</c>.</summary>
    private static Task<Results<Ok<WorkflowRunResponse>, JsonHttpResult<ProblemDetails>>> RerunAsync(
        Guid id, string key, ControlWorkflowRun control, GetWorkflowRun get, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken) =>
        ControlAsync(id, control.RerunStepAsync(id, key, cancellationToken), get, localizer, context, cancellationToken);

    /// <summary>Approves a gate step so the steps after it (export, publishing) run. 409 <c>workflows.step_not_awaiting_approval</c>.</summary>
    private static Task<Results<Ok<WorkflowRunResponse>, JsonHttpResult<ProblemDetails>>> ApproveAsync(
        Guid id, string key, ControlWorkflowRun control, GetWorkflowRun get, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken) =>
        ControlAsync(id, control.ApproveAsync(id, key, cancellationToken), get, localizer, context, cancellationToken);

    /// <summary>The batch summary: runs by status, failures with reasons, compliance failures and the units charged.</summary>
    private static async Task<Results<Ok<WorkflowBatchResponse>, JsonHttpResult<ProblemDetails>>> GetBatchAsync(
        Guid id, GetWorkflowBatch handler, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(WorkflowsApiMapping.ToResponse(result.Value, localizer)) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<WorkflowRunResponse>, JsonHttpResult<ProblemDetails>>> ControlAsync(
        Guid id, Task<Result<WorkflowRun>> action, GetWorkflowRun get, IStringLocalizer localizer, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await action;
        if (!result.IsSuccess)
        {
            return ApiProblems.From(context, result);
        }

        var view = await get.HandleAsync(id, cancellationToken);
        return view.IsSuccess ? TypedResults.Ok(WorkflowsApiMapping.ToResponse(view.Value, localizer)) : ApiProblems.From(context, view);
    }

    private static SaveWorkflowTemplate.Request ToSave(Guid? id, WorkflowTemplateRequest request) => new(
        id,
        request.Name,
        request.Description,
        request.BasedOn,
        request.Steps is null ? null : new WorkflowDefinition(request.Marketplaces ?? [], request.Steps));

    private static List<string> Strings(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
