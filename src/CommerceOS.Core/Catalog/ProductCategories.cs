using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>The categories the workspace's products use, for filters and suggestions (tenant-filtered).</summary>
public static class ProductCategories
{
    public const int Max = 200;

    public static Task<List<string>> ListAsync(AppDbContext db, CancellationToken cancellationToken) =>
        db.Products.AsNoTracking()
            .Where(p => p.Category != null)
            .Select(p => p.Category!)
            .Distinct()
            .OrderBy(c => c)
            .Take(Max)
            .ToListAsync(cancellationToken);
}
