using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// Copies a product as a new draft. The copy's SKU is <c>&lt;sku&gt;-copy</c>, then <c>-copy-2</c>,
/// <c>-copy-3</c>, ...: the first suffix free for the product SKU <em>and</em> every variant SKU
/// (variants get the same suffix). If a SKU plus suffix would exceed 64 characters, the SKU is cut
/// before the suffix. Photos point at the same assets (no blob is copied). Editors and above.
/// </summary>
public sealed class DuplicateProduct(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    private const int MaxAttempts = 1000;

    public sealed record Request(Guid ProductId);

    public async Task<Result<ProductDetails>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var source = await db.Products.AsNoTracking()
            .Include(p => p.Variants)
            .Include(p => p.Photos)
            .AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Id == request.ProductId, cancellationToken);
        if (source is null)
        {
            return Result.NotFound();
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var suffix = attempt == 1 ? "-copy" : $"-copy-{attempt}";
            var sku = WithSuffix(source.Sku, suffix);
            var variantSkus = source.Variants.Select(v => WithSuffix(v.Sku, suffix)).ToList();
            if (await db.Products.AnyAsync(p => p.Sku == sku, cancellationToken)
                || await db.ProductVariants.AnyAsync(v => variantSkus.Contains(v.Sku), cancellationToken))
            {
                continue;
            }

            var copy = CopyOf(source, sku, suffix, timeProvider.GetUtcNowForDatabase());
            db.Products.Add(copy);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return ProductDetails.From(copy);
            }
            catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
            {
                // Someone took this suffix between the check and the insert: try the next one.
                db.ChangeTracker.Clear();
            }
        }

        return Result.Conflict("sku", CatalogErrors.SkuTaken, WithSuffix(source.Sku, "-copy"));
    }

    internal static string WithSuffix(string sku, string suffix) =>
        sku.Length + suffix.Length <= ProductValidator.MaxSkuLength
            ? sku + suffix
            : sku[..(ProductValidator.MaxSkuLength - suffix.Length)] + suffix;

    private static Product CopyOf(Product source, string sku, string suffix, DateTime now)
    {
        var copy = new Product
        {
            WorkspaceId = source.WorkspaceId,
            Sku = sku,
            Title = source.Title,
            Description = source.Description,
            BrandId = source.BrandId,
            Category = source.Category,
            Attributes = [.. source.Attributes],
            SellingPoints = [.. source.SellingPoints],
            TargetAudience = source.TargetAudience,
            Status = ProductStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
        };
        copy.Variants = source.Variants.OrderBy(v => v.Position).Select(v => new ProductVariant
        {
            WorkspaceId = source.WorkspaceId,
            ProductId = copy.Id,
            Sku = WithSuffix(v.Sku, suffix),
            Options = new Dictionary<string, string>(v.Options, StringComparer.Ordinal),
            PriceMinor = v.PriceMinor,
            Currency = v.Currency,
            Stock = v.Stock,
            Position = v.Position,
        }).ToList();
        copy.Photos = source.Photos.OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => new ProductPhoto
        {
            WorkspaceId = source.WorkspaceId,
            ProductId = copy.Id,
            AssetId = p.AssetId,
            Position = p.Position,
        }).ToList();
        return copy;
    }
}
