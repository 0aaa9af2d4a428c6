using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>Replaces every editable field of a brand profile. Editors and above.</summary>
public sealed class UpdateBrand(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public sealed record Request(Guid BrandId, BrandInput Brand);

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

        var brand = await db.Brands.FirstOrDefaultAsync(b => b.Id == request.BrandId, cancellationToken);
        if (brand is null)
        {
            return Result.NotFound();
        }

        var input = request.Brand.Normalized();
        var check = await BrandWriter.CheckAsync(db, input, brand.Id, cancellationToken);
        if (!check.IsSuccess)
        {
            return check;
        }

        BrandWriter.Apply(brand, input);
        brand.UpdatedAt = timeProvider.GetUtcNowForDatabase();
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
