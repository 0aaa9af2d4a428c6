using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CommerceOS.Connectors.Http;

/// <summary>
/// The resilience recipe every vendor client shares: jittered exponential back-off whose delay is the vendor's
/// Retry-After when it sends one (measured on the injected clock, so tests can step time), then a per-attempt
/// timeout. What may be repeated is the vendor's own decision (a paid submit or a create call is not always safe to
/// repeat), so each adapter passes its rule.
/// </summary>
internal static class VendorRetry
{
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        int maxRetries,
        TimeSpan baseDelay,
        TimeSpan attemptTimeout,
        TimeProvider timeProvider,
        Func<Outcome<HttpResponseMessage>, ResilienceContext, bool> shouldRetry)
    {
        builder.TimeProvider = timeProvider;
        if (maxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                // Our own generator: Retry-After measured against the injected clock.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, timeProvider) : null),
                ShouldHandle = args => ValueTask.FromResult(shouldRetry(args.Outcome, args.Context)),
            });
        }

        builder.AddTimeout(attemptTimeout);
    }

    /// <summary>Retry-After as seconds or as an HTTP date (measured on the injected clock); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
