using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// Deletes a brand profile. Its products stay and lose the brand (<c>BrandId</c> becomes null, by
/// the <c>ON DELETE SET NULL</c> foreign key, in the same statement). Editors and above.
/// </summary>
public sealed class DeleteBrand(AppDbContext db, WorkspaceContext workspace)
{
    public sealed record Request(Guid BrandId);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var deleted = await db.Brands.Where(b => b.Id == request.BrandId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? Result.NotFound() : Result.Ok();
    }
}
