namespace CommerceOS.Core.Assets;

/// <summary>
/// The first steps every untrusted image body takes, for uploads and for the compliance check alike:
/// read into memory without ever holding more than the limit, refuse empty bodies, and turn a decoder's
/// <see cref="ImageRejectedException"/> into the refusal the seller reads.
/// </summary>
public static class UntrustedUpload
{
    /// <returns>The bytes, or the refusal (too large, empty) with the arguments of its message.</returns>
    public static async Task<(byte[]? Data, UploadRejection? Rejection)> ReadAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var data = await ReadWithLimitAsync(stream, limit, cancellationToken);
        if (data is null)
        {
            return (null, new UploadRejection(UploadError.TooLarge, [Math.Round(limit / (1024d * 1024d), 1)]));
        }

        return data.Length == 0 ? (null, new UploadRejection(UploadError.Empty, [])) : (data, null);
    }

    /// <summary>The refusal for an image the header checks or the decoder turned down.</summary>
    public static UploadRejection Rejection(ImageRejectedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Error == UploadError.TooManyPixels
            ? new UploadRejection(exception.Error, [ImageLimits.MaxPixels / 1_000_000, ImageLimits.MaxSide])
            : new UploadRejection(exception.Error, []);
    }

    /// <returns>The bytes, or null when the stream holds more than <paramref name="limit"/> bytes.</returns>
    private static async Task<byte[]?> ReadWithLimitAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        if (stream.CanSeek && stream.Length - stream.Position > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
