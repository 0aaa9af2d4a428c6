using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>Creates a product with its variants. Editors and above.</summary>
public sealed class CreateProduct(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public sealed record Request(ProductInput Product);

    /// <returns>The product; Invalid (rules), Conflict (<c>catalog.sku_taken</c>,
    /// <c>catalog.variant_sku_taken</c>) or Forbidden.</returns>
    public async Task<Result<ProductDetails>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var input = request.Product.Normalized();
        var errors = await ProductValidator.ValidateAsync(db, input, cancellationToken);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var conflicts = await ProductWriter.FindSkuConflictsAsync(db, input, null, cancellationToken);
        if (conflicts.Count > 0)
        {
            return Result.Conflict(conflicts);
        }

        var now = timeProvider.GetUtcNowForDatabase();
        var product = new Product { Sku = input.Sku!, Title = input.Title!, CreatedAt = now, UpdatedAt = now };
        ProductWriter.Apply(db, product, input, workspace.RequiredWorkspaceId);
        db.Products.Add(product);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            db.ChangeTracker.Clear();
            return ProductWriter.ConflictFor(exception, input);
        }

        return ProductDetails.From(product);
    }
}
