using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>
/// Procedural scene backgrounds, rendered and analysed once per process. A procedural scene is a pure
/// function of its parameters (scene id, fixed seed, mood, accent) and size, and rendering plus
/// analysis is most of a scene's cost (about 1.2 s of one core at 2000x2000), so a batch that puts a
/// thousand products on the same wooden desk renders the desk once. Entries hold 8-bit pixels and are
/// evicted least-recently-used past <see cref="MaxBytes"/>; every caller gets its own copy of the
/// pixels, so nothing native is shared between jobs.
/// </summary>
public sealed class SceneBackgroundCache(long maxBytes)
{
    /// <summary>The process-wide cache: about 20 backgrounds of 2000x2000.</summary>
    public static SceneBackgroundCache Shared { get; } = new(256L * 1024 * 1024);

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, LinkedListNode<Slot>> _slots = [];
    private readonly LinkedList<Slot> _recency = new();
    private long _bytes;

    private int _renders;

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Backgrounds rendered so far (a miss renders; concurrent requests for one key render once).</summary>
    public int Renders => Volatile.Read(ref _renders);

    /// <summary>The backdrop of <paramref name="parameters"/> at width x height as 8-bit sRGB, registered in <paramref name="s"/>, and its analysis.</summary>
    public (SceneBackdrop Backdrop, SceneAnalysis Analysis) Get(VipsScope s, SceneParameters parameters, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(parameters);
        var key = new Key(parameters, width, height);
        var slot = SlotFor(key);
        Entry entry;
        try
        {
            entry = slot.Value;
        }
        catch
        {
            // A failed render is not remembered: the next request tries again.
            Forget(key, slot);
            throw;
        }

        var image = s.Add(Image.NewFromMemoryCopy(entry.Pixels, width, height, 3, Enums.BandFormat.Uchar));
        var background = s.Add(image.Copy(interpretation: Enums.Interpretation.Srgb));
        return (entry.Backdrop.ToBackdrop(background), entry.Analysis);
    }

    private Lazy<Entry> SlotFor(Key key)
    {
        lock (_lock)
        {
            if (_slots.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Entry;
            }

            var slot = new Slot(key, new Lazy<Entry>(() => Render(key), LazyThreadSafetyMode.ExecutionAndPublication));
            _slots[key] = _recency.AddFirst(slot);
            _bytes += key.Bytes;
            // The newest slot always stays, so a request larger than the whole budget still renders once.
            while (_bytes > MaxBytes && _recency.Last is { } oldest && oldest != _recency.First)
            {
                _recency.RemoveLast();
                _slots.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Key.Bytes;
            }

            return slot.Entry;
        }
    }

    private void Forget(Key key, Lazy<Entry> slot)
    {
        lock (_lock)
        {
            if (_slots.TryGetValue(key, out var node) && node.Value.Entry == slot)
            {
                _recency.Remove(node);
                _slots.Remove(key);
                _bytes -= key.Bytes;
            }
        }
    }

    private Entry Render(Key key)
    {
        using var s = new VipsScope();
        var backdrop = ProceduralScenes.Render(s, key.Parameters, key.Width, key.Height);
        // Rendered once into memory: the analysis and the cached pixels both read it.
        var background = s.Add(Paint.ToUchar(s, backdrop.Image).CopyMemory());
        var analysis = SceneAnalyzer.Analyse(background);
        Interlocked.Increment(ref _renders);
        return new Entry(background.WriteToMemory<byte>(), Layout.Of(backdrop), analysis);
    }

    private readonly record struct Key(SceneParameters Parameters, int Width, int Height)
    {
        public long Bytes => 3L * Width * Height;
    }

    private sealed record Slot(Key Key, Lazy<Entry> Entry);

    private sealed record Entry(byte[] Pixels, Layout Backdrop, SceneAnalysis Analysis);

    /// <summary>A backdrop without its image: where the product stands and how the scene is lit.</summary>
    private sealed record Layout(double SurfaceY, double CenterX, double HeightShare, double LightX, double ShadowStrength, Rgb ShadowTint, double[] Temperature, double ReflectionOpacity)
    {
        public static Layout Of(SceneBackdrop b) =>
            new(b.SurfaceY, b.CenterX, b.HeightShare, b.LightX, b.ShadowStrength, b.ShadowTint, b.Temperature, b.ReflectionOpacity);

        public SceneBackdrop ToBackdrop(Image image) =>
            new(image, SurfaceY, CenterX, HeightShare, LightX, ShadowStrength, ShadowTint, Temperature, ReflectionOpacity);
    }
}
