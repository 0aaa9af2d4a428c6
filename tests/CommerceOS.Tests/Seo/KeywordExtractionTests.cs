using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;

namespace CommerceOS.Tests.Seo;

public sealed class KeywordExtractionTests
{
    private readonly LocalSeoEngine _engine = new();

    [Theory]
    [InlineData("bottles", "bottle")]
    [InlineData("Batteries", "battery")]
    [InlineData("boxes", "box")]
    [InlineData("glass", "glass")]
    [InlineData("stainless", "stainless")]
    [InlineData("lens", "lens")]
    [InlineData("shoes", "shoe")]
    public void WordKey_folds_plurals_and_case(string word, string key) => Assert.Equal(key, SeoText.WordKey(word));

    [Fact]
    public void English_keywords_are_ranked_by_field_and_frequency_with_their_source()
    {
        var keywords = _engine.ExtractKeywords(SeoProducts.BottleSubject());

        var top = keywords.Take(5).Select(k => k.Text).ToList();
        Assert.Contains("stainless steel", top);
        Assert.Contains("water bottle", keywords.Take(10).Select(k => k.Text));

        var steel = keywords.Single(k => k.Text == "stainless steel");
        Assert.Equal(KeywordSource.Title, steel.Source);
        Assert.Equal(2, steel.Words);
        // Title, material attribute, description twice: 5 + 3 + 1 + 1 = 10, times the bigram weight 1.5.
        Assert.Equal(15, steel.Score);
        Assert.Equal(4, steel.Occurrences);

        // "Water Bottles" (category) and "water bottles" (description) fold into the title's "water bottle".
        var bottle = keywords.Single(k => k.Key == "water bottle");
        Assert.Equal(3, bottle.Occurrences);

        // A field that is only in the selling points scores below the title's phrases.
        var cupHolders = keywords.Single(k => k.Key == "cup holder");
        Assert.Equal(KeywordSource.SellingPoint, cupHolders.Source);
        Assert.True(cupHolders.Score < steel.Score);

        // Model numbers keep their case and hyphen; measures stay whole; a true Boolean attribute contributes its name.
        Assert.Contains(keywords, k => k.Text == "AP-500");
        Assert.Contains(keywords, k => k.Text == "500 ml" && k.Key == "500ml");
        Assert.Contains(keywords, k => k.Key == "bpa free" && k.Source == KeywordSource.Attribute);
        Assert.DoesNotContain(keywords, k => k.Key.Contains("dishwasher", StringComparison.Ordinal));

        // No n-gram starts or ends with a function word.
        Assert.DoesNotContain(keywords, k => SeoText.EnglishStopWords.Contains(k.Key.Split(' ')[0]) || SeoText.EnglishStopWords.Contains(k.Key.Split(' ')[^1]));
    }

    [Fact]
    public void Chinese_keywords_use_real_words_and_their_compounds()
    {
        var keywords = _engine.ExtractKeywords(SeoProducts.CupSubject());
        var texts = keywords.Select(k => k.Text).ToList();

        Assert.Contains("保温杯", texts);
        Assert.Contains("不锈钢", texts);
        Assert.Contains("大容量", texts);
        Assert.Contains("不锈钢保温杯", texts);
        Assert.Contains("BW-316", texts);
        Assert.All(keywords.Where(k => k.Text is "保温杯" or "不锈钢保温杯"), k => Assert.Equal(SeoLanguage.Chinese, k.Language));
        // Single characters such as 杯 or 的 are never keywords on their own.
        Assert.DoesNotContain(keywords, k => k.Language == SeoLanguage.Chinese && k.Text.Length == 1);
        Assert.Equal("不锈钢", keywords[0].Text);
    }

    [Fact]
    public void Extraction_is_deterministic()
    {
        var first = _engine.ExtractKeywords(SeoProducts.BottleSubject());
        var second = _engine.ExtractKeywords(SeoProducts.BottleSubject());

        Assert.Equal(first, second);
    }
}
