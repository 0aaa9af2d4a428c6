using CommerceOS.Core.Copy;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Api;
using CommerceOS.Web.Features.ImageStudio;
using CommerceOS.Web.Features.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Copy;

/// <summary>
/// Listing copy's public contract (issue 4): <c>POST /api/v1/products/{id}/copy</c> (write copy; 202 with the job),
/// <c>GET /api/v1/products/{id}/copy</c> (texts, rules, history, translation status), <c>POST /api/v1/products/{id}/translations</c>
/// (translate; 202 with the job), plus the review steps: edit by hand, approve and lock, unlock, and a diff between versions.
/// </summary>
public static class CopyEndpoints
{
    public static RouteGroupBuilder MapCopyApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Listing copy");
        products.MapPost("/{id:guid}/copy", RequestAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapGet("/{id:guid}/copy", GetAsync);
        products.MapPut("/{id:guid}/copy", EditAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapPost("/{id:guid}/copy/approve", ApproveAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapPost("/{id:guid}/copy/unlock", UnlockAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapGet("/{id:guid}/copy/diff", DiffAsync);
        products.MapPost("/{id:guid}/translations", TranslateAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        return api;
    }

    /// <summary>Body of <c>POST /api/v1/products/{id}/copy</c>.</summary>
    /// <param name="Marketplace">amazon, shopify, tiktok-shop, taobao, douyin, jd, shopee, lazada, temu, aliexpress, etsy, ebay or walmart.</param>
    /// <param name="Language">Default: the marketplace's own (zh-CN for Taobao, JD and Douyin, en elsewhere). Languages the engine does not write are written in that one and translated.</param>
    /// <param name="Tone">professional, luxurious, playful, technical or warm; default: the brand's tone, else professional.</param>
    /// <param name="Seed">Picks the phrasing; the same seed gives the same text. Default: a new one.</param>
    /// <param name="Fields">Regenerate only these fields of the current text (e.g. ["title"]).</param>
    /// <param name="RequiredKeywords">Keywords the title (or search terms) must contain.</param>
    /// <param name="CompetitorBrands">Brand names that must never appear.</param>
    public sealed record CopyRequest(
        string? Marketplace,
        string? Language,
        string? Tone,
        int? Seed,
        IReadOnlyList<string>? Fields,
        IReadOnlyList<string>? RequiredKeywords,
        IReadOnlyList<string>? CompetitorBrands);

    /// <summary>Body of <c>PUT /api/v1/products/{id}/copy</c>: the whole text as the seller wants it.</summary>
    /// <param name="BaseVersion">The version the edit starts from; a newer one answers 409.</param>
    public sealed record EditRequest(string? Marketplace, string? Language, int BaseVersion, ListingText? Text);

    public sealed record ApproveRequest(string? Marketplace, string? Language, int Version);

    public sealed record UnlockRequest(string? Marketplace, string? Language);

    /// <summary>Body of <c>POST /api/v1/products/{id}/translations</c>.</summary>
    /// <param name="SourceLanguage">Default: the marketplace's own language. Its approved version is translated, else the newest.</param>
    public sealed record TranslationsRequest(string? Marketplace, string? SourceLanguage, IReadOnlyList<string>? TargetLanguages);

    public sealed record VersionResponse(int Version);

    private static async Task<Results<Accepted<JobsEndpoints.JobResponse>, JsonHttpResult<ProblemDetails>>> RequestAsync(
        Guid id, CopyRequest request, RequestCopy handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(
            new CopyJobInput(id, request.Marketplace ?? "", request.Language, request.Tone, request.Seed, request.Fields, request.RequiredKeywords, request.CompetitorBrands),
            cancellationToken);
        if (!result.IsSuccess)
        {
            return ImageStudioEndpoints.QuotaOrProblem(context, result);
        }

        return TypedResults.Accepted($"{ApiExtensions.Prefix}/jobs/{result.Value.Id}", JobsEndpoints.ToResponse(result.Value));
    }

    private static async Task<Results<Ok<GetListingCopy.Response>, JsonHttpResult<ProblemDetails>>> GetAsync(
        Guid id, string? marketplace, string? language, int? version, GetListingCopy handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetListingCopy.Request(id, marketplace, language, version), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<VersionResponse>, JsonHttpResult<ProblemDetails>>> EditAsync(
        Guid id, EditRequest request, EditListingCopy handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new EditListingCopy.Request(id, request.Marketplace, request.Language, request.BaseVersion, request.Text), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(new VersionResponse(result.Value)) : ApiProblems.From(context, result);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ProblemDetails>>> ApproveAsync(
        Guid id, ApproveRequest request, ApproveListingCopy handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ApproveListingCopy.Request(id, request.Marketplace, request.Language, request.Version), cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(context, result);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ProblemDetails>>> UnlockAsync(
        Guid id, UnlockRequest request, UnlockListingCopy handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new UnlockListingCopy.Request(id, request.Marketplace, request.Language), cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<DiffListingCopy.Response>, JsonHttpResult<ProblemDetails>>> DiffAsync(
        Guid id, string? marketplace, string? language, int? from, int? to, DiffListingCopy handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new DiffListingCopy.Request(id, marketplace, language, from ?? 0, to ?? 0), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Accepted<JobsEndpoints.JobResponse>, JsonHttpResult<ProblemDetails>>> TranslateAsync(
        Guid id, TranslationsRequest request, RequestTranslations handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new RequestTranslations.Request(id, request.Marketplace, request.SourceLanguage, request.TargetLanguages), cancellationToken);
        if (!result.IsSuccess)
        {
            return ImageStudioEndpoints.QuotaOrProblem(context, result);
        }

        return TypedResults.Accepted($"{ApiExtensions.Prefix}/jobs/{result.Value.Id}", JobsEndpoints.ToResponse(result.Value));
    }
}
