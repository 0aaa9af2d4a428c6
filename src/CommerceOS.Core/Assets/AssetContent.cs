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
    /// How stale <see cref="Asset.LastUsedAt"/> may get before a use writes it again: a day is nothing against the
    /// 90-day retention, and a product page's thumbnails then cost no write per request.
    /// </summary>
    public static readonly TimeSpan UseResolution = TimeSpan.FromDays(1);

    /// <summary>
    /// Marks an asset of the current workspace used now (<see cref="Asset.LastUsedAt"/>, which drives the upload
    /// retention) with one guarded update that writes only when the stored value is older than <see cref="UseResolution"/>.
    /// </summary>
    /// <returns>True when the row was written.</returns>
    public static async Task<bool> MarkUsedAsync(this AppDbContext db, TimeProvider time, Guid assetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNowForDatabase();
        var stale = now - UseResolution;
        return await db.Assets.Where(a => a.Id == assetId && a.LastUsedAt <= stale)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastUsedAt, now), cancellationToken) > 0;
    }

    /// <summary>
    /// Reads an asset of the current workspace that feeds a job, and marks it used (<see cref="Asset.LastUsedAt"/>, which
    /// drives the 90-day upload retention).
    /// </summary>
    public static async Task<AssetRead> ReadForUseAsync(this AppDbContext db, IBlobStore blobs, TimeProvider time, Guid assetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(blobs);
        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assetId, cancellationToken);
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
            await db.MarkUsedAsync(time, asset.Id, cancellationToken);
            return new AssetRead(buffer.ToArray(), null, null);
        }
        catch (BlobIntegrityException e)
        {
            return new AssetRead(null, AssetReadFailure.BlobCorrupt, e.Message);
        }
    }
}
