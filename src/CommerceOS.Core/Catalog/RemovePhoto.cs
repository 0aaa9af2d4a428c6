using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>Detaches a photo from a product (the asset itself stays in the library). Editors and above.</summary>
public sealed class RemovePhoto(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public sealed record Request(Guid ProductId, Guid AssetId);

    /// <returns>The remaining photo order; NotFound when the product is missing or the asset is not one of its photos.</returns>
    public async Task<Result<ProductPhotos>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var product = await db.Products.Include(p => p.Photos).FirstOrDefaultAsync(p => p.Id == request.ProductId, cancellationToken);
        var photo = product?.Photos.FirstOrDefault(p => p.AssetId == request.AssetId);
        if (product is null || photo is null)
        {
            return Result.NotFound();
        }

        product.Photos.Remove(photo);
        PhotoOrder.Compact(product);
        product.UpdatedAt = timeProvider.GetUtcNowForDatabase();
        await db.SaveChangesAsync(cancellationToken);
        return PhotoOrder.Of(product);
    }
}
