using System.Text;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;

namespace CommerceOS.Tests.Seo;

public sealed class KeywordSetTests
{
    private readonly LocalSeoEngine _engine = new();

    public static TheoryData<string> Marketplaces => new(SeoMarketplaceRules.Ids);

    [Theory]
    [MemberData(nameof(Marketplaces))]
    public void Every_marketplace_set_fits_its_limit_without_repeats_or_competitors(string marketplace)
    {
        foreach (var subject in new[] { SeoProducts.BottleSubject("Hydro Flask", "Stanley"), SeoProducts.CupSubject("膳魔师") })
        {
            var set = _engine.BuildKeywordSet(subject, marketplace);
            var rule = SeoMarketplaceRules.Get(marketplace).Keywords;

            Assert.NotEmpty(set.Keywords);
            Assert.True(set.Used <= set.Limit, $"{marketplace}: {set.Used} > {set.Limit}");
            Assert.Equal(rule.Unit == LengthUnit.Items ? set.Keywords.Count : TextMeasure.Measure(set.Value, rule.Unit), set.Used);
            var keys = set.Keywords.Select(k => string.Join(' ', SeoText.Tokenize(k).Where(t => t.IsContent).Select(t => t.Key))).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
            if (rule.UniqueWords)
            {
                var words = set.Keywords.SelectMany(k => SeoText.Tokenize(k).Where(t => t.IsContent).Select(t => t.Key)).ToList();
                Assert.Equal(words.Count, words.Distinct(StringComparer.Ordinal).Count());
            }

            Assert.DoesNotContain(subject.Competitors, c => SeoText.Mentions(set.Value, c));
        }
    }

    [Fact]
    public void Amazon_search_terms_stay_within_249_utf8_bytes_with_no_brand_punctuation_or_repeated_word()
    {
        var set = _engine.BuildKeywordSet(SeoProducts.BottleSubject(), "amazon");

        Assert.Equal("search-terms", set.Field);
        Assert.Equal(LengthUnit.Utf8Bytes, set.Unit);
        Assert.Equal(249, set.Limit);
        Assert.Equal(Encoding.UTF8.GetByteCount(set.Value), set.Used);
        Assert.InRange(set.Used, 200, 249);
        Assert.DoesNotContain("aquapeak", set.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(set.Dropped, d => d.ReasonKey == KeywordSetBuilder.DropOwnBrand);
        Assert.All(set.Value, c => Assert.True(char.IsLetterOrDigit(c) || c == ' ', $"'{c}' in {set.Value}"));
        var words = set.Value.Split(' ');
        Assert.Equal(words.Length, words.Select(SeoText.WordKey).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(set.Value, set.Value.ToLowerInvariant());
        // The model number survives without its hyphen.
        Assert.Contains("ap 500", set.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Amazon_limit_is_exact_at_the_byte_boundary()
    {
        // 249 bytes exactly is accepted, 250 is not: build keywords whose lengths are known to the byte.
        var product = new Product { Sku = "S", Title = "x" };
        var ranked = new List<SeoKeyword>();
        for (var i = 0; i < 30; i++)
        {
            // "aaaaaaa0" .. distinct 7-letter words plus a digit suffix: 8 bytes each, 9 with the separator.
            var word = new string((char)('a' + i % 26), 7) + (char)('a' + i / 26);
            ranked.Add(new SeoKeyword(word, word, 100 - i, KeywordSource.Title, 1, 1, SeoLanguage.English));
        }

        var set = KeywordSetBuilder.Build(ranked, SeoMarketplaceRules.Get("amazon"), null, []);

        // 27 words: 27 x 8 + 26 spaces = 242; a 28th would make 251 > 249.
        Assert.Equal(27, set.Keywords.Count);
        Assert.Equal(242, set.Used);

        // A 6-byte word still fits after it: 242 + 1 + 6 = 249 exactly.
        ranked.Add(new SeoKeyword("zzzzzz", "zzzzzz", 1, KeywordSource.Description, 1, 1, SeoLanguage.English));
        set = KeywordSetBuilder.Build(ranked, SeoMarketplaceRules.Get("amazon"), null, []);
        Assert.Equal(249, set.Used);
        Assert.EndsWith(" zzzzzz", set.Value, StringComparison.Ordinal);

        // One byte more (a 7-byte word) does not.
        ranked[^1] = new SeoKeyword("zzzzzzz", "zzzzzzz", 1, KeywordSource.Description, 1, 1, SeoLanguage.English);
        set = KeywordSetBuilder.Build(ranked, SeoMarketplaceRules.Get("amazon"), null, []);
        Assert.Equal(242, set.Used);
        Assert.Contains(set.Dropped, d => d.Text == "zzzzzzz" && d.ReasonKey == KeywordSetBuilder.DropOverLimit);
    }

    [Fact]
    public void Taobao_counts_a_chinese_character_as_two_bytes_and_stops_at_60()
    {
        var set = _engine.BuildKeywordSet(SeoProducts.CupSubject(), "taobao");

        Assert.Equal(LengthUnit.DoubleByte, set.Unit);
        Assert.Equal(60, set.Limit);
        var han = set.Value.Count(SeoText.IsHan);
        Assert.Equal(set.Value.Length + han, set.Used);
        Assert.InRange(set.Used, 50, 60);
        Assert.StartsWith("不锈钢保温杯大容量", set.Value, StringComparison.Ordinal);
        Assert.Equal(60, TextMeasure.DoubleBytes(new string('杯', 30)));
        Assert.Equal(61, TextMeasure.DoubleBytes(new string('杯', 30) + "a"));
    }

    [Fact]
    public void Amazon_search_terms_keep_decimal_measures_whole()
    {
        var product = SeoProducts.Bottle();
        product.Title = "Camping Kettle 1.2 kg, 0.8 L";
        product.Attributes = [new ProductAttribute("Weight", AttributeType.Measurement, "1.2", "kg")];

        var set = _engine.BuildKeywordSet(new SeoSubject(product), "amazon");

        Assert.Contains("1.2", set.Value, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(^|\s)1 2(\s|$)", set.Value);
        Assert.Empty(CommerceOS.Core.Copy.ProductFacts.From(product, null).UntracedFigures(set.Value));
    }

    [Fact]
    public void Competitor_brands_are_removed_case_insensitively_and_reported()
    {
        var product = SeoProducts.Bottle();
        product.Description += " Fits the same cup holders as a Hydro Flask bottle. Compatible with STANLEY lids.";
        var subject = new SeoSubject(product, "AquaPeak", ["hydro flask", "Stanley"]);

        foreach (var marketplace in SeoMarketplaceRules.Ids)
        {
            var set = _engine.BuildKeywordSet(subject, marketplace);
            Assert.DoesNotContain("hydro", set.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("stanley", set.Value, StringComparison.OrdinalIgnoreCase);
        }

        var etsy = _engine.BuildKeywordSet(subject, "etsy");
        Assert.Contains(etsy.Dropped, d => d.ReasonKey == KeywordSetBuilder.DropCompetitorBrand && d.Text.Contains("hydro flask", StringComparison.Ordinal));

        // Without the competitor list the same phrases are ordinary keywords, so the removal is what the test sees.
        var keywords = _engine.ExtractKeywords(new SeoSubject(product, "AquaPeak"));
        Assert.Contains(keywords, k => k.Key == "hydro flask");
    }

    [Fact]
    public void Own_brand_is_kept_where_the_marketplace_allows_it()
    {
        var subject = SeoProducts.BottleSubject();

        Assert.Contains("aquapeak", _engine.BuildKeywordSet(subject, "walmart").Value, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("aquapeak", _engine.BuildKeywordSet(subject, "amazon").Value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Asins_never_enter_a_set()
    {
        var product = SeoProducts.Bottle();
        product.SellingPoints.Add("Replaces B0ABC12345 lids");

        var set = _engine.BuildKeywordSet(new SeoSubject(product), "amazon");

        Assert.DoesNotContain("b0abc12345", set.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(set.Dropped, d => d.ReasonKey == KeywordSetBuilder.DropAsin);
    }

    [Fact]
    public void Plural_and_case_variants_are_one_keyword()
    {
        SeoKeyword K(string text, double score) => new(text, string.Join(' ', SeoText.Tokenize(text).Where(t => t.IsContent).Select(t => t.Key)), score, KeywordSource.Title, 2, 1, SeoLanguage.English);
        var ranked = new[] { K("Water Bottles", 3), K("water bottle", 2), K("WATER BOTTLE", 1) };

        var set = KeywordSetBuilder.Build(ranked, SeoMarketplaceRules.Get("etsy"), null, []);

        Assert.Equal(["Water Bottles"], set.Keywords);
        Assert.Equal(2, set.Dropped.Count(d => d.ReasonKey == KeywordSetBuilder.DropDuplicate));
    }
}
