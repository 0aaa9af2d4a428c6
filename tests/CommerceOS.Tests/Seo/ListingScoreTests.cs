using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;

namespace CommerceOS.Tests.Seo;

public sealed class ListingScoreTests
{
    private readonly LocalSeoEngine _engine = new();

    private static readonly string[] Bullets =
    [
        "Keeps drinks cold for 24 hours and hot for 12 hours",
        "Leak-proof lid for bags",
        "Fits most cup holders",
        "18/8 stainless steel, BPA free",
        "500 ml capacity",
    ];

    private static string LongDescription() =>
        string.Join(' ', Enumerable.Repeat(SeoProducts.Bottle().Description, 3));

    private static ListingDraft GoodAmazonListing() => new(
        "AquaPeak Insulated Stainless Steel Water Bottle AP-500, 500 ml, Leak-Proof Lid for Hikers and Commuters",
        Bullets,
        LongDescription(),
        "insulated vacuum flask hiking commuter gym thermos travel mug",
        [new ListingImage(ImageRole.Main, "a"), new ListingImage(ImageRole.Scene, "b"), new ListingImage(ImageRole.Scene, "c"), new ListingImage(ImageRole.Infographic, "d")]);

    public static TheoryData<string> Marketplaces => new(SeoMarketplaceRules.Ids);

    [Theory]
    [MemberData(nameof(Marketplaces))]
    public void Every_marketplace_scores_out_of_100_with_known_rules_sources_and_resource_keys(string marketplace)
    {
        var profile = SeoMarketplaceRules.Get(marketplace);
        Assert.Equal(100, profile.Weights.Sum(w => w.Points));
        Assert.All(profile.Weights, w => Assert.Contains(w.RuleId, ListingRules.All));
        Assert.All(profile.Weights, w => Assert.Contains(w.Group, ListingRules.Groups));

        var score = _engine.ScoreListing(GoodAmazonListing(), SeoProducts.BottleSubject(), marketplace);

        Assert.Equal(profile.Weights.Select(w => w.RuleId), score.Rules.Select(r => r.RuleId));
        Assert.Equal(score.Rules.Sum(r => r.Earned), score.Score);
        Assert.InRange(score.Score, 0, 100);
        Assert.All(score.Rules, r =>
        {
            Assert.InRange(r.Earned, 0, r.Possible);
            Assert.StartsWith("seo.msg.", r.MessageKey, StringComparison.Ordinal);
            Assert.True(r.Source.StartsWith("marketplace-rules.md §", StringComparison.Ordinal) || r.Source == SeoMarketplaceRules.Ours, r.Source);
            Assert.True(r.FixId is null || ListingRules.Fixes.Contains(r.FixId), r.FixId);
            Assert.True(r.Passed || r.FixId is not null || r.Earned < r.Possible);
        });
    }

    [Fact]
    public void A_complete_amazon_listing_earns_every_point_of_the_prototype_score()
    {
        var score = _engine.ScoreListing(GoodAmazonListing(), SeoProducts.BottleSubject("Hydro Flask"), "amazon");

        Assert.True(score.Score == 100, string.Join("; ", score.Rules.Where(r => !r.Passed).Select(r => $"{r.RuleId} {r.MessageKey} {string.Join('|', r.MessageArgs)}")));
        // The item totals of marketplace-rules.md §1.2: hero 15, lifestyle 15, infographic 10, title 15, bullets 15, description 15, search terms 15.
        var groups = score.Rules.GroupBy(r => r.Group).ToDictionary(g => g.Key, g => g.Sum(r => r.Possible));
        Assert.Equal(40, groups["images"]);
        Assert.Equal(15, groups["title"]);
        Assert.Equal(15, groups["bullets"]);
        Assert.Equal(15, groups["description"]);
        Assert.Equal(15, groups["keywords"]);
        Assert.All(score.Rules, r => Assert.Null(r.FixId));
    }

    [Fact]
    public void Each_failure_costs_its_own_points_and_offers_its_fix()
    {
        var listing = GoodAmazonListing() with
        {
            // 201 characters with a forbidden '!', "bottle" three times, a competitor brand in the search terms.
            Title = ("Bottle! Bottle Bottle " + new string('x', 179)).PadRight(201, 'y'),
            Bullets = Bullets.Take(4).ToList(),
            SearchTerms = "hydro flask, thermos",
            Images = [new ListingImage(ImageRole.Main)],
        };

        var score = _engine.ScoreListing(listing, SeoProducts.BottleSubject("Hydro Flask"), "amazon");
        var rules = score.Rules.ToDictionary(r => r.RuleId);

        Assert.Equal(201, listing.Title.Length);
        AssertRule(rules[ListingRules.TitleLength], 0, 9, "seo.msg.title_too_long_chars", "shorten-title", "marketplace-rules.md §1.2", "201", "200");
        AssertRule(rules[ListingRules.TitleCharacters], 0, 3, "seo.msg.title_forbidden_characters", "remove-forbidden-characters", "marketplace-rules.md §1.1", "!");
        AssertRule(rules[ListingRules.TitleWordRepetition], 0, 3, "seo.msg.title_repetition", "dedupe-title-words", "marketplace-rules.md §1.1", "bottle", "2");
        AssertRule(rules[ListingRules.BulletsCount], 0, 12, "seo.msg.bullets_count", null, "marketplace-rules.md §1.1", "4", "5");
        AssertRule(rules[ListingRules.BulletsLength], 3, 3, "seo.msg.bullets_length_ok", null, "marketplace-rules.md §1.1", "500");
        AssertRule(rules[ListingRules.SearchTermsCount], 0, 9, "seo.msg.search_terms_count", "rebuild-search-terms", "marketplace-rules.md §1.2", "3", "5");
        AssertRule(rules[ListingRules.SearchTermsFormat], 0, 3, "seo.msg.search_terms_punctuation", "rebuild-search-terms", "marketplace-rules.md §1.2");
        AssertRule(rules[ListingRules.SearchTermsNoBrands], 0, 3, "seo.msg.search_terms_brands", "rebuild-search-terms", "marketplace-rules.md §1.2", "Hydro Flask");
        AssertRule(rules[ListingRules.NoCompetitorBrands], 0, 3, "seo.msg.competitor_brands", "remove-competitor-brand", SeoMarketplaceRules.Ours, "Hydro Flask");
        AssertRule(rules[ListingRules.LifestyleImages], 0, 15, "seo.msg.lifestyle_too_few", "generate-scene-images", "marketplace-rules.md §1.2", "0", "2");
        AssertRule(rules[ListingRules.Infographic], 0, 10, "seo.msg.infographic_missing", "generate-infographic", "marketplace-rules.md §1.2");
        AssertRule(rules[ListingRules.MainImage], 15, 15, "seo.msg.main_image_ok", null, "marketplace-rules.md §1.2");
        // Main image 15 + bullet length 3 + description length 12.
        Assert.Equal(30, score.Score);
    }

    [Theory]
    [InlineData(500, 12)]
    [InlineData(499, 0)]
    [InlineData(2000, 12)]
    [InlineData(2001, 0)]
    public void Amazon_description_band_is_exact_at_both_ends(int length, int earned)
    {
        var listing = GoodAmazonListing() with { Description = new string('a', length) };

        var rule = _engine.ScoreListing(listing, SeoProducts.BottleSubject(), "amazon").Rules.Single(r => r.RuleId == ListingRules.DescriptionLength);

        Assert.Equal(earned, rule.Earned);
        Assert.Equal(length > 2000 ? "shorten-description" : null, rule.FixId);
    }

    [Theory]
    [InlineData(249, 3)]
    [InlineData(250, 0)]
    public void Amazon_search_terms_bytes_are_exact_at_249(int bytes, int earned)
    {
        // Two-byte é keeps the count honest: bytes, not characters.
        var terms = "café " + string.Join(' ', Enumerable.Range(0, 60).Select(i => "w" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)));
        var text = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(terms)[..bytes]).TrimEnd();
        text = text.PadRight(text.Length + (bytes - System.Text.Encoding.UTF8.GetByteCount(text)), 'z');
        Assert.Equal(bytes, System.Text.Encoding.UTF8.GetByteCount(text));

        var rule = _engine.ScoreListing(GoodAmazonListing() with { SearchTerms = text }, SeoProducts.BottleSubject(), "amazon")
            .Rules.Single(r => r.RuleId == ListingRules.SearchTermsFormat);

        Assert.Equal(earned, rule.Earned);
    }

    [Fact]
    public void Title_keyword_coverage_earns_points_per_keyword_and_names_the_missing_ones()
    {
        var listing = GoodAmazonListing() with { Title = "Insulated Water Bottle", Description = LongDescription() };

        var rule = _engine.ScoreListing(listing, SeoProducts.BottleSubject(), "walmart").Rules.Single(r => r.RuleId == ListingRules.TitleKeywords);

        // Top three ideas: stainless steel, water bottle, leak-proof lid; the title holds one.
        Assert.Equal(20 * 1 / 3, rule.Earned);
        Assert.Equal("add-keyword", rule.FixId);
        Assert.Equal(["1", "3", "stainless steel, leak-proof lid"], rule.MessageArgs);
    }

    [Fact]
    public void Shopify_scores_meta_tags_and_alt_texts()
    {
        var listing = GoodAmazonListing() with
        {
            Images = [new ListingImage(ImageRole.Main, "Bottle"), new ListingImage(ImageRole.Scene)],
            MetaTitle = new string('t', 70),
            MetaDescription = new string('d', 161),
        };

        var rules = _engine.ScoreListing(listing, SeoProducts.BottleSubject(), "shopify").Rules.ToDictionary(r => r.RuleId);

        AssertRule(rules[ListingRules.MetaTitle], 5, 5, "seo.msg.meta_title_ok", null, "marketplace-rules.md §2", "70", "70");
        AssertRule(rules[ListingRules.MetaDescription], 2, 5, "seo.msg.meta_description_long", "generate-meta-description", "marketplace-rules.md §2", "161", "160");
        AssertRule(rules[ListingRules.AltTexts], 5, 10, "seo.msg.alt_missing", "add-alt-text", "marketplace-rules.md §2", "1", "2");

        var tooLong = _engine.ScoreListing(listing with { MetaTitle = new string('t', 71) }, SeoProducts.BottleSubject(), "shopify").Rules.Single(r => r.RuleId == ListingRules.MetaTitle);
        Assert.Equal(0, tooLong.Earned);
        Assert.Equal("generate-meta-title", tooLong.FixId);
    }

    [Fact]
    public void Taobao_title_is_measured_in_double_bytes_and_refuses_emoji()
    {
        var thirty = string.Concat(Enumerable.Repeat("保温杯", 10));
        var subject = SeoProducts.CupSubject();
        var ok = _engine.ScoreListing(GoodAmazonListing() with { Title = thirty }, subject, "taobao").Rules.ToDictionary(r => r.RuleId);
        var over = _engine.ScoreListing(GoodAmazonListing() with { Title = thirty + "a" }, subject, "taobao").Rules.ToDictionary(r => r.RuleId);
        var emoji = _engine.ScoreListing(GoodAmazonListing() with { Title = "保温杯🔥" }, subject, "taobao").Rules.ToDictionary(r => r.RuleId);

        AssertRule(ok[ListingRules.TitleLength], 15, 15, "seo.msg.title_length_ok_bytes", null, "marketplace-rules.md §4", "60", "1", "60");
        AssertRule(over[ListingRules.TitleLength], 0, 15, "seo.msg.title_too_long_bytes", "shorten-title", "marketplace-rules.md §4", "61", "60");
        AssertRule(emoji[ListingRules.TitleCharacters], 0, 5, "seo.msg.title_emoji", "remove-forbidden-characters", "marketplace-rules.md §4");
    }

    [Fact]
    public void Chinese_listing_keyword_coverage_matches_chinese_words()
    {
        var subject = SeoProducts.CupSubject();
        var listing = new ListingDraft(subject.Product.Title, [], subject.Product.Description!, string.Empty, [new ListingImage(ImageRole.Main, "主图")]);

        var rule = _engine.ScoreListing(listing, subject, "jd").Rules.Single(r => r.RuleId == ListingRules.TitleKeywords);

        Assert.Equal(rule.Possible, rule.Earned);
    }

    [Fact]
    public void Ebay_refuses_shouting_words_but_not_acronyms_or_model_numbers()
    {
        var subject = SeoProducts.BottleSubject();
        var shouting = _engine.ScoreListing(GoodAmazonListing() with { Title = "INSULATED Water Bottle" }, subject, "ebay").Rules.Single(r => r.RuleId == ListingRules.TitleCharacters);
        var fine = _engine.ScoreListing(GoodAmazonListing() with { Title = "LED BPA Free Bottle AP-500" }, subject, "ebay").Rules.Single(r => r.RuleId == ListingRules.TitleCharacters);

        Assert.Equal(0, shouting.Earned);
        Assert.Equal(["INSULATED"], shouting.MessageArgs);
        Assert.Equal(fine.Possible, fine.Earned);
    }

    [Fact]
    public void Scoring_is_deterministic()
    {
        var a = _engine.ScoreListing(GoodAmazonListing(), SeoProducts.BottleSubject("Stanley"), "tiktok-shop");
        var b = _engine.ScoreListing(GoodAmazonListing(), SeoProducts.BottleSubject("Stanley"), "tiktok-shop");

        Assert.Equal(a.Score, b.Score);
        Assert.Equal(a.Rules.Select(r => (r.RuleId, r.Earned, r.MessageKey, string.Join('|', r.MessageArgs))), b.Rules.Select(r => (r.RuleId, r.Earned, r.MessageKey, string.Join('|', r.MessageArgs))));
    }

    private static void AssertRule(ListingRuleResult rule, int earned, int possible, string message, string? fix, string source, params string[] args)
    {
        Assert.Equal(earned, rule.Earned);
        Assert.Equal(possible, rule.Possible);
        Assert.Equal(message, rule.MessageKey);
        Assert.Equal(fix, rule.FixId);
        Assert.Equal(source, rule.Source);
        Assert.Equal(args, rule.MessageArgs);
    }
}
