using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>One brand profile. Any member.</summary>
public sealed class GetBrand(AppDbContext db, WorkspaceContext workspace)
{
    public sealed record Request(Guid BrandId);

    public async Task<Result<BrandDetails>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var brand = await db.Brands.AsNoTracking().FirstOrDefaultAsync(b => b.Id == request.BrandId, cancellationToken);
        return brand is null ? Result.NotFound() : BrandDetails.From(brand);
    }
}
