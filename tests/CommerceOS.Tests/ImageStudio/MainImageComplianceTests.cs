using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Compliance;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Composition;
using CommerceOS.Engines.Imaging.Cutout;

namespace CommerceOS.Tests.ImageStudio;

/// <summary>The promise: every main image the engine produces passes its own checker, for every marketplace.</summary>
public sealed class MainImageComplianceTests
{
    private static readonly MarketplaceCatalog Catalog = new();

    private static readonly Lazy<CutoutResult> Cutout = new(() => new LocalCutoutEngine().Cut(StudioPhotos.Bottle(900, 1200)));

    public static TheoryData<string, bool> Marketplaces()
    {
        var data = new TheoryData<string, bool>();
        foreach (var marketplace in Catalog.All)
        {
            data.Add(marketplace.Id, false);
            if (marketplace.Main.ShadowAllowed)
            {
                data.Add(marketplace.Id, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Marketplaces))]
    public void MainImage_PassesItsMarketplacesChecker(string marketplaceId, bool shadow)
    {
        var marketplace = Catalog.Find(marketplaceId)!;
        var output = new OutputSpec(marketplace.Main.Format, new XmpProvenance(DigitalSourceType.CompositeSynthetic, "local", "main-image/1"), Watermark: false, MaxBytes: marketplace.Main.MaxBytes);

        var image = new LocalImageComposer().MainImage(Cutout.Value.Product, marketplace.Main, shadow, output);
        var report = new LocalComplianceChecker().Check(image.Bytes, marketplace);

        // Every rule, recommendations included, not only the blocking ones.
        var failed = report.Rules.Where(r => !r.Passed).Select(r => $"{r.Kind} ({r.Severity}) {r.Measured} {r.MeasuredText}").ToList();
        Assert.True(report.Passed && failed.Count == 0, string.Join("; ", failed));
        Assert.Equal((marketplace.Main.Width, marketplace.Main.Height), (image.Width, image.Height));
        Assert.Equal(DigitalSourceType.CompositeSynthetic, ImageOutput.ReadProvenance(image.Bytes)?.SourceType);
    }
}
