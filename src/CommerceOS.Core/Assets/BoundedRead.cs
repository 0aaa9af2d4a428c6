namespace CommerceOS.Core.Assets;

/// <summary>Reads an untrusted request body into memory without ever holding more than the limit.</summary>
public static class BoundedRead
{
    /// <returns>The bytes, or null when the stream holds more than <paramref name="limit"/> bytes.</returns>
    public static async Task<byte[]?> ReadAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
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
