using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Assets;

public enum AssetSort
{
    Newest = 0,
    Oldest = 1,
    Largest = 2,
}

/// <summary>What an asset holds, by its stored content type (<c>image/*</c>, <c>video/*</c>).</summary>
public enum AssetMediaType
{
    Image = 0,
    Video = 1,
}

/// <summary>A product that shows an asset as one of its photos.</summary>
public sealed record AssetProductUse(Guid ProductId, string Sku, string Title);

/// <summary>An asset with its provenance, as the Content Hub shows it.</summary>
/// <param name="HasThumbnail">False until the thumbnail job has run; show the original instead.</param>
/// <param name="JobKind">The kind of the job that made the asset (generated content), when known.</param>
/// <param name="CreatedByName">Display name of the uploader while they are a member of the workspace; null otherwise.</param>
/// <param name="Products">Products using the asset as a photo, by title.</param>
public sealed record AssetSummary(
    Guid Id,
    AssetKind Kind,
    string ContentType,
    bool HasThumbnail,
    long ByteSize,
    int Width,
    int Height,
    string? OriginalFileName,
    string Source,
    Guid? JobId,
    string? JobKind,
    Guid? CreatedByUserId,
    string? CreatedByName,
    DateTime CreatedAt,
    IReadOnlyList<AssetProductUse> Products);

/// <summary>
/// The workspace's assets for the Content Hub: filters, file-name search, sorting and paging, with
/// each asset's provenance and the products that use it. Any member (Viewer and above).
/// </summary>
/// <remarks>
/// One query for the page, one for the total, then one each for product usage, jobs and uploader
/// names of the page's assets only. Search is a case-insensitive substring of the original file
/// name (<c>lower(column) LIKE term</c> with wildcards escaped), as in <c>ListProducts</c>.
/// </remarks>
public sealed class ListAssets(AppDbContext db, WorkspaceContext workspace)
{
    public const int DefaultPageSize = 48;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 200;

    /// <param name="InProducts">True: only assets some product uses as a photo; false: only unused ones.</param>
    /// <param name="ProductId">Only the photos of this product.</param>
    /// <param name="CreatedFrom">Inclusive lower bound (UTC).</param>
    /// <param name="CreatedBefore">Exclusive upper bound (UTC); must be after <paramref name="CreatedFrom"/>.</param>
    /// <param name="Page">1-based.</param>
    public sealed record Request(
        AssetKind? Kind = null,
        AssetMediaType? MediaType = null,
        bool? InProducts = null,
        Guid? ProductId = null,
        DateTime? CreatedFrom = null,
        DateTime? CreatedBefore = null,
        string? Search = null,
        AssetSort Sort = AssetSort.Newest,
        int Page = 1,
        int PageSize = DefaultPageSize);

    public sealed record Response(IReadOnlyList<AssetSummary> Items, int TotalCount, int Page, int PageSize)
    {
        public int PageCount => TotalCount == 0 ? 1 : (TotalCount + PageSize - 1) / PageSize;
    }

    public async Task<Result<Response>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var query = db.Assets.AsNoTracking();
        if (request.Kind is { } kind)
        {
            query = query.Where(a => a.Kind == kind);
        }

        if (request.MediaType is { } mediaType)
        {
            var pattern = mediaType == AssetMediaType.Video ? "video/%" : "image/%";
            query = query.Where(a => EF.Functions.Like(a.ContentType, pattern));
        }

        if (request.InProducts is { } inProducts)
        {
            query = inProducts
                ? query.Where(a => db.ProductPhotos.Any(p => p.AssetId == a.Id))
                : query.Where(a => !db.ProductPhotos.Any(p => p.AssetId == a.Id));
        }

        if (request.ProductId is { } productId)
        {
            query = query.Where(a => db.ProductPhotos.Any(p => p.AssetId == a.Id && p.ProductId == productId));
        }

        if (request.CreatedFrom is { } from)
        {
            var fromUtc = DatabaseTime.ToDatabasePrecision(from);
            query = query.Where(a => a.CreatedAt >= fromUtc);
        }

        if (request.CreatedBefore is { } before)
        {
            var beforeUtc = DatabaseTime.ToDatabasePrecision(before);
            query = query.Where(a => a.CreatedAt < beforeUtc);
        }

        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var pattern = "%" + EscapeLike(request.Search.Trim().ToLowerInvariant()) + "%";
#pragma warning disable CA1304, CA1311 // ToLower() is translated to SQL lower(); it never runs in .NET.
            query = query.Where(a => a.OriginalFileName != null && EF.Functions.Like(a.OriginalFileName.ToLower(), pattern, "\\"));
#pragma warning restore CA1304, CA1311
        }

        var total = await query.CountAsync(cancellationToken);
        var ordered = request.Sort switch
        {
            AssetSort.Oldest => query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id),
            AssetSort.Largest => query.OrderByDescending(a => a.ByteSize).ThenByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id),
            _ => query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id),
        };
        var assets = await ordered
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize)
            .ToListAsync(cancellationToken);

        var items = await AssetProvenance.DescribeAsync(db, workspace.RequiredWorkspaceId, assets, cancellationToken);
        return new Response(items, total, request.Page, request.PageSize);
    }

    private static List<FieldError> Validate(Request request)
    {
        var errors = Paging.Validate(request.Page, request.PageSize, MaxPageSize, request.Search, MaxSearchLength, AssetErrorCodes.SearchTooLong);
        if (request is { CreatedFrom: { } from, CreatedBefore: { } before } && before <= from)
        {
            errors.Add(new FieldError("createdBefore", AssetErrorCodes.DateRangeInvalid));
        }

        return errors;
    }

    private static string EscapeLike(string term) => term
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);
}

/// <summary>Adds product usage, the making job and the uploader's name to a page of assets (three small queries).</summary>
internal static class AssetProvenance
{
    public static async Task<IReadOnlyList<AssetSummary>> DescribeAsync(
        AppDbContext db, Guid workspaceId, IReadOnlyList<Asset> assets, CancellationToken cancellationToken)
    {
        if (assets.Count == 0)
        {
            return [];
        }

        var assetIds = assets.Select(a => a.Id).ToList();
        var uses = await db.ProductPhotos.AsNoTracking()
            .Where(p => assetIds.Contains(p.AssetId))
            .Join(db.Products, photo => photo.ProductId, product => product.Id, (photo, product) => new { photo.AssetId, product.Id, product.Sku, product.Title })
            .Distinct()
            .ToListAsync(cancellationToken);
        var usesByAsset = uses
            .GroupBy(u => u.AssetId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AssetProductUse>)g.OrderBy(u => u.Title, StringComparer.CurrentCulture).ThenBy(u => u.Id).Select(u => new AssetProductUse(u.Id, u.Sku, u.Title)).ToList());

        var jobIds = assets.Where(a => a.JobId is not null).Select(a => a.JobId!.Value).Distinct().ToList();
        var jobKinds = jobIds.Count == 0
            ? []
            : await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.Kind, cancellationToken);

        // Names only of people who are members of this workspace (Users are not tenant-owned).
        var userIds = assets.Where(a => a.CreatedByUserId is not null).Select(a => a.CreatedByUserId!.Value).Distinct().ToList();
        var names = userIds.Count == 0
            ? []
            : await db.WorkspaceMembers.AsNoTracking()
                .Where(m => m.WorkspaceId == workspaceId && userIds.Contains(m.UserId))
                .Join(db.Users, member => member.UserId, user => user.Id, (member, user) => new { user.Id, user.DisplayName })
                .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        return assets.Select(a => new AssetSummary(
            a.Id,
            a.Kind,
            a.ContentType,
            a.ThumbnailBlobKey is not null,
            a.ByteSize,
            a.Width,
            a.Height,
            a.OriginalFileName,
            a.Source,
            a.JobId,
            a.JobId is { } jobId ? jobKinds.GetValueOrDefault(jobId) : null,
            a.CreatedByUserId,
            a.CreatedByUserId is { } userId ? names.GetValueOrDefault(userId) : null,
            a.CreatedAt,
            usesByAsset.GetValueOrDefault(a.Id) ?? [])).ToList();
    }
}
