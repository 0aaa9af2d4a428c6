using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// Sets the photo order. The list must contain exactly the product's current photos, each once;
/// otherwise <c>catalog.photos_mismatch</c> (so a reorder based on a stale gallery cannot silently
/// drop or resurrect a photo). Editors and above.
/// </summary>
public sealed class ReorderPhotos(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public sealed record Request(Guid ProductId, IReadOnlyList<Guid> AssetIds);

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

        var current = product.Photos.Select(p => p.AssetId).ToHashSet();
        if (request.AssetIds.Count != current.Count || request.AssetIds.Distinct().Count() != current.Count || !request.AssetIds.All(current.Contains))
        {
            return Result.Invalid("assetIds", CatalogErrors.PhotosMismatch);
        }

        var byAsset = product.Photos.ToDictionary(p => p.AssetId);
        for (var i = 0; i < request.AssetIds.Count; i++)
        {
            byAsset[request.AssetIds[i]].Position = i;
        }

        product.UpdatedAt = timeProvider.GetUtcNowForDatabase();
        await db.SaveChangesAsync(cancellationToken);
        return PhotoOrder.Of(product);
    }
}
