using System.Collections.Concurrent;

namespace CommerceOS.Connectors.Tests.Support;

/// <summary>
/// Real time, run <see cref="Speed"/> times faster: the adapters' waits (poll interval, back-off,
/// Retry-After, deadline) keep their production values yet take milliseconds. Every requested wait
/// is recorded, so tests can check that a Retry-After was honoured to the second.
/// </summary>
public sealed class TestClock(double speed = 100) : TimeProvider
{
    private readonly DateTimeOffset _start = TimeProvider.System.GetUtcNow();
    private readonly long _startTimestamp = TimeProvider.System.GetTimestamp();

    public double Speed { get; } = speed;

    public ConcurrentQueue<TimeSpan> RequestedWaits { get; } = new();

    public override DateTimeOffset GetUtcNow() => _start + TimeProvider.System.GetElapsedTime(_startTimestamp) * Speed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new ScaledTimer(this, TimeProvider.System.CreateTimer(callback, state, Scale(dueTime), Scale(period)));
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            RequestedWaits.Enqueue(dueTime);
        }
    }

    private TimeSpan Scale(TimeSpan value) => value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : value / Speed;

    private sealed class ScaledTimer(TestClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Record(dueTime);
            return inner.Change(clock.Scale(dueTime), clock.Scale(period));
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
