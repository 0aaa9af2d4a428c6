using System.Net;
using CommerceOS.Connectors.Http;
using Polly;
using Polly.Timeout;

namespace CommerceOS.Connectors.DeepL;

/// <summary>The retry pipeline of the DeepL client.</summary>
internal static class DeepLHttp
{
    /// <summary>external-apis.md §6.4: 529 is DeepL's "too many requests / high load".</summary>
    public const HttpStatusCode HighLoad = (HttpStatusCode)529;

    /// <summary>external-apis.md §6.4: 456 is the exhausted character quota.</summary>
    public const HttpStatusCode QuotaExceeded = (HttpStatusCode)456;

    public static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, DeepLOptions options, TimeProvider timeProvider) =>
        VendorRetry.Configure(builder, options.MaxRetries, options.RetryBaseDelay, options.AttemptTimeout, timeProvider, (outcome, context) => ShouldRetry(outcome, context, options, timeProvider));

    /// <summary>
    /// Translating is a pure function, so a translate call is repeated after 5xx and timeouts (DeepL's
    /// advice, external-apis.md §6.4). Creating a glossary is not: after a 5xx it may exist, so only a
    /// 429/529 (nothing created) repeats it. 456 and other 4xx never repeat.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, DeepLOptions options, TimeProvider timeProvider)
    {
        var request = context.GetRequestMessage() ?? outcome.Result?.RequestMessage;
        var createsSomething = request?.Method == HttpMethod.Post
            && request.RequestUri?.AbsolutePath.EndsWith("/glossaries", StringComparison.Ordinal) == true;
        if (outcome.Result is { } response)
        {
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HighLoad)
            {
                var wait = RetryAfter(response, timeProvider);
                return wait is null || wait <= options.MaxRetryAfter;
            }

            return !createsSomething && response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout;
        }

        return !createsSomething && outcome.Exception is HttpRequestException or TimeoutRejectedException;
    }

    /// <summary>Retry-After as seconds or as an HTTP date (measured on the injected clock).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider) => VendorRetry.RetryAfter(response, timeProvider);
}
