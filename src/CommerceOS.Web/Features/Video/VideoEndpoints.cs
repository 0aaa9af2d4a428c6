using CommerceOS.Core.Common;
using CommerceOS.Core.Video;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Api;
using CommerceOS.Web.Features.ImageStudio;
using CommerceOS.Web.Features.Jobs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Video;

/// <summary>
/// Video Studio's public contract (issue 5): <c>POST /api/v1/products/{id}/videos</c> (render videos; 202 with the job),
/// <c>GET /api/v1/products/{id}/videos</c> (the product's videos with cover, subtitles and channel checks), and the
/// workspace's background music: <c>POST /api/v1/music</c> (upload) and <c>GET /api/v1/music</c>.
/// </summary>
public static class VideoEndpoints
{
    /// <summary>What a request without <c>durationSeconds</c> gets: long enough for every channel's minimum (Douyin, Amazon: 15 s).</summary>
    public const int DefaultDurationSeconds = 15;

    public static RouteGroupBuilder MapVideoApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Video Studio");
        products.MapPost("/{id:guid}/videos", RequestAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapGet("/{id:guid}/videos", ListAsync);
        var music = api.MapGroup("/music").WithTags("Video Studio");
        music.MapPost("/", UploadMusicAsync)
            .RequireAuthorization(AccountsWebExtensions.EditorPolicy)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");
        music.MapGet("/", ListMusicAsync);
        return api;
    }

    /// <summary>Body of <c>POST /api/v1/products/{id}/videos</c>.</summary>
    /// <param name="Template">showcase, ugc, highlights, before-after, turntable or brand-card.</param>
    /// <param name="Formats">One video (and one unit of the videos quota) each: 9:16, 1:1, 4:5, 16:9.</param>
    /// <param name="DurationSeconds">6 to 60; default 15.</param>
    /// <param name="Engine">local (default, ffmpeg) or ai (the configured video provider: Kling, Veo or fal).</param>
    /// <param name="Images">Image asset ids in showing order; default: the product's Image Studio scenes and studio shots, then its photos.</param>
    /// <param name="Language">Language of the title, captions and points (en, zh-CN...): chooses the font. Default en.</param>
    /// <param name="Title">Opening title or hook line.</param>
    /// <param name="Captions">Caption lines, burned in and delivered as SRT and WebVTT.</param>
    /// <param name="Points">Selling points (highlights template); default: the product's.</param>
    /// <param name="MusicAssetId">Background music uploaded with <c>POST /api/v1/music</c>.</param>
    /// <param name="Prompt">For the AI engine: what should happen in the clip.</param>
    public sealed record VideoRequest(
        string? Template,
        IReadOnlyList<string>? Formats,
        int? DurationSeconds,
        string? Engine,
        IReadOnlyList<Guid>? Images,
        string? Language,
        string? Title,
        IReadOnlyList<string>? Captions,
        IReadOnlyList<string>? Points,
        Guid? MusicAssetId,
        string? Prompt);

    /// <summary>An accepted music file: stored as AAC (audio/mp4), loudness-normalised.</summary>
    public sealed record MusicUploadResponse(Guid Id, string ContentType, long ByteSize, string? FileName);

    internal static VideoJobInput ToInput(Guid productId, VideoRequest request) => new(
        productId,
        request.Template ?? "",
        request.Formats ?? [],
        request.DurationSeconds ?? DefaultDurationSeconds,
        request.Engine ?? VideoEngines.Local,
        request.Images,
        request.Language ?? "en",
        request.Title,
        request.Captions,
        request.Points,
        request.MusicAssetId,
        request.Prompt);

    private static async Task<Results<Accepted<JobsEndpoints.JobResponse>, JsonHttpResult<ProblemDetails>>> RequestAsync(
        Guid id, VideoRequest request, RequestVideos handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(ToInput(id, request), cancellationToken);
        if (!result.IsSuccess)
        {
            return ImageStudioEndpoints.QuotaOrProblem(context, result);
        }

        return TypedResults.Accepted($"{ApiExtensions.Prefix}/jobs/{result.Value.Id}", JobsEndpoints.ToResponse(result.Value));
    }

    private static async Task<Results<Ok<IReadOnlyList<VideoSummary>>, JsonHttpResult<ProblemDetails>>> ListAsync(
        Guid id, ListProductVideos handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Ok<IReadOnlyList<MusicSummary>>> ListMusicAsync(ListMusic handler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await handler.HandleAsync(cancellationToken));

    /// <summary>
    /// The music file in the <c>file</c> part. A browser session needs the antiforgery token (a cross-site form could
    /// post one); an API key cannot be sent by another site. A refused file answers with its reason as the code.
    /// </summary>
    private static async Task<Results<Created<MusicUploadResponse>, JsonHttpResult<ProblemDetails>>> UploadMusicAsync(
        HttpContext context, UploadMusic upload, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ApiUploads.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var (form, tooLarge) = await ApiUploads.ReadFormAsync(context, cancellationToken);
        if (form is null)
        {
            return tooLarge!;
        }

        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return ApiProblems.Invalid(context, "file", VideoErrors.MusicEmpty);
        }

        Result<Core.Assets.Asset> result;
        await using (var stream = file.OpenReadStream())
        {
            result = await upload.HandleAsync(stream, file.FileName, cancellationToken);
        }

        if (!result.IsSuccess)
        {
            if (result.Status != ResultStatus.Invalid)
            {
                return ApiProblems.From(context, result);
            }

            var error = result.Errors[0];
            var status = error.Code == VideoErrors.MusicTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return ApiProblems.Problem(context, status, error.Code, new Dictionary<string, string[]> { [error.Field] = [error.Code] }, [.. error.Args]);
        }

        var asset = result.Value;
        return TypedResults.Created(
            $"{ApiExtensions.Prefix}/assets/{asset.Id}/content",
            new MusicUploadResponse(asset.Id, asset.ContentType, asset.ByteSize, asset.OriginalFileName));
    }
}
