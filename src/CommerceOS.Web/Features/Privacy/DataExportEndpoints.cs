using CommerceOS.Core.Privacy;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Api;
using CommerceOS.Web.Features.Jobs;
using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Privacy;

/// <summary>
/// Personal data export (privacy policy section 6): <c>POST /api/v1/me/export</c> with <c>{"password": ...}</c> starts one
/// (202 with the job; while one is pending, 202 with that one's job and nothing new), <c>GET /api/v1/me/exports</c> lists the
/// user's recent ones, and <c>GET /api/v1/me/exports/{id}/download</c> hands the archive out once (the succeeded job's
/// output links it). A wrong or missing password is 403 <c>common.reauth_required</c> and schedules nothing.
/// </summary>
public static class DataExportEndpoints
{
    public sealed record ExportBody(string? Password);

    public static RouteGroupBuilder MapDataExportApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Privacy");
        me.MapPost("/export", RequestAsync);
        me.MapGet("/exports", ListAsync);
        me.MapGet("/exports/{id:guid}/download", DownloadAsync).Produces(StatusCodes.Status200OK, contentType: "application/zip");
        return api;
    }

    /// <summary>Starts an export of the signed-in user's data; the job's output links the archive when it has succeeded, and an e-mail sends a link too.</summary>
    private static async Task<Results<Accepted<JobsEndpoints.JobResponse>, JsonHttpResult<ProblemDetails>>> RequestAsync(
        ExportBody? body, HttpContext context, RequestDataExport handler, WorkspaceContext workspace, CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(context.User) is not { } userId)
        {
            return ApiProblems.Problem(context, StatusCodes.Status401Unauthorized, "common.unauthenticated");
        }

        var result = await handler.HandleAsync(
            new RequestDataExport.Request(userId, workspace.RequiredWorkspaceId, body?.Password, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString()),
            cancellationToken);
        return result.Outcome == RequestDataExport.Outcome.PasswordRefused
            ? ApiProblems.Problem(context, StatusCodes.Status403Forbidden, RecentAuthentication.ErrorCode)
            : TypedResults.Accepted($"{ApiExtensions.Prefix}/jobs/{result.Job!.Id}", JobsEndpoints.ToResponse(result.Job));
    }

    /// <summary>The user's ten most recent exports, newest first.</summary>
    private static async Task<Results<Ok<List<DataExportSummary>>, JsonHttpResult<ProblemDetails>>> ListAsync(
        HttpContext context, DataExportDownloads downloads, CancellationToken cancellationToken) =>
        AuthClaims.UserId(context.User) is { } userId
            ? TypedResults.Ok(await downloads.ListAsync(userId, cancellationToken))
            : ApiProblems.Problem(context, StatusCodes.Status401Unauthorized, "common.unauthenticated");

    /// <summary>The archive, once: 404 <c>common.not_found</c> for an export that is not the caller's; 410 <c>privacy.export.link_gone</c> once used, expired or deleted.</summary>
    private static async Task<Results<FileStreamHttpResult, JsonHttpResult<ProblemDetails>>> DownloadAsync(
        Guid id, HttpContext context, DataExportDownloads downloads, CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(context.User) is not { } userId || !await downloads.ExistsAsync(userId, id, cancellationToken))
        {
            return ApiProblems.NotFound(context);
        }

        var download = await downloads.ByIdAsync(userId, id, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), cancellationToken);
        return download is null
            ? ApiProblems.Problem(context, StatusCodes.Status410Gone, DataExportErrors.LinkGone)
            : TypedResults.File(download.Content, "application/zip", download.FileName);
    }
}
