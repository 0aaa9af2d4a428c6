using System.Net;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Generation;
using CommerceOS.Connectors.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CommerceOS.Connectors.Images;

/// <summary>
/// HTTP plumbing shared by the FLUX and fal adapters: the retry pipeline, sending, reading JSON,
/// and mapping what is left after retries to <see cref="ProviderFailure"/>.
/// </summary>
internal static class ProviderHttp
{
    private const int MaxDetailLength = 400;

    /// <summary>Keys only travel over TLS; plain HTTP is accepted for loopback fakes and tests.</summary>
    public static bool IsAllowedScheme(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    /// <summary>A URL the vendor handed us (polling URL, result URL): used verbatim, but never over plain HTTP.</summary>
    public static Uri VendorUrl(string? value, string vendor, string what)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !IsAllowedScheme(uri))
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} returned no usable {what} (an absolute https URL was expected).");
        }

        return uri;
    }

    /// <summary>
    /// The resilience pipeline of every provider client. Not the stock standard handler, because it
    /// would retry the non-idempotent submit POST after a 5xx or a timeout (a second paid task) and
    /// would sleep through any Retry-After however long; everything else is the same recipe:
    /// jittered exponential back-off honouring Retry-After, then a per-attempt timeout.
    /// </summary>
    public static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, RemoteProviderOptions options, TimeProvider timeProvider) =>
        VendorRetry.Configure(builder, options.MaxRetries, options.RetryBaseDelay, options.AttemptTimeout, timeProvider, (outcome, context) => ShouldRetry(outcome, context, options, timeProvider));

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, RemoteProviderOptions options, TimeProvider timeProvider)
    {
        var method = context.GetRequestMessage()?.Method ?? outcome.Result?.RequestMessage?.Method;
        var idempotent = method == HttpMethod.Get;
        if (outcome.Result is { } response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // A 429 means nothing was created, so even the submit may go again; a long wait is
                // not slept here but handed to the job as RateLimited.
                var wait = RetryAfter(response, timeProvider);
                return wait is null || wait <= options.MaxRetryAfter;
            }

            if (!idempotent || VendorRetryable(response) == false)
            {
                return false;
            }

            return response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;
        }

        // A POST that failed on the wire or timed out may have created the task: never repeat it.
        return idempotent && outcome.Exception is HttpRequestException or TimeoutRejectedException;
    }

    /// <summary>fal's <c>X-Fal-Retryable</c> / <c>X-Fal-Needs-Retry</c> (the docs use both names).</summary>
    public static bool? VendorRetryable(HttpResponseMessage response)
    {
        foreach (var name in (string[])["X-Fal-Retryable", "X-Fal-Needs-Retry"])
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                var value = values.FirstOrDefault()?.Trim();
                if (value is not null)
                {
                    if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }

                    if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" || value.Equals("no", StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Retry-After as seconds or as an HTTP date (relative to the injected clock).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider) => VendorRetry.RetryAfter(response, timeProvider);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Sends through the pipeline; wire failures left after retries become <c>Transient</c>.</summary>
    /// <param name="completion">Headers only for a large download that is streamed to disk.</param>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        HttpRequestMessage request,
        string vendor,
        string what,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await client.SendAsync(request, completion, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException or BrokenCircuitException or IOException)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} {what} failed: {ex.Message}", inner: ex);
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string vendor, string what, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ProviderException(ProviderFailure.Transient, $"{vendor} {what} returned JSON that is not an object.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderFailure.Transient, $"{vendor} {what} returned malformed JSON.", inner: ex);
        }
    }

    public static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            return "";
        }
    }

    public static string? GetString(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? GetInt64(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    /// <summary>
    /// A readable reason from an error body: FastAPI's <c>detail</c> (a string or a list of
    /// <c>{loc, msg, type}</c>), else <c>message</c>/<c>error</c>/<c>error.message</c>. The echoed <c>input</c> is left out
    /// on purpose: it may hold the base64 image.
    /// </summary>
    public static string ErrorDetail(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "no details";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("detail", out var detail))
                {
                    if (detail.ValueKind == JsonValueKind.String)
                    {
                        return Truncate(detail.GetString() ?? "");
                    }

                    if (detail.ValueKind == JsonValueKind.Array)
                    {
                        var parts = new List<string>();
                        foreach (var item in detail.EnumerateArray())
                        {
                            var msg = item.GetString("msg") ?? item.GetString("message") ?? item.GetString("type") ?? "invalid";
                            var location = item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array
                                ? string.Join('.', loc.EnumerateArray().Select(l => l.ToString()))
                                : null;
                            parts.Add(location is { Length: > 0 } ? $"{location}: {msg}" : msg);
                        }

                        return Truncate(string.Join("; ", parts));
                    }
                }

                // Google's envelope nests it: {"error": {"code", "message", "status"}}.
                var nested = root.TryGetProperty("error", out var error) ? error.GetString("message") : null;
                if ((root.GetString("message") ?? root.GetString("error") ?? nested) is { } message)
                {
                    return Truncate(message);
                }
            }

            return "no details";
        }
        catch (JsonException)
        {
            // HTML error pages and the like: the start is enough to recognise them.
            return Truncate(body.Trim());
        }
    }

    /// <summary>Whether a FastAPI error body lists a detail of the given <c>type</c>.</summary>
    public static bool HasDetailType(string body, string type)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("detail", out var detail)
                && detail.ValueKind == JsonValueKind.Array
                && detail.EnumerateArray().Any(item => string.Equals(item.GetString("type"), type, StringComparison.Ordinal));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The status codes every vendor uses the same way.</summary>
    public static ProviderException FailureFromStatus(HttpResponseMessage response, string body, string vendor, string what, string keySetting, TimeProvider timeProvider)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            401 or 403 => new ProviderException(ProviderFailure.Misconfigured, $"{vendor} refused the API key ({status}) on {what}: check {keySetting}. {ErrorDetail(body)}"),
            402 => new ProviderException(ProviderFailure.InsufficientCredits, $"{vendor} account has no credits left (402): {ErrorDetail(body)}"),
            429 => new ProviderException(ProviderFailure.RateLimited, $"{vendor} is rate limiting ({what}, 429): {ErrorDetail(body)}", RetryAfter(response, timeProvider)),
            400 or 422 => new ProviderException(ProviderFailure.Rejected, $"{vendor} rejected the request ({status}): {ErrorDetail(body)}"),
            _ => new ProviderException(ProviderFailure.Transient, $"{vendor} {what} answered {status}: {ErrorDetail(body)}", RetryAfter(response, timeProvider)),
        };
    }

    /// <summary>
    /// The answer of a result download that brought no file: signed URLs answer 403 (expired signature) or 404/410 once
    /// the file is gone, which is <see cref="ProviderFailure.ResultExpired"/>; anything else left after the pipeline's own
    /// retries of 429/5xx is passed on to be tried later. The URL itself is never quoted: its query may be a signature.
    /// </summary>
    public static void EnsureDelivered(HttpResponseMessage response, string vendor, TimeProvider timeProvider)
    {
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new ProviderException(
                ProviderFailure.ResultExpired,
                $"{vendor} result URL expired before it could be downloaded ({(int)response.StatusCode}); the task is spent, generate again.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var failure = response.StatusCode == HttpStatusCode.TooManyRequests ? ProviderFailure.RateLimited : ProviderFailure.Transient;
            throw new ProviderException(failure, $"{vendor} result download answered {(int)response.StatusCode}.", RetryAfter(response, timeProvider));
        }
    }

    /// <summary>
    /// Polls until <paramref name="pollOnce"/> returns a value or the configured deadline passes.
    /// A fresh task waits one interval first (nothing is ready instantly); a resumed one is polled at once.
    /// </summary>
    public static async Task<T> PollAsync<T>(
        Func<CancellationToken, Task<T?>> pollOnce,
        bool waitFirst,
        RemoteProviderOptions options,
        TimeProvider timeProvider,
        string vendor,
        string taskId,
        CancellationToken cancellationToken)
        where T : class
    {
        var deadline = timeProvider.GetUtcNow() + options.Timeout;
        if (waitFirst)
        {
            await Task.Delay(Min(options.PollInterval, options.Timeout), timeProvider, cancellationToken);
        }

        while (true)
        {
            if (await pollOnce(cancellationToken) is { } result)
            {
                return result;
            }

            var remaining = deadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new ProviderException(
                    ProviderFailure.Timeout,
                    $"{vendor} task {taskId} did not finish within {options.Timeout}; it may still complete, and a retry resumes it.");
            }

            await Task.Delay(Min(options.PollInterval, remaining), timeProvider, cancellationToken);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public static string Truncate(string value) => value.Length <= MaxDetailLength ? value : string.Concat(value.AsSpan(0, MaxDetailLength), "…");
}
