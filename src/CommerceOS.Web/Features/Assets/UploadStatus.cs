using CommerceOS.Core.Assets;

namespace CommerceOS.Web.Features.Assets;

/// <summary>The HTTP status for a refused upload, the same for pages and the API.</summary>
public static class UploadStatus
{
    public static int For(UploadError error) => error switch
    {
        UploadError.TooLarge => StatusCodes.Status413PayloadTooLarge,
        UploadError.UnsupportedType => StatusCodes.Status415UnsupportedMediaType,
        UploadError.Empty or UploadError.TooManyPixels or UploadError.Corrupt => StatusCodes.Status422UnprocessableEntity,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
