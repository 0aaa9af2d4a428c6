using System.Collections.Concurrent;

namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>
/// Reuse of the cut-out's per-pixel planes, by exact length. One photo at a 2400 px working size went through
/// about 160 MB of them, all on the large-object heap: allocated afresh per photo, two workers piled up gigabytes
/// of garbage before a gen-2 collection returned it (peak RSS about 1 GB in bench/image-pipeline.sh), and paid
/// for zeroing and page faults on every photo. A batch is mostly one camera's size, so exact lengths hit; what is
/// kept is bounded by <see cref="Budget"/>, a new size evicts the others, and an idle pool empties itself.
/// </summary>
internal static class Planes
{
    /// <summary>Enough for the planes two workers hold at once (under 80 MB each); more is dropped.</summary>
    public const long Budget = 192L << 20;

    /// <summary>Below this a plane is cheap to allocate and stays off the large-object heap anyway.</summary>
    private const int MinBytes = 64 << 10;

    private static readonly ConcurrentDictionary<(Type Type, int Length), ConcurrentBag<Array>> Free = new();
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(30);
    private static readonly Timer Sweeper = new(_ => SweepIfIdle(), null, Timeout.Infinite, Timeout.Infinite);
    private static long _bytes;
    private static long _lastUse;

    /// <summary>Bytes currently kept for reuse.</summary>
    public static long Kept => Interlocked.Read(ref _bytes);

    /// <summary>A plane of exactly <paramref name="length"/> elements; zeroed unless the caller overwrites all of it.</summary>
    public static T[] Rent<T>(int length, bool clear = true)
        where T : unmanaged
    {
        Volatile.Write(ref _lastUse, Environment.TickCount64);
        if (Free.TryGetValue((typeof(T), length), out var bag) && bag.TryTake(out var taken))
        {
            Interlocked.Add(ref _bytes, -SizeOf<T>(length));
            var array = (T[])taken;
            if (clear)
            {
                Array.Clear(array);
            }

            return array;
        }

        return clear ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Gives planes back; the caller must not touch them afterwards.</summary>
    public static void Return<T>(params ReadOnlySpan<T[]?> arrays)
        where T : unmanaged
    {
        foreach (var array in arrays)
        {
            if (array is null)
            {
                continue;
            }

            var size = SizeOf<T>(array.Length);
            if (size < MinBytes)
            {
                continue;
            }

            if (Interlocked.Add(ref _bytes, size) > Budget)
            {
                EvictOtherThan(typeof(T), array.Length);
                if (Interlocked.Read(ref _bytes) > Budget)
                {
                    Interlocked.Add(ref _bytes, -size);
                    continue;
                }
            }

            Free.GetOrAdd((typeof(T), array.Length), _ => []).Add(array);
        }

        Volatile.Write(ref _lastUse, Environment.TickCount64);
        Sweeper.Change(IdleAfter, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Drops everything kept (tests, and the idle sweep).</summary>
    public static void Clear() => EvictOtherThan(null, -1);

    private static void SweepIfIdle()
    {
        if (Environment.TickCount64 - Volatile.Read(ref _lastUse) >= IdleAfter.TotalMilliseconds)
        {
            Clear();
        }
        else
        {
            Sweeper.Change(IdleAfter, Timeout.InfiniteTimeSpan);
        }
    }

    private static void EvictOtherThan(Type? type, int length)
    {
        foreach (var (key, bag) in Free)
        {
            if (key.Type == type && key.Length == length)
            {
                continue;
            }

            while (bag.TryTake(out var dropped))
            {
                Interlocked.Add(ref _bytes, -(long)Buffer.ByteLength(dropped));
            }
        }
    }

    private static long SizeOf<T>(int length)
        where T : unmanaged => (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
