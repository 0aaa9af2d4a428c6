using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Images;

/// <summary>
/// Fetches a result image right away (vendor URLs expire in minutes). Uses a client that carries no
/// vendor key: signed delivery URLs need none, and they may live on another company's host.
/// </summary>
internal static class ImageDownloader
{
    /// <summary>Results are a few MB; anything far larger is not an image we asked for.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public static async Task<(byte[] Bytes, string ContentType)> DownloadAsync(HttpClient client, string? url, string vendor, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        byte[] bytes;
        if (url is not null && url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            // fal answers with data: URIs in sync mode; nothing to fetch.
            bytes = DecodeDataUri(url, vendor);
        }
        else
        {
            var uri = ProviderHttp.VendorUrl(url, vendor, "result URL");
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await ProviderHttp.SendAsync(client, request, vendor, "result download", cancellationToken);
            ProviderHttp.EnsureDelivered(response, vendor, timeProvider);
            try
            {
                bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw new ProviderException(ProviderFailure.Transient, $"{vendor} result download broke off: {ex.Message}", inner: ex);
            }
        }

        var contentType = ImageFormats.Sniff(bytes)
            ?? throw new ProviderException(ProviderFailure.Transient, $"{vendor} result is not a PNG, JPEG or WebP image ({bytes.Length} bytes).");
        return (bytes, contentType);
    }

    private static byte[] DecodeDataUri(string url, string vendor)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} returned a data: URI that is not base64.");
        }

        try
        {
            return Convert.FromBase64String(url[(comma + 1)..]);
        }
        catch (FormatException ex)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} returned a data: URI with invalid base64.", inner: ex);
        }
    }
}

/// <summary>Content type from magic bytes: we never trust a vendor's header for what we store.</summary>
internal static class ImageFormats
{
    public static string? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }
}
