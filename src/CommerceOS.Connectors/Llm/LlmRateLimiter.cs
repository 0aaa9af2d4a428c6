namespace CommerceOS.Connectors.Llm;

/// <summary>
/// One provider's budget in this process: at most <c>MaxConcurrency</c> requests in flight and at
/// most <c>RequestsPerMinute</c> started in any rolling 60 seconds. Callers wait for a slot rather
/// than fail (the provider would only answer 429), and the wait is cancellable. Time comes from the
/// injected <see cref="TimeProvider"/>, which System.Threading.RateLimiting's limiters do not take.
/// </summary>
public sealed class LlmRateLimiter : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _concurrency;
    private readonly Queue<DateTimeOffset> _starts = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _requestsPerMinute;

    public LlmRateLimiter(int requestsPerMinute, int maxConcurrency, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _requestsPerMinute = requestsPerMinute;
        _timeProvider = timeProvider;
        _concurrency = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <summary>Waits for a concurrency slot, then for room in the minute window; dispose the lease when the request ends.</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        // The concurrency slot first, so a request's start is stamped only when it can really go:
        // stamping while it still queues for a slot would bunch the starts into bursts.
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    var now = _timeProvider.GetUtcNow();
                    while (_starts.Count > 0 && now - _starts.Peek() >= Window)
                    {
                        _starts.Dequeue();
                    }

                    if (_starts.Count < _requestsPerMinute)
                    {
                        _starts.Enqueue(now);
                        return new Lease(this);
                    }

                    wait = _starts.Peek() + Window - now;
                }

                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), _timeProvider, cancellationToken);
            }
        }
        catch
        {
            _concurrency.Release();
            throw;
        }
    }

    public void Dispose() => _concurrency.Dispose();

    private sealed class Lease(LlmRateLimiter limiter) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter._concurrency.Release();
            }
        }
    }
}
