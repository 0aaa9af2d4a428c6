using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// Attaches an already uploaded asset of the same workspace as the product's last photo. Adding an
/// asset that is already attached changes nothing and succeeds (safe to retry). At most
/// <see cref="MaxPhotos"/> photos. Editors and above.
/// </summary>
public sealed class AddPhoto(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public const int MaxPhotos = 50;

    public sealed record Request(Guid ProductId, Guid AssetId);

    /// <returns>The photo order; NotFound (product), Invalid (<c>catalog.asset_not_found</c>,
    /// <c>catalog.too_many_photos</c>) or Forbidden.</returns>
    public async Task<Result<ProductPhotos>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var product = await db.Products.Include(p => p.Photos).FirstOrDefaultAsync(p => p.Id == request.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        if (product.Photos.Any(p => p.AssetId == request.AssetId))
        {
            return PhotoOrder.Of(product);
        }

        // Tenant-filtered: an asset of another workspace is indistinguishable from a missing one.
        if (!await db.Assets.AnyAsync(a => a.Id == request.AssetId, cancellationToken))
        {
            return Result.Invalid("assetId", CatalogErrors.AssetNotFound);
        }

        if (product.Photos.Count >= MaxPhotos)
        {
            return Result.Invalid("assetId", CatalogErrors.TooManyPhotos, MaxPhotos);
        }

        var photo = new ProductPhoto
        {
            WorkspaceId = product.WorkspaceId,
            ProductId = product.Id,
            AssetId = request.AssetId,
            // Two uploads racing may take the same position; order ties by Id (time-ordered v7), and the next reorder or removal renumbers.
            Position = product.Photos.Count == 0 ? 0 : product.Photos.Max(p => p.Position) + 1,
        };
        product.Photos.Add(photo);
        db.ProductPhotos.Add(photo);
        product.UpdatedAt = timeProvider.GetUtcNowForDatabase();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            // A concurrent request attached the same asset: the outcome the caller wanted exists.
            db.ChangeTracker.Clear();
            var current = await db.Products.AsNoTracking().Include(p => p.Photos).SingleAsync(p => p.Id == request.ProductId, cancellationToken);
            return PhotoOrder.Of(current);
        }

        return PhotoOrder.Of(product);
    }
}

internal static class PhotoOrder
{
    public static ProductPhotos Of(Product product) =>
        new(product.Id, product.Photos.OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => p.AssetId).ToList(), product.UpdatedAt);

    /// <summary>Positions 0..n-1 in the current order, closing gaps.</summary>
    public static void Compact(Product product)
    {
        var position = 0;
        foreach (var photo in product.Photos.OrderBy(p => p.Position).ThenBy(p => p.Id))
        {
            photo.Position = position++;
        }
    }
}
