using System.Text.Json;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Jobs;

/// <summary><c>/api/v1/jobs/{id}</c>: a background job's state, for polling.</summary>
public static class JobsEndpoints
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/jobs").WithTags("Jobs")
            .MapGet("/{id:guid}", GetAsync);
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

    public static JobResponse ToResponse(Job job) => new(
        job.Id,
        job.Kind,
        job.Status,
        job.Attempts,
        job.MaxAttempts,
        job.Progress,
        ErrorCodes.Of(job.LastError),
        Output(job.OutputJson),
        job.SubjectId,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt);

    private static JsonElement? Output(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
