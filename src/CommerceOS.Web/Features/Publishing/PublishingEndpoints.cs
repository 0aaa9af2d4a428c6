using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Publishing;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Publishing;

/// <summary>
/// The Publish Center's public contract (issue 7): connections (connect after a live test, re-check, disconnect), what each
/// platform asks for, a listing's gate preview, <c>POST /api/v1/products/{id}/publications</c> (publish now or at a time;
/// 202 with the publication and its job), <c>GET /api/v1/publications/{id}</c>, publish history, listings and unpublish.
/// Connection credentials go in and never come out.
/// </summary>
public static class PublishingEndpoints
{
    public static RouteGroupBuilder MapPublishingApi(this RouteGroupBuilder api)
    {
        var connections = api.MapGroup("/connections").WithTags("Publish Center");
        connections.MapGet("/", ListConnectionsAsync);
        connections.MapPost("/", ConnectAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        connections.MapPost("/{id:guid}/check", CheckAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        connections.MapDelete("/{id:guid}", DisconnectAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);

        var publishing = api.MapGroup("").WithTags("Publish Center");
        publishing.MapGet("/publishing/platforms", Platforms);
        publishing.MapGet("/products/{id:guid}/listing-preview", PreviewAsync);
        publishing.MapPost("/products/{id:guid}/publications", PublishAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        publishing.MapGet("/products/{id:guid}/publications", HistoryAsync);
        publishing.MapGet("/publications", QueueAsync);
        publishing.MapGet("/publications/{id:guid}", GetPublicationAsync);
        publishing.MapGet("/listings", ListingsAsync);
        publishing.MapPost("/listings/{id:guid}/unpublish", UnpublishAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        return api;
    }

    /// <summary>Signed, expiring image links for platforms that fetch listing images (no session: the token is the authority).</summary>
    public static WebApplication MapPublicMedia(this WebApplication app)
    {
        app.MapGet("/media/{token}/{name}", MediaAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Body of <c>POST /api/v1/connections</c>.</summary>
    /// <param name="Platform">shopify, amazon, tiktok-shop, taobao or shopee.</param>
    /// <param name="Name">Your label for the store (default: the platform).</param>
    /// <param name="Credentials">The fields <c>GET /api/v1/publishing/platforms</c> lists for the platform. Stored encrypted, never returned.</param>
    public sealed record ConnectRequest(string? Platform, string? Name, Dictionary<string, string?>? Credentials);

    /// <summary>Body of <c>POST /api/v1/products/{id}/publications</c>.</summary>
    /// <param name="Marketplace">The platform; optional when <paramref name="ConnectionId"/> is given.</param>
    /// <param name="ConnectionId">The store; optional when the workspace has exactly one store on the marketplace.</param>
    /// <param name="ScheduledFor">Publish at this time (ISO 8601 with offset) instead of now; the gate runs again then.</param>
    /// <param name="KeepInSync">Push later price and stock changes of the product.</param>
    /// <param name="CategoryId">The platform category (Shopify taxonomy id, Amazon product type, Taobao cid, TikTok Shop or Shopee category id).</param>
    /// <param name="Attributes">Platform attribute id → value.</param>
    public sealed record PublishRequest(
        string? Marketplace,
        Guid? ConnectionId,
        DateTimeOffset? ScheduledFor,
        bool? KeepInSync,
        string? CategoryId,
        string? CategoryPath,
        Dictionary<string, string?>? Attributes);

    /// <summary>What a platform asks for: connection fields (secret ones are never shown again) and the listing fields it requires.</summary>
    public sealed record PlatformResponse(string Platform, IReadOnlyList<CredentialField> Fields, IReadOnlyList<string> RequiredFields, int MaxImages);

    /// <summary>A listing as it would be sent now: the gate's findings and the required-field checklist.</summary>
    public sealed record PreviewResponse(
        string Title,
        string Language,
        string? CategoryId,
        int Images,
        int Variants,
        bool Blocked,
        IReadOnlyList<ListingIssue> Issues,
        IReadOnlyList<ChecklistItem> Checklist,
        IReadOnlyList<CategorySuggestion> CategorySuggestions,
        IReadOnlyDictionary<string, string> Attributes,
        IReadOnlyDictionary<string, string> ProposedAttributes,
        bool KeepInSync,
        CategoryTreeStatus? CategoryTree);

    private static Ok<IReadOnlyList<PlatformResponse>> Platforms(MarketplacePublishers publishers) =>
        TypedResults.Ok<IReadOnlyList<PlatformResponse>>([.. publishers.All.OrderBy(p => p.Platform, StringComparer.Ordinal)
            .Select(p => new PlatformResponse(p.Platform, p.Fields.Select(f => f with { Default = f.Secret ? null : f.Default }).ToList(), p.RequiredFields, p.MaxImages))]);

    private static async Task<Results<Ok<IReadOnlyList<ConnectionView>>, JsonHttpResult<ProblemDetails>>> ListConnectionsAsync(
        ListConnections handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Created<ConnectionView>, JsonHttpResult<ProblemDetails>>> ConnectAsync(
        ConnectRequest request, ConnectMarketplace handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ConnectInput(request.Platform, request.Name, request.Credentials), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"{ApiExtensions.Prefix}/connections/{result.Value.Id}", result.Value)
            : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<ConnectionView>, JsonHttpResult<ProblemDetails>>> CheckAsync(
        Guid id, CheckConnection handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<ConnectionView>, JsonHttpResult<ProblemDetails>>> DisconnectAsync(
        Guid id, DisconnectMarketplace handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<PreviewResponse>, JsonHttpResult<ProblemDetails>>> PreviewAsync(
        Guid id, Guid connectionId, PreviewListing handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, connectionId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(context, result);
        }

        var (prepared, listing, suggestions, proposed, tree) = result.Value;
        var draft = prepared.Draft;
        return TypedResults.Ok(new PreviewResponse(
            draft.Title, draft.Language, draft.CategoryId, draft.Images.Count, draft.Variants.Count, prepared.Blocked, prepared.Issues, prepared.Checklist,
            suggestions, draft.Attributes, proposed, listing.KeepInSync, tree));
    }

    private static async Task<Results<Accepted<PublicationView>, JsonHttpResult<ProblemDetails>>> PublishAsync(
        Guid id, PublishRequest request, RequestPublication handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.PublishAsync(
            id,
            new PublishInput(request.Marketplace, request.ConnectionId, request.ScheduledFor, request.KeepInSync, request.CategoryId, request.CategoryPath, request.Attributes),
            cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"{ApiExtensions.Prefix}/publications/{result.Value.Id}", result.Value)
            : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<IReadOnlyList<PublicationView>>, JsonHttpResult<ProblemDetails>>> HistoryAsync(
        Guid id, PublicationQueries queries, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await queries.ListAsync(id, null, PublicationQueries.MaxPage, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    /// <summary>The workspace's publications, newest first (a listing's history with <c>listingId</c>).</summary>
    private static async Task<Results<Ok<IReadOnlyList<PublicationView>>, JsonHttpResult<ProblemDetails>>> QueueAsync(
        Guid? listingId, int? take, PublicationQueries queries, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await queries.ListAsync(null, listingId, take ?? 50, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<PublicationView>, JsonHttpResult<ProblemDetails>>> GetPublicationAsync(
        Guid id, PublicationQueries queries, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await queries.GetAsync(id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<IReadOnlyList<ListingView>>, JsonHttpResult<ProblemDetails>>> ListingsAsync(
        Guid? productId, int? take, PublicationQueries queries, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await queries.ListingsAsync(productId, take ?? 50, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Accepted<PublicationView>, JsonHttpResult<ProblemDetails>>> UnpublishAsync(
        Guid id, RequestPublication handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.UnpublishAsync(id, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"{ApiExtensions.Prefix}/publications/{result.Value.Id}", result.Value)
            : ApiProblems.From(context, result);
    }

    /// <summary>Streams a generated image named by a valid token; anything else is a plain 404 that says nothing about why.</summary>
    private static async Task<IResult> MediaAsync(string token, string name, PublicMediaLinks links, AppDbContext db, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (links.Read(token) is not { } target)
        {
            return Results.NotFound();
        }

#pragma warning disable RS0030 // No session: the token, bound to its workspace by Data Protection, is the authority.
        var asset = await db.Assets.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == target.AssetId && a.WorkspaceId == target.WorkspaceId && a.Kind == AssetKind.Generated, cancellationToken);
#pragma warning restore RS0030
        var stream = asset is null ? null : await blobs.OpenReadAsync(asset.BlobKey, cancellationToken);
        return stream is null ? Results.NotFound() : Results.Stream(stream, asset!.ContentType, enableRangeProcessing: true);
    }
}
