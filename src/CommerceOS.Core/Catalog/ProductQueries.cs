using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

internal static class ProductQueries
{
    /// <summary>One product of the current workspace with its variants and photos, read-only; null when it is not there.</summary>
    public static Task<Product?> FindWithDetailsAsync(this AppDbContext db, Guid productId, CancellationToken cancellationToken) =>
        db.Products.AsNoTracking()
            .Include(p => p.Variants)
            .Include(p => p.Photos)
            .AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
}
