using CommerceOS.Core.Assets;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Video;

/// <summary>
/// Accepts background music: at most <see cref="VideoLimits.MaxMusicBytes"/>, sniffed and decoded by the engine (never
/// trusted by name or claimed type), stored only as the engine's AAC re-encode (loudness-normalised, metadata stripped).
/// A refused file writes nothing. Editors and above.
/// </summary>
public sealed class UploadMusic(AppDbContext db, WorkspaceContext workspace, IBlobStore blobs, IVideoRenderer renderer, VideoWorkFolders folders, TimeProvider time)
{
    public async Task<Result<Asset>> HandleAsync(Stream content, string? fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var folder = folders.Create(Guid.CreateVersion7());
        try
        {
            var input = Path.Combine(folder, "upload.bin");
            long length;
            await using (var file = File.Create(input))
            {
                length = await CopyLimitedAsync(content, file, VideoLimits.MaxMusicBytes, cancellationToken);
            }

            if (length < 0)
            {
                return Result.Invalid("file", VideoErrors.MusicTooLarge, VideoLimits.MaxMusicBytes / (1024 * 1024));
            }

            if (length == 0)
            {
                return Result.Invalid("file", VideoErrors.MusicEmpty);
            }

            PreparedMusic prepared;
            try
            {
                prepared = await renderer.PrepareMusicAsync(input, Path.Combine(folder, "music.m4a"), cancellationToken);
            }
            catch (InvalidMediaException e)
            {
                return Result.Invalid("file", e.Code);
            }

            StoredBlob blob;
            await using (var stream = File.OpenRead(prepared.Path))
            {
                blob = await blobs.PutAsync(AssetBlobScope.For(workspace.RequiredWorkspaceId), stream, cancellationToken);
            }

            var now = time.GetUtcNowForDatabase();
            var asset = new Asset
            {
                WorkspaceId = workspace.RequiredWorkspaceId,
                Kind = AssetKind.Upload,
                ContentType = "audio/mp4",
                BlobKey = blob.Key,
                ByteSize = blob.Length,
                Sha256 = blob.Sha256,
                Source = UploadAsset.Source,
                Skill = VideoSkills.Music,
                OriginalFileName = FileNameSanitizer.Sanitize(fileName),
                CreatedByUserId = workspace.UserId,
                CreatedAt = now,
                LastUsedAt = now,
            };
            db.Assets.Add(asset);
            await db.SaveChangesAsync(cancellationToken);
            return asset;
        }
        finally
        {
            folders.Delete(folder);
        }
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; -1 when the source holds more.</summary>
    private static async Task<long> CopyLimitedAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return -1;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }
}
