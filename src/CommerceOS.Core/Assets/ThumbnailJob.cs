using System.Text.Json;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Assets;

/// <summary>
/// Renders an asset's thumbnail (WebP, at most <see cref="ImageLimits.ThumbnailMaxSide"/> px on the
/// long side), stores it and sets <see cref="Asset.ThumbnailBlobKey"/>. Idempotent: a second run
/// finds the thumbnail in place and does nothing; a rerun after a crash rewrites the same
/// content-addressed blob.
/// </summary>
public sealed class ThumbnailJob(AppDbContext db, IBlobStore blobs, IImageProcessor images) : IJobHandler
{
    public const string JobKind = "assets.thumbnail";

    public string Kind => JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var asset = await db.Assets.SingleOrDefaultAsync(a => a.Id == job.SubjectId, cancellationToken)
            ?? throw new JobRejectedException(AssetErrorCodes.NotFound, $"Asset {job.SubjectId} does not exist.");

        if (asset.ThumbnailBlobKey is { } existing && await blobs.ExistsAsync(existing, cancellationToken))
        {
            return Output(existing, alreadyDone: true);
        }

        byte[] original;
        try
        {
            await using var stream = await blobs.OpenReadAsync(asset.BlobKey, cancellationToken)
                ?? throw new JobRejectedException(AssetErrorCodes.BlobMissing, $"Blob of asset {asset.Id} is missing.");
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            original = buffer.ToArray();
        }
        catch (BlobIntegrityException e)
        {
            throw new JobRejectedException(AssetErrorCodes.BlobCorrupt, e.Message);
        }

        progress.Report(0.3);
        EncodedImage thumbnail;
        try
        {
            thumbnail = images.Thumbnail(original, ImageLimits.ThumbnailMaxSide);
        }
        catch (ImageRejectedException e)
        {
            throw new JobRejectedException(AssetErrorCodes.ThumbnailFailed, $"Asset {asset.Id}: {e.Detail}");
        }

        progress.Report(0.8);
        StoredBlob stored;
        using (var content = new MemoryStream(thumbnail.Bytes, writable: false))
        {
            stored = await blobs.PutAsync(AssetBlobScope.For(asset.WorkspaceId), content, cancellationToken);
        }

        asset.ThumbnailBlobKey = stored.Key;
        await db.SaveChangesAsync(cancellationToken);
        progress.Report(1);
        return Output(stored.Key, alreadyDone: false, thumbnail.Width, thumbnail.Height);
    }

    private static string Output(string key, bool alreadyDone, int? width = null, int? height = null) =>
        JsonSerializer.Serialize(new { thumbnailBlobKey = key, alreadyDone, width, height });
}
