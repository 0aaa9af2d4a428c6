using System.Collections.Concurrent;

namespace CommerceOS.Web.Features.Accounts;

/// <summary>
/// Per-account failed sign-in budget, checked before any password hashing: at most
/// <see cref="MaxFailuresPerHour"/> failures per account per hour (ASVS 4.0.3 2.2.1: at most 100),
/// answered with 429. Identity's lockout (5 failures, 1 minute) works underneath. In-process, like
/// ASP.NET's rate limiter: each node keeps its own budget.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailuresPerHour = 50;

    private readonly ConcurrentDictionary<string, Queue<DateTime>> _failures = new(StringComparer.Ordinal);

    public bool IsBlocked(string normalizedEmail, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_failures.TryGetValue(normalizedEmail, out var queue))
        {
            return false;
        }

        lock (queue)
        {
            Trim(queue);
            if (queue.Count < MaxFailuresPerHour)
            {
                return false;
            }

            retryAfter = queue.Peek().AddHours(1) - time.GetUtcNow().UtcDateTime;
            return true;
        }
    }

    public void RecordFailure(string normalizedEmail)
    {
        var queue = _failures.GetOrAdd(normalizedEmail, _ => new Queue<DateTime>());
        lock (queue)
        {
            Trim(queue);
            queue.Enqueue(time.GetUtcNow().UtcDateTime);
        }
    }

    public void Reset(string normalizedEmail) => _failures.TryRemove(normalizedEmail, out _);

    private void Trim(Queue<DateTime> queue)
    {
        var horizon = time.GetUtcNow().UtcDateTime.AddHours(-1);
        while (queue.Count > 0 && queue.Peek() < horizon)
        {
            queue.Dequeue();
        }
    }
}
