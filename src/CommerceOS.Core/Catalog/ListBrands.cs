using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>All brand profiles of the workspace by name, with how many products use each and how many banned words each has. Any member.</summary>
public sealed class ListBrands(AppDbContext db, WorkspaceContext workspace)
{
    public sealed record Request;

    public sealed record Item(Guid Id, string Name, string? Tone, IReadOnlyList<string> Palette, int ProductCount, DateTime UpdatedAt, int BannedWordCount = 0, Guid? LogoAssetId = null);

    public async Task<Result<IReadOnlyList<Item>>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var brands = await db.Brands.AsNoTracking()
            .OrderBy(b => b.Name)
            .Select(b => new
            {
                b.Id,
                b.Name,
                b.Tone,
                b.Palette,
                b.BannedWords,
                b.LogoAssetId,
                ProductCount = db.Products.Count(p => p.BrandId == b.Id),
                b.UpdatedAt,
            })
            .ToListAsync(cancellationToken);
        return Result.Ok<IReadOnlyList<Item>>(brands.Select(b => new Item(b.Id, b.Name, b.Tone, b.Palette, b.ProductCount, b.UpdatedAt, b.BannedWords.Count, b.LogoAssetId)).ToList());
    }
}
