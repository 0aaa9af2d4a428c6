using System.Net.Http.Headers;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Assets;

/// <summary><c>/api/v1/assets/{id}/content</c>: the decrypted image bytes (original or thumbnail).</summary>
public static class AssetsEndpoints
{
    public const string Thumbnail = "thumbnail";

    public static RouteGroupBuilder MapAssetsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/assets").WithTags("Assets")
            .MapGet("/{id:guid}/content", GetContentAsync);
        return api;
    }

    /// <summary>
    /// Served as a download-safe image: the stored (re-encoded) type, <c>nosniff</c>, a sandboxing CSP
    /// (the <c>content</c> header policy in SecurityExtensions)
    /// and an RFC 6266 file name; <c>inline</c> by default, <c>attachment</c> with <c>?download=true</c>.
    /// Marks the asset used (<see cref="Asset.LastUsedAt"/>) for retention, at most once a day.
    /// </summary>
    private static async Task<Results<FileContentHttpResult, JsonHttpResult<ProblemDetails>>> GetContentAsync(
        Guid id,
        string? variant,
        bool? download,
        AppDbContext db,
        IBlobStore blobs,
        TimeProvider time,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var thumbnail = string.Equals(variant, Thumbnail, StringComparison.OrdinalIgnoreCase);
        if (variant is not null && !thumbnail && !string.Equals(variant, "original", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Invalid(context, "variant", Catalog.CatalogEndpoints.InvalidValue);
        }

        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (asset is null)
        {
            return ApiProblems.NotFound(context);
        }

        var key = thumbnail ? asset.ThumbnailBlobKey : asset.BlobKey;
        if (key is null)
        {
            return ApiProblems.Problem(context, StatusCodes.Status404NotFound, AssetErrorCodes.BlobMissing);
        }

        byte[] bytes;
        try
        {
            await using var stream = await blobs.OpenReadAsync(key, cancellationToken);
            if (stream is null)
            {
                return ApiProblems.Problem(context, StatusCodes.Status404NotFound, AssetErrorCodes.BlobMissing);
            }

            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }
        catch (BlobIntegrityException)
        {
            return ApiProblems.Problem(context, StatusCodes.Status500InternalServerError, AssetErrorCodes.BlobCorrupt);
        }

        await db.MarkUsedAsync(time, id, cancellationToken);

        var contentType = thumbnail ? SniffImageType(bytes) ?? asset.ContentType : asset.ContentType;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentDisposition = ContentDisposition(download == true, FileName(asset, contentType, thumbnail));
        // Ranges let a player seek in a video without fetching it again.
        return TypedResults.File(bytes, contentType, enableRangeProcessing: contentType.StartsWith("video/", StringComparison.Ordinal) || contentType.StartsWith("audio/", StringComparison.Ordinal));
    }

    /// <summary>RFC 6266: an ASCII fallback <c>filename</c> plus the UTF-8 <c>filename*</c> (RFC 8187).</summary>
    internal static string ContentDisposition(bool attachment, string fileName)
    {
        var ascii = new string(fileName.Select(c => c is >= ' ' and < (char)127 and not '"' and not '\\' ? c : '_').ToArray());
        var header = new ContentDispositionHeaderValue(attachment ? "attachment" : "inline")
        {
            FileName = $"\"{ascii}\"",
            FileNameStar = fileName,
        };
        return header.ToString();
    }

    private static string FileName(Asset asset, string contentType, bool thumbnail)
    {
        var extension = contentType switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "image/webp" => ".webp",
            "image/gif" => ".gif",
            "video/mp4" => ".mp4",
            "audio/mp4" => ".m4a",
            "application/x-subrip" => ".srt",
            "text/vtt" => ".vtt",
            _ => "",
        };
        var stem = string.IsNullOrWhiteSpace(asset.OriginalFileName)
            ? asset.Id.ToString("N")
            : Path.GetFileNameWithoutExtension(asset.OriginalFileName);
        return thumbnail ? $"{stem}-thumbnail{extension}" : stem + extension;
    }

    internal static string? SniffImageType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'G', (byte)'I', (byte)'F', ..] => "image/gif",
        _ => null,
    };
}
