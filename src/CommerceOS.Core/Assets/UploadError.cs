namespace CommerceOS.Core.Assets;

/// <summary>Why an upload was refused. Each value has a stable code (<see cref="UploadErrors.Code"/>) the web layer localizes.</summary>
public enum UploadError
{
    Empty = 0,
    TooLarge = 1,
    UnsupportedType = 2,
    TooManyPixels = 3,
    Corrupt = 4,
}

/// <summary>
/// A refused upload: the stable code and the arguments for its localized message
/// (<c>Resources/{culture}/Assets.json</c>, format items {0}, {1}).
/// </summary>
public sealed record UploadRejection(UploadError Error, IReadOnlyList<object> Arguments)
{
    public string Code => UploadErrors.Code(Error);
}

/// <summary>Codes of the asset failures that are not upload rejections (thumbnail job, downloads, listing).</summary>
public static class AssetErrorCodes
{
    public const string NotFound = "assets.not_found";
    public const string BlobMissing = "assets.blob_missing";
    public const string BlobCorrupt = "assets.blob_corrupt";
    public const string ThumbnailFailed = "assets.thumbnail_failed";
    public const string SearchTooLong = "assets.search_too_long";
    public const string DateRangeInvalid = "assets.date_range_invalid";
}

public static class UploadErrors
{
    public static string Code(UploadError error) => error switch
    {
        UploadError.Empty => "assets.upload_empty",
        UploadError.TooLarge => "assets.upload_too_large",
        UploadError.UnsupportedType => "assets.upload_unsupported_type",
        UploadError.TooManyPixels => "assets.upload_too_many_pixels",
        UploadError.Corrupt => "assets.upload_corrupt",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}

/// <summary>
/// Thrown by <see cref="IImageProcessor"/> when the input is not an acceptable image. It carries no
/// user-facing text; <see cref="Detail"/> is for logs only (it may quote the decoder).
/// </summary>
public sealed class ImageRejectedException(UploadError error, string detail) : Exception(detail)
{
    public UploadError Error { get; } = error;

    public string Detail { get; } = detail;
}
