using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Assets;

public enum AssetReadFailure
{
    NotFound = 0,
    BlobMissing = 1,
    BlobCorrupt = 2,
}

/// <summary>An asset's bytes, or why they cannot be had (the message is for the log, never the seller).</summary>
public sealed record AssetRead(byte[]? Bytes, AssetReadFailure? Failure, string? Detail);

public static class AssetContent
{
    /// <summary>
    /// Reads an asset of the current workspace that feeds a job, and marks it used (<see cref="Asset.LastUsedAt"/>, which
    /// drives the 90-day upload retention).
    /// </summary>
    public static async Task<AssetRead> ReadForUseAsync(this AppDbContext db, IBlobStore blobs, TimeProvider time, Guid assetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(blobs);
        var asset = await db.Assets.SingleOrDefaultAsync(a => a.Id == assetId, cancellationToken);
        if (asset is null)
        {
            return new AssetRead(null, AssetReadFailure.NotFound, $"Asset {assetId} does not exist.");
        }

        try
        {
            await using var stream = await blobs.OpenReadAsync(asset.BlobKey, cancellationToken);
            if (stream is null)
            {
                return new AssetRead(null, AssetReadFailure.BlobMissing, $"Blob of asset {asset.Id} is missing.");
            }

            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            asset.LastUsedAt = time.GetUtcNowForDatabase();
            await db.SaveChangesAsync(cancellationToken);
            return new AssetRead(buffer.ToArray(), null, null);
        }
        catch (BlobIntegrityException e)
        {
            return new AssetRead(null, AssetReadFailure.BlobCorrupt, e.Message);
        }
    }
}
