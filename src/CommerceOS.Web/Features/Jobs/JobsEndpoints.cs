using CommerceOS.Core.Common;
using System.Text.Json;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Jobs;

/// <summary><c>/api/v1/jobs/{id}</c>: a background job's state, for polling; <c>POST /api/v1/jobs/{id}/cancel</c> stops it.</summary>
public static class JobsEndpoints
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/{id:guid}", GetAsync);
        jobs.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        return api;
    }

    /// <param name="LastErrorCode">A stable error code; internal failures (exception texts) show as <c>common.server_error</c>.</param>
    public sealed record JobResponse(
        Guid Id,
        string Kind,
        JobStatus Status,
        int Attempts,
        int MaxAttempts,
        double Progress,
        string? LastErrorCode,
        JsonElement? Output,
        Guid? SubjectId,
        DateTime CreatedAt,
        DateTime? StartedAt,
        DateTime? FinishedAt);

    private static async Task<Results<Ok<JobResponse>, JsonHttpResult<ProblemDetails>>> GetAsync(
        Guid id, AppDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return ApiProblems.NotFound(context);
        }

        return TypedResults.Ok(ToResponse(job));
    }

    /// <summary>
    /// A queued job ends at once (its quota reservation returned); a running one is stopped by its next heartbeat, so the
    /// answer may still say running. 409 <c>jobs.already_finished</c> when there is nothing left to cancel.
    /// </summary>
    private static async Task<Results<Ok<JobResponse>, JsonHttpResult<ProblemDetails>>> CancelAsync(
        Guid id, CancelJob handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(ToResponse(result.Value)) : ApiProblems.From(context, result);
    }

    public static JobResponse ToResponse(Job job) => new(
        job.Id,
        job.Kind,
        job.Status,
        job.Attempts,
        job.MaxAttempts,
        job.Progress,
        ErrorCodes.Of(job.LastError),
        JsonElements.Parse(job.OutputJson),
        job.SubjectId,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt);
}
