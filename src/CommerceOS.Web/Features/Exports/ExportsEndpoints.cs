using CommerceOS.Core.Exports;
using CommerceOS.Core.Workflows;
using CommerceOS.Web.Features.Api;

namespace CommerceOS.Web.Features.Exports;

/// <summary>
/// Listing kits (a ZIP per marketplace): of a product (everything generated for it), of a workflow run or of a whole batch
/// (what their steps made). Every refusal is decided before the 200 headers; the ZIP then streams straight from the blob store.
/// </summary>
public static class ExportsEndpoints
{
    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products/{id:guid}/exports/{marketplace}", ProductKitAsync)
            .WithTags("Exports").Produces(StatusCodes.Status200OK, contentType: "application/zip");
        api.MapGet("/workflows/runs/{id:guid}/kits/{marketplace}", RunKitAsync)
            .WithTags("Workflows").Produces(StatusCodes.Status200OK, contentType: "application/zip");
        api.MapGet("/workflows/batches/{id:guid}/kits/{marketplace}", BatchKitAsync)
            .WithTags("Workflows").Produces(StatusCodes.Status200OK, contentType: "application/zip");
        return api;
    }

    private static Task<IResult> ProductKitAsync(Guid id, string marketplace, ExportListingKit export, HttpContext context, CancellationToken cancellationToken) =>
        StreamAsync(context, export, new ListingKitRequest(marketplace, [id], null), $"product-{id:N}-{marketplace}.zip", cancellationToken);

    private static async Task<IResult> RunKitAsync(Guid id, string marketplace, WorkflowKits kits, ExportListingKit export, HttpContext context, CancellationToken cancellationToken)
    {
        var request = await kits.ForRunAsync(id, marketplace, cancellationToken);
        return request.IsSuccess
            ? await StreamAsync(context, export, request.Value, $"run-{id:N}-{marketplace}.zip", cancellationToken)
            : ApiProblems.From(context, request.Status, request.Errors);
    }

    private static async Task<IResult> BatchKitAsync(Guid id, string marketplace, WorkflowKits kits, ExportListingKit export, HttpContext context, CancellationToken cancellationToken)
    {
        var request = await kits.ForBatchAsync(id, marketplace, cancellationToken);
        return request.IsSuccess
            ? await StreamAsync(context, export, request.Value, $"batch-{id:N}-{marketplace}.zip", cancellationToken)
            : ApiProblems.From(context, request.Status, request.Errors);
    }

    private static async Task<IResult> StreamAsync(HttpContext context, ExportListingKit export, ListingKitRequest request, string fileName, CancellationToken cancellationToken)
    {
        var plan = await export.PrepareAsync(request, cancellationToken);
        if (!plan.IsSuccess)
        {
            return ApiProblems.From(context, plan.Status, plan.Errors);
        }

        return Results.Stream(body => export.WriteAsync(plan.Value, body, null, cancellationToken), "application/zip", SafeName(fileName));
    }

    /// <summary>The marketplace comes from the URL: only letters, digits, dashes and dots reach the header.</summary>
    private static string SafeName(string fileName) =>
        new([.. fileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-')]);
}
