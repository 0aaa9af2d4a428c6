using CommerceOS.Connectors.Images;

namespace CommerceOS.Connectors.Tests.Images;

public sealed class FluxDimensionsTests
{
    [Theory]
    [InlineData(1024, 1024, 1024, 1024)]
    [InlineData(2000, 2000, 1440, 1440)] // Amazon's main image: generated at the cap, upscaled locally
    [InlineData(2000, 1500, 1440, 1088)]
    [InlineData(800, 800, 800, 800)]
    [InlineData(1000, 1000, 992, 992)]
    [InlineData(100, 100, 256, 256)] // grown to the minimum
    [InlineData(1920, 1080, 1440, 800)] // 16:9 -> 1440x810 -> nearest multiples of 32
    [InlineData(100, 1000, 256, 1440)] // 1:10 cannot keep its ratio inside the box: clamped
    public void Fit_StaysInTheBox_InMultiplesOf32_KeepingTheAspect(int width, int height, int expectedWidth, int expectedHeight)
    {
        var (w, h) = FluxDimensions.Fit(width, height);

        Assert.Equal((expectedWidth, expectedHeight), (w, h));
        Assert.Equal(0, w % 32);
        Assert.Equal(0, h % 32);
    }

    [Fact]
    public void Fit_KeepsTheAspectWithinRoundingForCommonRatios()
    {
        foreach (var (width, height) in new[] { (3000, 2000), (1200, 1600), (1080, 1920), (2560, 1440), (600, 900) })
        {
            var (w, h) = FluxDimensions.Fit(width, height);
            var error = Math.Abs(((double)w / h) - ((double)width / height)) / ((double)width / height);
            Assert.True(error < 0.05, $"{width}x{height} -> {w}x{h} drifts {error:P1}");
        }
    }
}
