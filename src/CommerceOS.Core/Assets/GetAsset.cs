using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Assets;

/// <summary>A brand that shows an asset as its logo.</summary>
public sealed record AssetBrandUse(Guid BrandId, string Name);

/// <summary>One asset with everything the detail page shows about where it came from and where it is used.</summary>
/// <param name="Generation">Skill, provenance and compliance of an Image Studio output; null for uploads.</param>
public sealed record AssetDetails(AssetSummary Summary, string Sha256, DateTime LastUsedAt, IReadOnlyList<AssetBrandUse> Brands, Generation.GeneratedImageInfo? Generation = null);

/// <summary>One asset of the workspace with its provenance. Any member; another workspace's asset is NotFound.</summary>
public sealed class GetAsset(AppDbContext db, WorkspaceContext workspace)
{
    public sealed record Request(Guid AssetId);

    public async Task<Result<AssetDetails>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var asset = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == request.AssetId, cancellationToken);
        if (asset is null)
        {
            return Result.NotFound();
        }

        var summary = (await AssetProvenance.DescribeAsync(db, workspace.RequiredWorkspaceId, [asset], cancellationToken))[0];
        var brands = await db.Brands.AsNoTracking()
            .Where(b => b.LogoAssetId == asset.Id)
            .OrderBy(b => b.Name)
            .Select(b => new AssetBrandUse(b.Id, b.Name))
            .ToListAsync(cancellationToken);
        return new AssetDetails(summary, asset.Sha256, asset.LastUsedAt, brands, Generation.GeneratedImageInfo.Of(asset));
    }
}
