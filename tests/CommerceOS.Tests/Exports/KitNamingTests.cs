using CommerceOS.Core.Exports;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Tests.Exports;

public sealed class KitNamingTests
{
    private static List<KitImage> Gallery(int count, bool main = true) =>
        Enumerable.Range(0, count).Select(i => new KitImage(i == 0 && main ? KitRoles.Main : KitRoles.Scene, "jpg")).ToList();

    private static string[] Paths(IReadOnlyList<KitImageName> names) => names.Select(n => n.Path).ToArray();

    [Fact]
    public void Amazon_MainThenPT01ToPT08_IdentifierWithoutDashesOrSpaces_RestToExtra()
    {
        var names = KitNaming.NameImages(KitConvention.Amazon, "AB-12 x", "ignored", Gallery(10));

        Assert.Equal("images/AB12x.MAIN.jpg", names[0].Path);
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"images/AB12x.PT0{n}.jpg"), names.Skip(1).Take(8).Select(n => n.Path));
        Assert.Equal(("images/extra/AB-12-x-01-scene.jpg", 0), (names[9].Path, names[9].Position));
        Assert.Equal(["MAIN", "PT01"], names.Take(2).Select(n => n.Slot).ToArray());
    }

    [Fact]
    public void WithoutAMainImage_PositionOneStaysFree()
    {
        Assert.Equal(["images/SKU1.PT01.jpg", "images/SKU1.PT02.jpg"], Paths(KitNaming.NameImages(KitConvention.Amazon, "SKU1", "", Gallery(2, main: false))));
        Assert.Equal(["images/SKU1-02.jpg"], Paths(KitNaming.NameImages(KitConvention.Shopee, "SKU1", "", Gallery(1, main: false))));
        Assert.Equal(2, KitNaming.NameImages(KitConvention.Shopify, "SKU1", "cup", Gallery(1, main: false))[0].Position);
    }

    [Fact]
    public void Shopify_ByHandleAndPosition_NoLimit()
    {
        var names = KitNaming.NameImages(KitConvention.Shopify, "SKU1", "Bamboo Cup XR-5", Gallery(12));

        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"images/bamboo-cup-xr-5-{n}.jpg"), names.Select(n => n.Path));
        Assert.Equal(Enumerable.Range(1, 12), names.Select(n => n.Position));
    }

    [Fact]
    public void Taobao_FiveMainSlots_ThenDetailImagesInOrder()
    {
        var images = Gallery(7);
        images.Add(new KitImage(KitRoles.SizeChart, "PNG"));
        var names = KitNaming.NameImages(KitConvention.Taobao, "TB-1", "", images);

        Assert.Equal(["主图/主图1.jpg", "主图/主图2.jpg", "主图/主图3.jpg", "主图/主图4.jpg", "主图/主图5.jpg", "详情/详情01.jpg", "详情/详情02.jpg", "详情/详情03.png"], Paths(names));
        Assert.Equal("详情3", names[7].Slot);
    }

    [Fact]
    public void Shopee_CoverFirst_NineSlots_AndTikTok_NineMainImages()
    {
        var shopee = KitNaming.NameImages(KitConvention.Shopee, "SP1", "", Gallery(10));
        Assert.Equal(("images/SP1-cover.jpg", "cover"), (shopee[0].Path, shopee[0].Slot));
        Assert.Equal("images/SP1-09.jpg", shopee[8].Path);
        Assert.StartsWith("images/extra/", shopee[9].Path, StringComparison.Ordinal);

        var tiktok = KitNaming.NameImages(KitConvention.TikTokShop, "TT1", "", Gallery(10));
        Assert.Equal(("images/TT1-main-01.jpg", "main_images[0]"), (tiktok[0].Path, tiktok[0].Slot));
        Assert.Equal("images/TT1-main-09.jpg", tiktok[8].Path);
        Assert.StartsWith("images/extra/", tiktok[9].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Generic_NumbersAndRoles_TemplatesApart()
    {
        var names = KitNaming.NameImages(KitConvention.Generic, "sku-9", "", [
            new KitImage(KitRoles.Main, "jpg"),
            new KitImage(KitRoles.Infographic, "png"),
            new KitImage(KitRoles.Template, "jpg", "a-plus-banner")]);

        Assert.Equal(["images/sku-9-01-main-image.jpg", "images/sku-9-02-infographic.png", "images/templates/sku-9-a-plus-banner.jpg"], Paths(names));
        Assert.Equal(0, names[2].Position);
    }

    [Theory]
    [InlineData("amazon", KitConvention.Amazon)]
    [InlineData(" Shopify ", KitConvention.Shopify)]
    [InlineData("taobao", KitConvention.Taobao)]
    [InlineData("shopee", KitConvention.Shopee)]
    [InlineData("tiktok-shop", KitConvention.TikTokShop)]
    [InlineData("etsy", KitConvention.Generic)]
    public void ConventionFor_KnownMarketplaces(string marketplace, KitConvention expected) =>
        Assert.Equal(expected, KitNaming.ConventionFor(marketplace));

    [Fact]
    public void ProductFolder_IsSafeAndUnique()
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { KitNaming.ManifestPath };

        Assert.Equal("etc-passwd", KitNaming.ProductFolder("../../etc/passwd", taken));
        Assert.Equal("ABC-1", KitNaming.ProductFolder("ABC 1", taken));
        Assert.Equal("abc-1-2", KitNaming.ProductFolder("abc-1", taken));
        Assert.Equal("product", KitNaming.ProductFolder("///", taken));
        Assert.Equal("manifest.json-2", KitNaming.ProductFolder("manifest.json", taken));
        Assert.Equal("杯子-01", KitNaming.ProductFolder("杯子 01", taken));
        Assert.Equal(KitNaming.MaxFolderLength, KitNaming.ProductFolder(new string('x', 300), taken).Length);
    }

    [Fact]
    public void Handle_FallsBackToTheSku()
    {
        Assert.Equal("cup-500-ml", KitNaming.Handle("Cup 500 ml!", "S1"));
        Assert.Equal("s-1", KitNaming.Handle("水杯", "S 1"));
        Assert.Equal("product", KitNaming.Handle("水杯", "杯"));
    }

    [Fact]
    public void Checks_FlagSizesAndFormatsTheMarketplaceRefuses()
    {
        var amazon = new MarketplaceCatalog().Find("amazon")!;

        Assert.Empty(KitChecks.Image(amazon, 2000, 2000, 500_000, "image/jpeg"));
        Assert.Equal(["exports.flag.min-long-side"], KitChecks.Image(amazon, 400, 300, 50_000, "image/jpeg").Select(f => f.Code).ToArray());
        Assert.Equal(["exports.flag.format"], KitChecks.Image(amazon, 2000, 2000, 50_000, "image/webp").Select(f => f.Code).ToArray());
        Assert.Contains(KitChecks.Image(amazon, 2000, 2000, 20_000_000, "image/jpeg"), f => f.Code == "exports.flag.file-size" && f.Args[0] == "10000000");

        var banner = amazon.Templates.Single(t => t.Key == "a-plus-banner");
        Assert.Empty(KitChecks.Image(amazon, 1464, 600, 1, "image/jpeg", banner));
        Assert.Equal(["2000x2000", "1464x600"], KitChecks.Image(amazon, 2000, 2000, 1, "image/jpeg", banner).Single().Args);
    }
}
