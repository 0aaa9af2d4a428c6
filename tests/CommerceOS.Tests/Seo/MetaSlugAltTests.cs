using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;

namespace CommerceOS.Tests.Seo;

public sealed class MetaSlugAltTests
{
    private readonly LocalSeoEngine _engine = new();

    [Fact]
    public void Meta_title_fits_shopify_advice_and_cuts_before_a_measure_not_inside_it()
    {
        var meta = _engine.BuildMeta(SeoProducts.BottleSubject());

        // The full title is 80 characters; ", 500 ml" would end at 62, past the advised 59, so the cut falls after the model number.
        Assert.Equal("AquaPeak Insulated Stainless Steel Water Bottle AP-500", meta.Title);
        Assert.True(meta.TitleTruncated);
        Assert.Equal(70, meta.TitleLimit);
        Assert.True(meta.Description.Length <= 160);
        Assert.EndsWith("…", meta.Description, StringComparison.Ordinal);
        Assert.StartsWith("Double-wall vacuum insulation keeps drinks cold", meta.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bottle AP-500 500 ml", 16, "Bottle AP-500")]
    [InlineData("Bottle AP-500 500 ml", 19, "Bottle AP-500")]
    [InlineData("Bottle AP-500 500 ml", 20, "Bottle AP-500 500 ml")]
    [InlineData("Bottle with 500 ml lid", 15, "Bottle")]
    [InlineData("RT-AX58U router", 5, "")]
    public void Fit_never_splits_a_model_number_or_measure_and_drops_dangling_words(string text, int limit, string expected) =>
        Assert.Equal(expected, TextFitter.Fit(text, limit, LengthUnit.Characters).Text);

    [Fact]
    public void Fit_cuts_chinese_at_word_boundaries()
    {
        // 不锈钢保温杯大容量 is 不锈钢/保温杯/大容量; 8 characters cannot hold all three, so the cut falls after 保温杯, not inside 大容量.
        Assert.Equal("不锈钢保温杯", TextFitter.Fit("不锈钢保温杯大容量", 8, LengthUnit.Characters).Text);
        // 60 double bytes = 30 Chinese characters exactly (marketplace-rules.md §4).
        var thirty = string.Concat(Enumerable.Repeat("保温杯", 10));
        Assert.Equal(thirty, TextFitter.Fit(thirty, 60, LengthUnit.DoubleByte).Text);
        Assert.Equal(string.Concat(Enumerable.Repeat("保温杯", 9)), TextFitter.Fit(thirty, 59, LengthUnit.DoubleByte).Text);
        Assert.Equal("保温杯 500ml", TextFitter.Fit("保温杯 500ml 大容量", 12, LengthUnit.Characters).Text);
    }

    [Fact]
    public void Chinese_meta_keeps_the_title_and_uses_chinese_punctuation()
    {
        var meta = _engine.BuildMeta(SeoProducts.CupSubject());

        Assert.Equal("不锈钢保温杯大容量 BW-316 500ml 男女学生便携水杯", meta.Title);
        Assert.False(meta.TitleTruncated);
        Assert.Contains("。保温保冷12小时；杯盖防漏", meta.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Slug_is_lowercase_ascii_with_the_model_number()
    {
        var slug = _engine.BuildSlug(SeoProducts.BottleSubject());

        Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", slug);
        Assert.Contains("ap-500-500-ml", slug, StringComparison.Ordinal);
        Assert.True(slug.Length <= LocalSeoEngine.SlugMaxLength);
        Assert.Equal("creme-brulee-torch-x2", _engine.BuildSlug(new SeoSubject(new Product { Sku = "T", Title = "Crème Brûlée Torch X2!" })));
    }

    [Fact]
    public void Chinese_slug_falls_back_to_ascii_facts_and_the_sku()
    {
        Assert.Equal("bw-316-500ml-bw-cup-001", _engine.BuildSlug(SeoProducts.CupSubject()));

        var plain = new Product
        {
            Sku = "杯子-001",
            Title = "保温杯",
            Attributes = [new ProductAttribute("型号", AttributeType.Text, "VC-9"), new ProductAttribute("材质", AttributeType.Text, "不锈钢")],
        };
        Assert.Equal("vc-9-001", _engine.BuildSlug(new SeoSubject(plain)));
    }

    [Fact]
    public void Alt_texts_describe_each_role_from_facts_within_125_characters()
    {
        var alts = _engine.BuildAltTexts(SeoProducts.BottleSubject(), [ImageRole.Main, ImageRole.Scene, ImageRole.Infographic]);

        Assert.Equal([ImageRole.Main, ImageRole.Scene, ImageRole.Infographic], alts.Select(a => a.Role));
        Assert.All(alts, a => Assert.InRange(a.Text.Length, 1, 125));
        Assert.Equal(SeoProducts.Bottle().Title, alts[0].Text);
        Assert.StartsWith("Lifestyle photo of AquaPeak", alts[1].Text, StringComparison.Ordinal);
        // Whole selling points only: the first fits after the title, the second would not.
        Assert.EndsWith(": Keeps drinks cold for 24 hours", alts[2].Text, StringComparison.Ordinal);

        var zh = _engine.BuildAltTexts(SeoProducts.CupSubject(), [ImageRole.Main, ImageRole.Infographic]);
        Assert.Equal("贝沃不锈钢保温杯大容量 BW-316 500ml 男女学生便携水杯", zh[0].Text);
        Assert.EndsWith("：保温保冷12小时；杯盖防漏；大容量便携", zh[1].Text, StringComparison.Ordinal);
    }
}
