using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

public enum ProductSort
{
    Updated = 0,
    Title = 1,
    Sku = 2,
    Created = 3,
}

/// <summary>
/// The product table: search, filters, sorting and paging, one query for the page and one for the
/// total. Any member (Viewer and above).
/// </summary>
/// <remarks>
/// Search matches a case-insensitive substring of the product SKU, any variant SKU or the title,
/// using <c>lower(column) LIKE lower(term)</c> with <c>%</c>, <c>_</c> and <c>\</c> escaped, so it
/// behaves the same on SQLite and PostgreSQL for ASCII and CJK text (SQLite's <c>lower()</c> folds
/// ASCII letters only; PostgreSQL folds all letters).
/// </remarks>
public sealed class ListProducts(AppDbContext db, WorkspaceContext workspace)
{
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 200;

    /// <param name="Descending">Null: newest first for <see cref="ProductSort.Updated"/> and
    /// <see cref="ProductSort.Created"/>, A to Z for <see cref="ProductSort.Title"/> and <see cref="ProductSort.Sku"/>.</param>
    /// <param name="Page">1-based.</param>
    /// <param name="PageSize">1 to <see cref="MaxPageSize"/>.</param>
    public sealed record Request(
        string? Search = null,
        string? Category = null,
        Guid? BrandId = null,
        ProductStatus? Status = null,
        ProductSort Sort = ProductSort.Updated,
        bool? Descending = null,
        int Page = 1,
        int PageSize = 25);

    public sealed record Response(IReadOnlyList<Item> Items, int TotalCount, int Page, int PageSize);

    /// <param name="FirstPhotoAssetId">The main image (first photo), for the thumbnail.</param>
    /// <param name="MinPriceMinor">Lowest variant price in minor units of <paramref name="Currency"/>; null without variants.</param>
    public sealed record Item(
        Guid Id,
        string Sku,
        string Title,
        ProductStatus Status,
        string? Category,
        Guid? BrandId,
        Guid? FirstPhotoAssetId,
        int VariantCount,
        long? MinPriceMinor,
        long? MaxPriceMinor,
        string? Currency,
        DateTime CreatedAt,
        DateTime UpdatedAt);

    public async Task<Result<Response>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var errors = Paging.Validate(request.Page, request.PageSize, MaxPageSize, request.Search, MaxSearchLength, CatalogErrors.SearchTooLong);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var query = db.Products.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var pattern = "%" + EscapeLike(request.Search.Trim().ToLowerInvariant()) + "%";
#pragma warning disable CA1304, CA1311 // ToLower() is translated to SQL lower(); it never runs in .NET.
            query = query.Where(p =>
                EF.Functions.Like(p.Sku.ToLower(), pattern, "\\")
                || EF.Functions.Like(p.Title.ToLower(), pattern, "\\")
                || p.Variants.Any(v => EF.Functions.Like(v.Sku.ToLower(), pattern, "\\")));
#pragma warning restore CA1304, CA1311
        }

        if (!string.IsNullOrWhiteSpace(request.Category))
        {
            var category = request.Category.Trim();
            query = query.Where(p => p.Category == category);
        }

        if (request.BrandId is { } brandId)
        {
            query = query.Where(p => p.BrandId == brandId);
        }

        if (request.Status is { } status)
        {
            query = query.Where(p => p.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var descending = request.Descending ?? request.Sort is ProductSort.Updated or ProductSort.Created;
        var ordered = (request.Sort, descending) switch
        {
            (ProductSort.Title, false) => query.OrderBy(p => p.Title).ThenBy(p => p.Id),
            (ProductSort.Title, true) => query.OrderByDescending(p => p.Title).ThenByDescending(p => p.Id),
            (ProductSort.Sku, false) => query.OrderBy(p => p.Sku),
            (ProductSort.Sku, true) => query.OrderByDescending(p => p.Sku),
            (ProductSort.Created, false) => query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
            (ProductSort.Created, true) => query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id),
            (_, false) => query.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Id),
            (_, true) => query.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Id),
        };

        var items = await ordered
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize)
            .Select(p => new Item(
                p.Id,
                p.Sku,
                p.Title,
                p.Status,
                p.Category,
                p.BrandId,
                p.Photos.OrderBy(ph => ph.Position).ThenBy(ph => ph.Id).Select(ph => (Guid?)ph.AssetId).FirstOrDefault(),
                p.Variants.Count,
                p.Variants.Min(v => (long?)v.PriceMinor),
                p.Variants.Max(v => (long?)v.PriceMinor),
                p.Variants.OrderBy(v => v.Position).Select(v => v.Currency).FirstOrDefault(),
                p.CreatedAt,
                p.UpdatedAt))
            .ToListAsync(cancellationToken);

        return new Response(items, total, request.Page, request.PageSize);
    }

    private static string EscapeLike(string term) => term
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);
}
