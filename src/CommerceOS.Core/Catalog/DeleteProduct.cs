using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>Deletes a product; its variants and photo links go with it (the assets stay). Editors and above.</summary>
public sealed class DeleteProduct(AppDbContext db, WorkspaceContext workspace)
{
    public sealed record Request(Guid ProductId);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        // The tenant filter applies to ExecuteDelete too: another workspace's id deletes nothing.
        var deleted = await db.Products.Where(p => p.Id == request.ProductId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? Result.NotFound() : Result.Ok();
    }
}
