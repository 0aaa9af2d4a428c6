using CommerceOS.Core.Assets;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Tests.Exports;

public sealed class KitSelectionTests
{
    private static readonly MarketplaceCatalog Catalog = new();

    private static Asset Image(Guid job, string? marketplace, int side, string skill = ImageSkills.Scene) => new()
    {
        ContentType = "image/jpeg",
        BlobKey = "k",
        Sha256 = "s",
        Source = "local",
        Skill = skill,
        JobId = job,
        Marketplace = marketplace,
        Width = side,
        Height = side,
    };

    [Fact]
    public void Pick_OneImagePerJob_TheMarketplacesOwnSizeFirst()
    {
        var (newer, older) = (Guid.NewGuid(), Guid.NewGuid());

        // Newest first, as the use case reads them: one scene job for Amazon and Taobao, an older one for Amazon only.
        List<Asset> images = [Image(newer, "taobao", 800), Image(newer, "amazon", 2000), Image(older, "amazon", 2000), Image(Guid.NewGuid(), null, 2000, ImageSkills.Studio)];

        var amazon = KitSelection.Pick(images, ImageSkills.Scene, Catalog.Find("amazon")!, 2);
        Assert.Equal([(newer, 2000), (older, 2000)], amazon.Select(a => (a.JobId!.Value, a.Width)).ToArray());

        // JD shares Taobao's 800x800: the Taobao-made size wins over the newer job's other size.
        var jd = KitSelection.Pick(images, ImageSkills.Scene, Catalog.Find("jd")!, 2);
        Assert.Equal([(newer, 800), (older, 2000)], jd.Select(a => (a.JobId!.Value, a.Width)).ToArray());

        Assert.Single(KitSelection.Pick(images, ImageSkills.Scene, Catalog.Find("amazon")!, 1));
        Assert.Empty(KitSelection.Pick(images, ImageSkills.Infographic, Catalog.Find("amazon")!, 1));
    }

    [Fact]
    public void TemplateKey_IsTheLastPartOfTheOutputKey()
    {
        Assert.Equal("a-plus-banner", KitSelection.TemplateKey(new Asset { ContentType = "image/jpeg", BlobKey = "k", Sha256 = "s", Source = "local", OutputKey = "variants:amazon:a-plus-banner" }));
        Assert.Equal("", KitSelection.TemplateKey(new Asset { ContentType = "image/jpeg", BlobKey = "k", Sha256 = "s", Source = "local" }));
    }
}
