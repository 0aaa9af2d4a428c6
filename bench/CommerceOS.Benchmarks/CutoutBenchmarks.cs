using BenchmarkDotNet.Attributes;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging.Cutout;
using CommerceOS.Tests.Imaging.Cutout;
using NetVips;

namespace CommerceOS.Benchmarks;

/// <summary>
/// Local cut-out of a 4000x3000 JPEG (q90) seller photo at the default working size (<see cref="CommerceOS.Core.Generation.ICutoutEngine.WorkingSide"/>), on one core
/// (libvips limited to one thread): the whole <see cref="LocalCutoutEngine.Cut"/> call, and, for scale,
/// the decode and shrink alone that it starts with. The photo is the test set's bottle on a gradient
/// backdrop with a cast shadow, rendered at full size.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class CutoutBenchmarks
{
    private readonly LocalCutoutEngine _engine = new();
    private byte[] _jpeg = [];

    [GlobalSetup]
    public void Setup()
    {
        NetVips.NetVips.Concurrency = 1;
        _jpeg = CutoutTestSet.Render(8, width: 4000, height: 3000, jpegQuality: 90).Jpeg;
    }

    [Benchmark(Baseline = true)]
    public int DecodeAndShrink()
    {
        using var image = Image.ThumbnailBuffer(_jpeg, ICutoutEngine.WorkingSide, height: ICutoutEngine.WorkingSide, size: Enums.Size.Down);
        return image.WriteToMemory<byte>().Length;
    }

    [Benchmark]
    public int Cut() => _engine.Cut(_jpeg).Bounds.Width;
}
