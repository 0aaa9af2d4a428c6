using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Catalog;

/// <summary>One product with variants and photo order. Any member (Viewer and above).</summary>
public sealed class GetProduct(AppDbContext db, WorkspaceContext workspace)
{
    public sealed record Request(Guid ProductId);

    /// <returns>The product, NotFound (also for another workspace's id) or Forbidden.</returns>
    public async Task<Result<ProductDetails>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var product = await db.FindWithDetailsAsync(request.ProductId, cancellationToken);
        return product is null ? Result.NotFound() : ProductDetails.From(product);
    }
}
