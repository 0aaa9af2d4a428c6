using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>Copies a validated input onto an entity and checks workspace-wide SKU uniqueness.</summary>
internal static class ProductWriter
{
    public const string VariantsTableHint = "ProductVariants";

    /// <summary>
    /// Full replace of the editable fields. Variants are matched by SKU so a kept variant keeps its id
    /// (and anything that refers to it); missing ones are deleted, new ones added, order follows input.
    /// </summary>
    public static void Apply(AppDbContext db, Product product, ProductInput input, Guid workspaceId)
    {
        product.WorkspaceId = workspaceId;
        product.Sku = input.Sku!;
        product.Title = input.Title!;
        product.Description = input.Description;
        product.BrandId = input.BrandId;
        product.Category = input.Category;
        product.Attributes = [.. input.Attributes ?? []];
        product.SellingPoints = [.. input.SellingPoints ?? []];
        product.TargetAudience = input.TargetAudience;
        product.Status = input.Status;

        var existing = product.Variants.ToDictionary(v => v.Sku, StringComparer.Ordinal);
        var wanted = input.Variants ?? [];
        var keep = new HashSet<string>(wanted.Select(v => v.Sku!), StringComparer.Ordinal);
        foreach (var removed in product.Variants.Where(v => !keep.Contains(v.Sku)).ToList())
        {
            product.Variants.Remove(removed);
        }

        for (var i = 0; i < wanted.Count; i++)
        {
            var source = wanted[i];
            if (!existing.TryGetValue(source.Sku!, out var variant))
            {
                variant = new ProductVariant { Sku = source.Sku!, Currency = source.Currency!, WorkspaceId = workspaceId, ProductId = product.Id };
                product.Variants.Add(variant);
                if (db.Entry(product).State != EntityState.Detached)
                {
                    // A new row with a preset Guid key found through a tracked parent would be taken
                    // for an existing row (UPDATE); mark it as an insert.
                    db.ProductVariants.Add(variant);
                }
            }

            variant.Options = new Dictionary<string, string>(source.Options ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            variant.PriceMinor = source.PriceMinor;
            variant.Currency = source.Currency!;
            variant.Stock = source.Stock;
            variant.Position = i;
        }
    }

    /// <summary>
    /// Conflicts with other products of the workspace: the product SKU, then variant SKUs owned by a
    /// different product. Empty when the SKUs are free (or already this product's).
    /// </summary>
    public static async Task<IReadOnlyList<FieldError>> FindSkuConflictsAsync(
        AppDbContext db, ProductInput input, Guid? productId, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (await db.Products.AnyAsync(p => p.Sku == input.Sku && p.Id != productId, cancellationToken))
        {
            errors.Add(FieldError.Of("sku", CatalogErrors.SkuTaken, input.Sku!));
        }

        var variantSkus = (input.Variants ?? []).Select(v => v.Sku!).ToList();
        if (variantSkus.Count > 0)
        {
            var taken = await db.ProductVariants
                .Where(v => variantSkus.Contains(v.Sku) && v.ProductId != productId)
                .Select(v => v.Sku)
                .ToListAsync(cancellationToken);
            for (var i = 0; i < variantSkus.Count; i++)
            {
                if (taken.Contains(variantSkus[i], StringComparer.Ordinal))
                {
                    errors.Add(FieldError.Of($"variants[{i}].sku", CatalogErrors.VariantSkuTaken, variantSkus[i]));
                }
            }
        }

        return errors;
    }

    /// <summary>The clean conflict for a unique violation that slipped past the check (a lost race).</summary>
    public static Result ConflictFor(DbUpdateException exception, ProductInput input) =>
        UniqueViolation.Is(exception, VariantsTableHint)
            ? Result.Conflict("variants", CatalogErrors.VariantSkuTaken, "")
            : Result.Conflict("sku", CatalogErrors.SkuTaken, input.Sku!);
}
