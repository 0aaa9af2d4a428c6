using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// Replaces every editable field of a product, variants included (photos have their own use cases).
/// Editors and above.
/// </summary>
/// <remarks>
/// Optimistic concurrency: the request carries the <see cref="ProductDetails.UpdatedAt"/> the editor
/// loaded. The handler first moves <c>UpdatedAt</c> forward with a guarded
/// <c>UPDATE ... WHERE UpdatedAt = expected</c> inside the transaction, so of two concurrent saves
/// exactly one wins and the other gets <c>catalog.edit_conflict</c> (a lost update is impossible,
/// also on PostgreSQL under read committed, because the row lock makes the loser re-check).
/// </remarks>
public sealed class UpdateProduct(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public sealed record Request(Guid ProductId, DateTime ExpectedUpdatedAt, ProductInput Product);

    /// <returns>The saved product; Invalid, NotFound, Conflict (<c>catalog.edit_conflict</c>,
    /// <c>catalog.sku_taken</c>, <c>catalog.variant_sku_taken</c>) or Forbidden.</returns>
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

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expected = DatabaseTime.ToDatabasePrecision(request.ExpectedUpdatedAt);
        var now = timeProvider.GetUtcNowForDatabase();
        var claimed = await db.Products
            .Where(p => p.Id == request.ProductId && p.UpdatedAt == expected)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.UpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return await db.Products.AnyAsync(p => p.Id == request.ProductId, cancellationToken)
                ? Result.Conflict("", CatalogErrors.EditConflict)
                : Result.NotFound();
        }

        var conflicts = await ProductWriter.FindSkuConflictsAsync(db, input, request.ProductId, cancellationToken);
        if (conflicts.Count > 0)
        {
            return Result.Conflict(conflicts);
        }

        var product = await db.Products
            .Include(p => p.Variants)
            .Include(p => p.Photos)
            .AsSplitQuery()
            .SingleAsync(p => p.Id == request.ProductId, cancellationToken);
        ProductWriter.Apply(db, product, input, workspace.RequiredWorkspaceId);
        product.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            db.ChangeTracker.Clear();
            return ProductWriter.ConflictFor(exception, input);
        }

        return ProductDetails.From(product);
    }
}
