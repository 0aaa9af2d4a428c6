using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Workflows;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Antiforgery;

namespace CommerceOS.Web.Features.Exports;

/// <summary>
/// Listing kits (a ZIP per marketplace): of a product (everything generated for it), of a workflow run or of a whole batch
/// (what their steps made). Every refusal is decided before the 200 headers; the ZIP then streams straight from the blob store.
/// And bulk sheets: the seller's own Shopee / Taobao bulk-upload template, filled with products.
/// </summary>
public static class ExportsEndpoints
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The fill report (JSON, non-ASCII escaped) of a bulk sheet.</summary>
    public const string SheetReportHeader = "X-CommerceOS-Sheet-Report";

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products/{id:guid}/exports/{marketplace}", ProductKitAsync)
            .WithTags("Exports").Produces(StatusCodes.Status200OK, contentType: "application/zip");
        api.MapGet("/workflows/runs/{id:guid}/kits/{marketplace}", RunKitAsync)
            .WithTags("Workflows").Produces(StatusCodes.Status200OK, contentType: "application/zip");
        api.MapGet("/workflows/batches/{id:guid}/kits/{marketplace}", BatchKitAsync)
            .WithTags("Workflows").Produces(StatusCodes.Status200OK, contentType: "application/zip");

        // Any member may export (the use case checks Viewer); the antiforgery check is ApiUploads' (API keys need none).
        api.MapPost("/exports/{marketplace}/bulk-sheet", BulkSheetAsync)
            .WithTags("Exports")
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, contentType: XlsxContentType);
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

    /// <summary>
    /// Multipart: <c>template</c> (the xlsx from the Seller Centre) and <c>productIds</c> (repeated, or comma-separated).
    /// Answers the filled workbook with the report in <see cref="SheetReportHeader"/>.
    /// </summary>
    private static async Task<IResult> BulkSheetAsync(
        string marketplace, FillBulkSheet fill, IAntiforgery antiforgery, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
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

        var productIds = new List<Guid>();
        foreach (var value in form["productIds"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Guid.TryParse(value, out var id))
            {
                return ApiProblems.Invalid(context, "productIds", Catalog.CatalogEndpoints.InvalidValue);
            }

            productIds.Add(id);
        }

        byte[]? template = null;
        if (form.Files.GetFile("template") is { Length: > 0 } file)
        {
            if (file.Length > BulkSheetTemplate.MaxBytes)
            {
                return ApiProblems.From(context, Core.Common.ResultStatus.Invalid, [Core.Common.FieldError.Of("template", BulkSheetErrors.TooLarge, BulkSheetTemplate.MaxBytes / (1024 * 1024))]);
            }

            await using var stream = file.OpenReadStream();
            using var buffer = new MemoryStream((int)file.Length);
            await stream.CopyToAsync(buffer, cancellationToken);
            template = buffer.ToArray();
        }

        var result = await fill.HandleAsync(new BulkSheetRequest(marketplace, template, productIds), cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(context, result);
        }

        // The default encoder escapes everything outside ASCII (Chinese headers become \uXXXX): safe in a header.
        context.Response.Headers[SheetReportHeader] = JsonSerializer.Serialize(result.Value.Report, ReportJson);
        var date = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Results.File(result.Value.Workbook, XlsxContentType, $"{result.Value.Report.Marketplace}-bulk-{date}.xlsx");
    }

    /// <summary>The marketplace comes from the URL: only letters, digits, dashes and dots reach the header.</summary>
    private static string SafeName(string fileName) =>
        new([.. fileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-')]);
}
