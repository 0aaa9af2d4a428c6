using System.Net;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Video;

/// <summary>
/// Streams a finished clip to disk: never held in memory, capped in size, and kept only when its magic bytes say MP4.
/// The result URL is never logged or quoted (its query may be a signature).
/// </summary>
internal static class VideoDownloader
{
    /// <summary>A 10 s 1080p clip is tens of MB; far more is not a clip we asked for.</summary>
    public const long MaxBytes = 200L * 1024 * 1024;

    /// <summary>GET <paramref name="uri"/> on a client that carries no key, following its redirects.</summary>
    public static async Task<long> DownloadAsync(HttpClient client, Uri uri, string path, string vendor, TimeSpan bodyTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await ProviderHttp.SendAsync(client, request, vendor, "result download", cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        return await SaveAsync(response, path, vendor, bodyTimeout, timeProvider, cancellationToken);
    }

    /// <summary>
    /// A download that needs the vendor key on its first hop (Veo's files endpoint, section 4.3): the keyed client never
    /// follows a redirect, so a redirect is followed here on the key-less client, and the key never reaches the storage
    /// host the vendor sends us to.
    /// </summary>
    public static async Task<long> DownloadWithKeyAsync(
        HttpClient keyedClient,
        HttpClient deliveryClient,
        Func<HttpRequestMessage> keyedRequest,
        string path,
        string vendor,
        TimeSpan bodyTimeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var request = keyedRequest();
        using var response = await ProviderHttp.SendAsync(keyedClient, request, vendor, "result download", cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        if (!IsRedirect(response.StatusCode))
        {
            return await SaveAsync(response, path, vendor, bodyTimeout, timeProvider, cancellationToken);
        }

        var location = response.Headers.Location;
        var target = location is null ? null : location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
        return await DownloadAsync(deliveryClient, ProviderHttp.VendorUrl(target?.AbsoluteUri, vendor, "redirect of the result URL"), path, vendor, bodyTimeout, timeProvider, cancellationToken);
    }

    /// <summary>Writes the body of a result download to <paramref name="path"/>; a refused download leaves no file.</summary>
    public static async Task<long> SaveAsync(HttpResponseMessage response, string path, string vendor, TimeSpan bodyTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (IsRedirect(response.StatusCode))
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} result download was redirected again ({(int)response.StatusCode}); only one redirect is followed.");
        }

        ProviderHttp.EnsureDelivered(response, vendor, timeProvider);
        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            throw TooLarge(vendor);
        }

        // The pipeline's attempt timeout ends with the headers; the body of a large clip gets its own deadline.
        using var deadline = new CancellationTokenSource(bodyTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await using var source = await response.Content.ReadAsStreamAsync(linked.Token);
            return await WriteAsync(source, path, vendor, linked.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} result download did not finish within {bodyTimeout}.", inner: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} result download broke off: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Writes a clip that arrived inline (base64 in the vendor's answer).</summary>
    public static async Task<long> SaveBytesAsync(byte[] clip, string path, string vendor, CancellationToken cancellationToken)
    {
        if (clip.Length > MaxBytes)
        {
            throw TooLarge(vendor);
        }

        using var source = new MemoryStream(clip, writable: false);
        return await WriteAsync(source, path, vendor, cancellationToken);
    }

    /// <summary>An MP4 (ISO base media) file opens with a box whose type, at bytes 4-7, is <c>ftyp</c>.</summary>
    public static bool IsMp4(ReadOnlySpan<byte> head) => head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8);

    private static async Task<long> WriteAsync(Stream source, string path, string vendor, CancellationToken cancellationToken)
    {
        var kept = false;
        try
        {
            long total = 0;
            var head = new byte[8];
            var buffer = new byte[81920];
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    if (total < head.Length)
                    {
                        buffer.AsSpan(0, (int)Math.Min(read, head.Length - total)).CopyTo(head.AsSpan((int)total));
                    }

                    total += read;
                    if (total > MaxBytes)
                    {
                        throw TooLarge(vendor);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (!IsMp4(head))
            {
                throw new ProviderException(ProviderFailure.Transient, $"{vendor} result is not an MP4 file ({total} bytes).");
            }

            kept = true;
            return total;
        }
        finally
        {
            if (!kept)
            {
                File.Delete(path);
            }
        }
    }

    private static ProviderException TooLarge(string vendor) =>
        new(ProviderFailure.Rejected, $"{vendor} result is larger than {MaxBytes / (1024 * 1024)} MB; it is not kept.");

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;
}
