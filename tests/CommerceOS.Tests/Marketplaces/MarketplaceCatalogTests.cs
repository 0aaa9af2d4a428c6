using System.Text.Json.Nodes;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Marketplaces;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Marketplaces;

public sealed class MarketplaceCatalogTests
{
    private static readonly MarketplaceCatalog Catalog = new();

    private static readonly DateOnly Transcribed = new(2026, 11, 29);

    /// <summary>Every marketplace with a section in marketplace-rules.md (Taobao covers Tmall).</summary>
    private static readonly string[] ReferenceIds =
    [
        "amazon", "shopify", "tiktok-shop", "taobao", "shopee", "lazada", "google-merchant", "temu", "ebay", "etsy",
        "woocommerce", "walmart", "aliexpress", "jd", "pinduoduo", "douyin", "kuaishou", "alibaba-1688", "xiaohongshu",
    ];

    public static TheoryData<string> ReferenceMarketplaces => new(ReferenceIds);

    [Theory]
    [MemberData(nameof(ReferenceMarketplaces))]
    public void Every_marketplace_in_the_reference_exists_with_rules_and_a_main_template(string id)
    {
        var marketplace = Catalog.Find(id);

        Assert.NotNull(marketplace);
        Assert.False(string.IsNullOrWhiteSpace(marketplace.Name));
        Assert.False(string.IsNullOrWhiteSpace(marketplace.Main.Note));
        Assert.NotEmpty(marketplace.MainImageRules);
        Assert.Contains(marketplace.Templates, t => t.Purpose is TemplatePurpose.Main or TemplatePurpose.Social);
        Assert.All(marketplace.MainImageRules, rule => Assert.Equal(Transcribed, rule.LastVerified));
    }

    [Fact]
    public void The_catalog_holds_exactly_the_reference_marketplaces()
    {
        Assert.Equal(
            ReferenceIds.Order(StringComparer.Ordinal),
            Catalog.All.Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Amazon_main_image_rules_match_the_sourced_values()
    {
        var amazon = Catalog.Find("amazon")!;

        Assert.Equal((2000, 2000, ImageFormat.Jpeg), (amazon.Main.Width, amazon.Main.Height, amazon.Main.Format));
        Assert.Equal(0.88, amazon.Main.TargetFill);
        Assert.False(amazon.Main.ShadowAllowed);
        Assert.Equal(10_000_000, amazon.Main.MaxBytes);

        var background = Single(amazon, RuleKinds.Background);
        Assert.Equal((RuleSeverity.Error, 0.0), (background.Severity, background.Max));
        Assert.StartsWith("https://", background.Source, StringComparison.Ordinal);
        Assert.Equal((RuleSeverity.Error, 0.85), (Single(amazon, RuleKinds.Fill).Severity, Single(amazon, RuleKinds.Fill).Min));
        Assert.Equal(10_000_000, Single(amazon, RuleKinds.FileSize).Max);
        Assert.Equal(["jpeg", "png", "tiff", "gif"], Single(amazon, RuleKinds.Format).Allowed!);
        Assert.Equal(10_000, Single(amazon, RuleKinds.MaxSide).Max);

        // 500 px is the hard minimum, 1,000 px (zoom) only a warning; both are on the longest side.
        var minimums = amazon.MainImageRules.Where(r => r.Kind == RuleKinds.MinLongSide).OrderBy(r => r.Min).ToList();
        Assert.Equal([(500.0, RuleSeverity.Error), (1000.0, RuleSeverity.Warning)], minimums.Select(r => (r.Min!.Value, r.Severity)));
        Assert.Equal(["srgb"], Single(amazon, RuleKinds.ColourSpace).Allowed!);
    }

    [Theory]
    [InlineData("taobao")]
    [InlineData("jd")]
    [InlineData("pinduoduo")]
    public void Chinese_marketplaces_render_800_square_main_images(string id)
    {
        var marketplace = Catalog.Find(id)!;

        Assert.Equal((800, 800), (marketplace.Main.Width, marketplace.Main.Height));
        var aspect = Single(marketplace, RuleKinds.Aspect);
        Assert.Equal((1.0, 1.0), (aspect.Min, aspect.Max));
    }

    [Fact]
    public void TikTok_shop_needs_600_px_and_at_most_5_mb()
    {
        var tiktok = Catalog.Find("tiktok-shop")!;

        var hardMinimum = tiktok.MainImageRules.Single(r => r.Kind == RuleKinds.MinSide && r.Severity == RuleSeverity.Error);
        Assert.Equal(600, hardMinimum.Min);
        Assert.Equal(5_000_000, Single(tiktok, RuleKinds.FileSize).Max);
        Assert.Equal(5_000_000, tiktok.Main.MaxBytes);
        Assert.Equal(["jpeg", "png"], Single(tiktok, RuleKinds.Format).Allowed!);
    }

    [Fact]
    public void Shopee_is_square_and_takes_the_safer_2_mb_limit()
    {
        var shopee = Catalog.Find("shopee")!;

        var aspect = Single(shopee, RuleKinds.Aspect);
        Assert.Equal((1.0, 1.0, RuleSeverity.Error), (aspect.Min, aspect.Max, aspect.Severity));
        var size = Single(shopee, RuleKinds.FileSize);
        Assert.Equal(2_000_000, size.Max);
        Assert.Contains("10 MB", size.Note, StringComparison.Ordinal);
        Assert.Equal(2_000_000, shopee.Main.MaxBytes);
    }

    [Fact]
    public void Lazada_fill_is_80_percent_and_sides_500_to_2000()
    {
        var lazada = Catalog.Find("lazada")!;

        var fill = Single(lazada, RuleKinds.Fill);
        Assert.Equal((0.80, RuleSeverity.Error), (fill.Min, fill.Severity));
        Assert.Contains("longest axis", fill.Note, StringComparison.Ordinal);
        Assert.Equal(500, lazada.MainImageRules.Single(r => r.Kind == RuleKinds.MinSide && r.Severity == RuleSeverity.Error).Min);
        Assert.Equal(2000, Single(lazada, RuleKinds.MaxSide).Max);
        Assert.True(lazada.Main.TargetFill >= 0.80 + 0.03);
    }

    [Theory]
    [InlineData("amazon", "main", 2000, 2000, TemplatePurpose.Main)]
    [InlineData("amazon", "a-plus-banner", 1464, 600, TemplatePurpose.Banner)]
    [InlineData("amazon", "brand-story", 1464, 625, TemplatePurpose.Banner)]
    [InlineData("amazon", "sponsored-ad", 1200, 628, TemplatePurpose.Banner)]
    [InlineData("tiktok-shop", "video-cover", 1080, 1920, TemplatePurpose.Cover)]
    [InlineData("tiktok-shop", "showcase-banner", 1125, 400, TemplatePurpose.Banner)]
    [InlineData("taobao", "detail-image", 790, 1000, TemplatePurpose.Detail)]
    [InlineData("taobao", "diamond-booth", 640, 200, TemplatePurpose.Banner)]
    [InlineData("taobao", "store-banner", 1920, 500, TemplatePurpose.Banner)]
    [InlineData("shopee", "store-banner", 1600, 540, TemplatePurpose.Banner)]
    [InlineData("shopee", "detail-image", 1024, 1280, TemplatePurpose.Detail)]
    [InlineData("lazada", "promo-banner", 1200, 300, TemplatePurpose.Banner)]
    [InlineData("temu", "promo-banner", 1200, 400, TemplatePurpose.Banner)]
    [InlineData("ebay", "store-banner", 1200, 270, TemplatePurpose.Banner)]
    [InlineData("ebay", "promo-banner", 1140, 400, TemplatePurpose.Banner)]
    [InlineData("etsy", "detail-image", 1000, 1300, TemplatePurpose.Detail)]
    [InlineData("etsy", "social-media", 1080, 1080, TemplatePurpose.Social)]
    [InlineData("woocommerce", "thumbnail", 300, 300, TemplatePurpose.Main)]
    [InlineData("jd", "store-banner", 1920, 420, TemplatePurpose.Banner)]
    [InlineData("jd", "homepage-focus", 990, 440, TemplatePurpose.Banner)]
    [InlineData("pinduoduo", "carousel", 750, 350, TemplatePurpose.Banner)]
    [InlineData("douyin", "video-cover", 1080, 1464, TemplatePurpose.Cover)]
    [InlineData("kuaishou", "video-cover", 1080, 1350, TemplatePurpose.Cover)]
    [InlineData("alibaba-1688", "store-sign", 1920, 200, TemplatePurpose.Banner)]
    [InlineData("alibaba-1688", "marketing-banner", 750, 1500, TemplatePurpose.Banner)]
    [InlineData("shopify", "collection-banner", 1200, 400, TemplatePurpose.Banner)]
    public void Template_pixel_sizes_match_the_reference_table(string id, string key, int width, int height, TemplatePurpose purpose)
    {
        var template = Catalog.Find(id)!.Templates.Single(t => t.Key == key);

        Assert.Equal((width, height, purpose), (template.Width, template.Height, template.Purpose));
    }

    [Fact]
    public void Every_profile_passes_its_own_size_fill_format_and_file_size_rules()
    {
        foreach (var marketplace in Catalog.All)
        {
            var main = marketplace.Main;
            foreach (var rule in marketplace.MainImageRules)
            {
                var ok = rule.Kind switch
                {
                    RuleKinds.Fill => main.TargetFill >= (rule.Min ?? 0) && main.TargetFill <= (rule.Max ?? 1) && main.TargetFill >= 0.85,
                    RuleKinds.MinSide => Math.Min(main.Width, main.Height) >= rule.Min,
                    RuleKinds.MinLongSide => Math.Max(main.Width, main.Height) >= rule.Min,
                    RuleKinds.MaxSide => Math.Max(main.Width, main.Height) <= rule.Max,
                    RuleKinds.FileSize => main.MaxBytes <= rule.Max,
                    RuleKinds.Format => rule.Allowed!.Contains(main.Format.ToString().ToLowerInvariant()),
                    _ => true,
                };
                Assert.True(ok, $"{marketplace.Id}: profile breaks its {rule.Kind} rule");
            }
        }
    }

    [Fact]
    public void Pure_white_marketplaces_get_no_contact_shadow()
    {
        Assert.All(new[] { "amazon", "taobao", "jd", "walmart", "alibaba-1688" }, id => Assert.False(Catalog.Find(id)!.Main.ShadowAllowed, id));
        Assert.All(new[] { "shopify", "tiktok-shop", "etsy", "pinduoduo" }, id => Assert.True(Catalog.Find(id)!.Main.ShadowAllowed, id));
    }

    [Theory]
    [InlineData("AMAZON")]
    [InlineData("Tiktok-Shop")]
    [InlineData(" taobao ")]
    public void Find_is_case_insensitive(string id) => Assert.NotNull(Catalog.Find(id));

    [Theory]
    [InlineData("amazon.com")]
    [InlineData("")]
    [InlineData("tmall")]
    public void Find_returns_null_for_an_unknown_id(string id) => Assert.Null(Catalog.Find(id));

    [Fact]
    public void AddMarketplaces_registers_one_validated_catalog()
    {
        using var provider = new ServiceCollection().AddMarketplaces().BuildServiceProvider();

        var catalog = provider.GetRequiredService<IMarketplaceCatalog>();
        Assert.Same(catalog, provider.GetRequiredService<IMarketplaceCatalog>());
        Assert.Equal(19, catalog.All.Count);
    }

    [Fact]
    public void The_embedded_data_round_trips_through_the_validator()
    {
        var json = EmbeddedJson().ToJsonString();

        Assert.Equal(Catalog.All.Count, MarketplaceCatalog.FromJson(json).All.Count);
    }

    public static TheoryData<string, string> BadData => new()
    {
        { "duplicate id", """{"marketplaces":[MP,MP]}""" },
        { "must be positive", """{"marketplaces":[MP_ZERO_WIDTH]}""" },
        { "unknown rule kind", """{"marketplaces":[MP_BAD_KIND]}""" },
        { "greater than max", """{"marketplaces":[MP_MIN_GT_MAX]}""" },
        { "unknown severity", """{"marketplaces":[MP_BAD_SEVERITY]}""" },
        { "targetFill 0.8 is outside", """{"marketplaces":[MP_TARGET_BELOW_RULE]}""" },
        { "not valid JSON for the schema", """{"marketplaces":[MP_TYPO]}""" },
        { "source must be a URL", """{"marketplaces":[MP_NO_SOURCE]}""" },
        { "no marketplaces", """{"marketplaces":[]}""" },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void Bad_data_is_refused_with_a_clear_message(string expected, string template)
    {
        var json = template
            .Replace("MP_ZERO_WIDTH", Market(main: """{"width":0,"height":800,"targetFill":0.85,"shadowAllowed":true,"format":"jpeg"}"""), StringComparison.Ordinal)
            .Replace("MP_BAD_KIND", Market(rule: """{"kind":"colour","severity":"error","source":"https://example.com","lastVerified":"2026-11-29","allowed":["srgb"]}"""), StringComparison.Ordinal)
            .Replace("MP_MIN_GT_MAX", Market(rule: """{"kind":"fill","severity":"error","min":0.9,"max":0.8,"source":"https://example.com","lastVerified":"2026-11-29"}"""), StringComparison.Ordinal)
            .Replace("MP_BAD_SEVERITY", Market(rule: """{"kind":"fill","severity":"fatal","min":0.8,"source":"https://example.com","lastVerified":"2026-11-29"}"""), StringComparison.Ordinal)
            .Replace("MP_TARGET_BELOW_RULE", Market(main: """{"width":800,"height":800,"targetFill":0.8,"shadowAllowed":true,"format":"jpeg"}""", rule: """{"kind":"fill","severity":"error","min":0.85,"source":"https://example.com","lastVerified":"2026-11-29"}"""), StringComparison.Ordinal)
            .Replace("MP_TYPO", Market(main: """{"width":800,"height":800,"targetFil":0.85,"shadowAllowed":true,"format":"jpeg"}"""), StringComparison.Ordinal)
            .Replace("MP_NO_SOURCE", Market(rule: """{"kind":"fill","severity":"error","min":0.8,"source":"a blog","lastVerified":"2026-11-29"}"""), StringComparison.Ordinal)
            .Replace("MP", Market(), StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => MarketplaceCatalog.FromJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_edit_of_the_real_data_names_the_marketplace()
    {
        var document = EmbeddedJson();
        var shopee = document["marketplaces"]!.AsArray().Single(m => (string?)m!["id"] == "shopee")!;
        shopee["templates"]![0]!["height"] = -1024;

        var error = Assert.Throws<InvalidDataException>(() => MarketplaceCatalog.FromJson(document.ToJsonString()));
        Assert.Contains("shopee template 'product-image'", error.Message, StringComparison.Ordinal);
    }

    private static ImageRule Single(MarketplaceProfile marketplace, string kind) => marketplace.MainImageRules.Single(r => r.Kind == kind);

    private static string Market(string? main = null, string? rule = null) =>
        $$"""{"id":"test","name":"Test","main":{{main ?? """{"width":800,"height":800,"targetFill":0.85,"shadowAllowed":true,"format":"jpeg"}"""}},"rules":[{{rule ?? """{"kind":"colour-space","severity":"warning","allowed":["srgb"],"source":"(product prototype)","lastVerified":"2026-11-29"}"""}}],"templates":[{"key":"main","width":800,"height":800,"purpose":"main"}]}""";

    private static JsonNode EmbeddedJson()
    {
        using var stream = typeof(MarketplaceCatalog).Assembly.GetManifestResourceStream(MarketplaceCatalog.ResourceName)!;
        return JsonNode.Parse(stream)!;
    }
}
