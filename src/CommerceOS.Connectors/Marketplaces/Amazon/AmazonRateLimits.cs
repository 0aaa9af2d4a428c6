using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Amazon;

/// <summary>
/// One token bucket per seller (Amazon meters the usage plan per selling partner and operation; §8.3 gives 5 requests
/// per second, burst 10 for each operation we call), shared by every publisher call of the process. Not the BCL's
/// <c>TokenBucketRateLimiter</c>: it refills from the wall clock even when replenished by hand, so it cannot run on the
/// injected <see cref="TimeProvider"/> that tests step.
/// </summary>
// UNCONFIRMED: that the plan is metered per seller (rather than per app and seller pair) is our reading of §8.3.
internal sealed class AmazonRateLimits(TimeProvider timeProvider, IOptions<AmazonOptions> options) : IDisposable
{
    /// <summary>Set on a request that counts against a seller's plan (the LWA token call does not).</summary>
    public static readonly HttpRequestOptionsKey<string> Seller = new("commerceos.amazon.seller");

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Waits (on the injected clock) until the seller's bucket holds a token, and takes it.</summary>
    public Task AcquireAsync(string sellerId, CancellationToken cancellationToken)
    {
        Bucket bucket;
        lock (_lock)
        {
            if (!_buckets.TryGetValue(sellerId, out bucket!))
            {
                var rate = options.Value.RequestsPerSecond > 0 ? options.Value.RequestsPerSecond : 5;
                bucket = new Bucket(rate, Math.Max(1, options.Value.Burst), timeProvider);
                _buckets[sellerId] = bucket;
            }
        }

        return bucket.TakeAsync(cancellationToken);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var bucket in _buckets.Values)
            {
                bucket.Dispose();
            }

            _buckets.Clear();
        }
    }

    /// <summary>
    /// Starts full (the burst), refills <c>rate</c> tokens a second up to the burst. Callers take turns, so the one that
    /// waited longest goes first.
    /// </summary>
    private sealed class Bucket(double rate, int burst, TimeProvider time) : IDisposable
    {
        /// <summary>Refill arithmetic in doubles lands a hair under a whole token after exactly one period.</summary>
        private const double Tolerance = 1e-9;

        private readonly SemaphoreSlim _turn = new(1, 1);
        private double _tokens = burst;
        private long _stamp = time.GetTimestamp();

        public async Task TakeAsync(CancellationToken cancellationToken)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                while (true)
                {
                    var now = time.GetTimestamp();
                    _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_stamp, now).TotalSeconds * rate));
                    _stamp = now;
                    if (_tokens >= 1 - Tolerance)
                    {
                        _tokens = Math.Max(0, _tokens - 1);
                        return;
                    }

                    var wait = TimeSpan.FromSeconds((1 - _tokens) / rate);
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1), time, cancellationToken);
                }
            }
            finally
            {
                _turn.Release();
            }
        }

        public void Dispose() => _turn.Dispose();
    }
}

/// <summary>
/// Takes a token before every attempt, so the resilience pipeline's retries (it sits outside this handler) are
/// metered too.
/// </summary>
internal sealed class AmazonRateLimitHandler(AmazonRateLimits limits) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(AmazonRateLimits.Seller, out var seller))
        {
            await limits.AcquireAsync(seller, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
