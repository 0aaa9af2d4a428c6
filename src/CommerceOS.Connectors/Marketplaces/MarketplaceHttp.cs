using System.Net;
using System.Text.Json;
using CommerceOS.Connectors.Http;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace CommerceOS.Connectors.Marketplaces;

/// <summary>Settings every marketplace adapter shares (sections <c>Publishing:Shopify</c>, <c>Publishing:Amazon</c>, ...).</summary>
public abstract class MarketplaceOptions
{
    /// <summary>Deadline of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of one call that is safe to repeat (reads, PUT/DELETE, upserts; any call after a 429).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay; doubles with jitter when the platform gives no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A longer Retry-After is not slept in a worker: the call fails RateLimited and the job waits instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The HTTP plumbing of the marketplace adapters: one named client per platform that never follows redirects
/// (tokens travel in headers), retries what is safe to repeat, and maps what is left to <see cref="ProviderException"/>.
/// </summary>
internal static class MarketplaceHttp
{
    /// <summary>Set on a POST that is safe to repeat (an upsert by our idempotency key, a signed read).</summary>
    public static readonly HttpRequestOptionsKey<bool> Repeatable = new("commerceos.marketplace.repeatable");

    public static HttpRequestMessage AsRepeatable(this HttpRequestMessage request)
    {
        request.Options.Set(Repeatable, true);
        return request;
    }

    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/> and adds the named client.</summary>
    /// <param name="vendorVerdict">A vendor's own retry header (Stripe-Should-Retry): false stops a retry, true allows one of a repeatable call.</param>
    public static void AddClient<TOptions>(
        IServiceCollection services,
        Microsoft.Extensions.Configuration.IConfiguration configuration,
        string section,
        string clientName,
        Func<HttpResponseMessage, bool?>? vendorVerdict = null)
        where TOptions : MarketplaceOptions
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddHttpClient(clientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler(clientName, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                VendorRetry.Configure(builder, options.MaxRetries, options.RetryBaseDelay, options.AttemptTimeout, time, (outcome, ctx) => ShouldRetry(outcome, ctx, options, time, vendorVerdict));
            });
    }

    internal static bool ShouldRetry(
        Outcome<HttpResponseMessage> outcome,
        ResilienceContext context,
        MarketplaceOptions options,
        TimeProvider time,
        Func<HttpResponseMessage, bool?>? vendorVerdict = null)
    {
        var request = context.GetRequestMessage() ?? outcome.Result?.RequestMessage;
        var repeatable = request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
            || (request.Options.TryGetValue(Repeatable, out var marked) && marked));
        if (outcome.Result is { } response)
        {
            switch (vendorVerdict?.Invoke(response))
            {
                case false:
                    return false;
                case true when repeatable && !response.IsSuccessStatusCode:
                    return true;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Nothing was written: even a create may go again, but a long wait goes back to the job.
                var wait = VendorRetry.RetryAfter(response, time);
                return wait is null || wait <= options.MaxRetryAfter;
            }

            return repeatable && (response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500);
        }

        // A create that failed on the wire may have happened: only a repeatable call goes again.
        return repeatable && outcome.Exception is HttpRequestException or TimeoutRejectedException;
    }

    /// <summary>Sends through the pipeline; wire failures left after retries become Transient.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string vendor, string what, CancellationToken cancellationToken) =>
        ProviderHttp.SendAsync(client, request, vendor, what, cancellationToken);

    /// <summary>The body as a JSON object; anything else is Transient (a proxy's HTML page, a truncated body).</summary>
    public static Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string vendor, string what, CancellationToken cancellationToken) =>
        ProviderHttp.ReadJsonAsync(response, vendor, what, cancellationToken);

    /// <summary>
    /// Throws for the statuses every platform means the same way: 429 RateLimited (with Retry-After), 401/403
    /// Misconfigured, 408/5xx Transient. Other statuses are left to the adapter, whose body says more.
    /// </summary>
    public static void ThrowForTransport(HttpResponseMessage response, string vendor, string what, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ProviderException(ProviderFailure.RateLimited, $"{vendor} {what}: rate limited (429).", VendorRetry.RetryAfter(response, time));
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{vendor} {what}: the credentials were refused ({status}).");
        }

        if (response.StatusCode == HttpStatusCode.RequestTimeout || status >= 500)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} {what}: HTTP {status}.");
        }
    }

    /// <summary>Listing images are our own generated files, at most a marketplace's 20 MB; anything larger is refused before upload.</summary>
    public const long MaxImageBytes = 25_000_000;

    /// <summary>The image's bytes, for platforms that take uploads (the upload is repeated as a whole on retry, so it is buffered).</summary>
    public static async Task<byte[]> ReadImageAsync(Core.Publishing.ListingImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        await using var stream = await image.OpenAsync(cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxImageBytes)
        {
            throw new ProviderException(ProviderFailure.Rejected, $"Image {image.FileName} is {buffer.Length} bytes; uploads stop at {MaxImageBytes}.");
        }

        return buffer.ToArray();
    }

    /// <summary>A configured base URL: https, or http on loopback (fakes and tests).</summary>
    public static Uri BaseUri(string? value, string setting)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !ProviderHttp.IsAllowedScheme(uri))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"{setting} must be an absolute https URL.");
        }

        return uri;
    }
}
