using System.Diagnostics.CodeAnalysis;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Assets;

/// <summary>
/// Accepts an image upload into the current workspace: size limit, magic-byte and header checks,
/// full decode and re-encode (metadata stripped), then stores only the re-encoded bytes, adds the
/// <see cref="Asset"/> and schedules its thumbnail in one SaveChanges. A refused upload writes
/// nothing: no row, no blob.
/// </summary>
public sealed class UploadAsset(
    AppDbContext db,
    WorkspaceContext workspace,
    IImageProcessor images,
    IBlobStore blobs,
    IJobScheduler jobs,
    TimeProvider time,
    IOptions<AssetsOptions> options)
{
    public const string Source = "upload";

    /// <param name="Content">The uploaded bytes; read once, up to the size limit.</param>
    /// <param name="FileName">The uploader's file name, kept (sanitised) as metadata only.</param>
    /// <param name="ContentType">
    /// The type the client claimed. Advisory only: the magic bytes decide, and the stored type is the
    /// re-encoded one. Kept so callers can pass it through and logs can compare.
    /// </param>
    /// <param name="UserId">Uploader; defaults to the workspace context's user.</param>
    public sealed record Request(Stream Content, string? FileName, string? ContentType = null, Guid? UserId = null);

    public sealed record Response(Asset? Asset, Guid? ThumbnailJobId, UploadRejection? Rejection)
    {
        [MemberNotNullWhen(true, nameof(Asset))]
        [MemberNotNullWhen(false, nameof(Rejection))]
        public bool Succeeded => Asset is not null;
    }

    public async Task<Response> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        var workspaceId = workspace.RequiredWorkspaceId;
        var (data, refused) = await UntrustedUpload.ReadAsync(request.Content, options.Value.MaxUploadBytes, cancellationToken);
        if (data is null)
        {
            return new Response(null, null, refused);
        }

        EncodedImage encoded;
        try
        {
            // Reencode sniffs and checks the header limits before it decodes anything.
            encoded = images.Reencode(data);
        }
        catch (ImageRejectedException e)
        {
            return new Response(null, null, UntrustedUpload.Rejection(e));
        }

        StoredBlob blob;
        using (var content = new MemoryStream(encoded.Bytes, writable: false))
        {
            blob = await blobs.PutAsync(AssetBlobScope.For(workspaceId), content, cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var asset = new Asset
        {
            WorkspaceId = workspaceId,
            Kind = AssetKind.Upload,
            ContentType = encoded.ContentType,
            BlobKey = blob.Key,
            ByteSize = blob.Length,
            Width = encoded.Width,
            Height = encoded.Height,
            Sha256 = blob.Sha256,
            OriginalFileName = FileNameSanitizer.Sanitize(request.FileName),
            Source = Source,
            CreatedByUserId = request.UserId ?? workspace.UserId,
            CreatedAt = now,
            LastUsedAt = now,
        };
        db.Assets.Add(asset);
        var job = jobs.Schedule(ThumbnailJob.JobKind, workspaceId, asset.Id, createdByUserId: asset.CreatedByUserId);

        // If this fails the blob stays: it is content-addressed and may already back another asset,
        // so deleting it here could break a concurrent upload of the same bytes. Unreferenced blobs
        // are left to the retention purge.
        await db.SaveChangesAsync(cancellationToken);
        return new Response(asset, job.Id, null);
    }
}
