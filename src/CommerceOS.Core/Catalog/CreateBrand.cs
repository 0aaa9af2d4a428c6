using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>Creates a brand profile. Editors and above, on a plan with the Brand Center.</summary>
public sealed class CreateBrand(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public sealed record Request(BrandInput Brand);

    /// <returns>The brand; Invalid, Conflict (<c>catalog.brand_name_taken</c>, <c>brands.feature_required</c>) or Forbidden.</returns>
    public async Task<Result<BrandDetails>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        if (!await db.WorkspaceHasFeatureAsync(PlanFeatures.BrandCenter, timeProvider, cancellationToken))
        {
            return Result.Conflict("", CatalogErrors.BrandCenterRequired, PlanFeatures.BrandCenter);
        }

        var input = request.Brand.Normalized();
        var check = await BrandWriter.CheckAsync(db, input, null, cancellationToken);
        if (!check.IsSuccess)
        {
            return check;
        }

        var now = timeProvider.GetUtcNowForDatabase();
        var brand = new Brand { Name = input.Name!, WorkspaceId = workspace.RequiredWorkspaceId, CreatedAt = now, UpdatedAt = now };
        BrandWriter.Apply(brand, input);
        db.Brands.Add(brand);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            db.ChangeTracker.Clear();
            return Result.Conflict("name", CatalogErrors.BrandNameTaken, input.Name!);
        }

        return BrandDetails.From(brand);
    }
}
