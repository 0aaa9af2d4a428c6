using System.Text.RegularExpressions;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Tests.Publishing;

public sealed partial class CategorySuggestionsTests
{
    private const string Gid = "gid://shopify/TaxonomyCategory/";

    private static readonly (string Name, string Value)[] NoAttributes = [];

    [Fact]
    public void Categories_EmbeddedData_LoadsAboutFortyWellFormedCategories()
    {
        var categories = CategorySuggestions.Categories;

        Assert.InRange(categories.Count, 40, 80);
        Assert.Equal(categories.Count, categories.Select(c => c.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(categories, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Name));
            Assert.Contains(c.Keywords, k => k.Any(ch => ch is >= '\u4E00' and <= '\u9FFF'));
            Assert.Contains(c.Keywords, k => k.Any(char.IsAsciiLetter));

            var shopify = c.Platforms[Platforms.Shopify];
            Assert.Matches(ShopifyGid(), shopify.Id);
            Assert.Equal(shopify.Id[Gid.Length..].Split('-').Length, shopify.Path.Split(" > ").Length);
            Assert.Matches(AmazonProductType(), c.Platforms[Platforms.Amazon].Id);
            Assert.Contains(Platforms.Shopify, c.Verified);
        });
    }

    [Fact]
    public void Categories_EmbeddedData_NoKeywordBelongsToTwoCategories()
    {
        var owners = CategorySuggestions.Categories
            .SelectMany(c => c.Keywords.Select(k => (Keyword: Comparable(k), c.Key)))
            .GroupBy(p => p.Keyword, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key)
            .ToList();

        Assert.Empty(owners);
    }

    [Fact]
    public void Categories_EmbeddedData_OnlyTheVerifiedShopifyIdsAreUsedForKnownKeys()
    {
        // Spot checks against Shopify/product-taxonomy dist/en/categories.txt.
        var byKey = CategorySuggestions.Categories.ToDictionary(c => c.Key, StringComparer.Ordinal);

        Assert.Equal(Gid + "aa-1-13-8", byKey["t-shirts"].Platforms[Platforms.Shopify].Id);
        Assert.Equal("Apparel & Accessories > Clothing > Clothing Tops > T-Shirts", byKey["t-shirts"].Platforms[Platforms.Shopify].Path);
        Assert.Equal(Gid + "hg-11-10-5-5", byKey["mugs"].Platforms[Platforms.Shopify].Id);
        Assert.Equal(Gid + "el-4-8-4-2", byKey["phone-cases"].Platforms[Platforms.Shopify].Id);
        Assert.Equal("CELLULAR_PHONE_CASE", byKey["phone-cases"].Platforms[Platforms.Amazon].Id);
        Assert.Equal("DRINKING_CUP", byKey["mugs"].Platforms[Platforms.Amazon].Id);
        Assert.DoesNotContain(CategorySuggestions.Categories, c => c.Platforms.ContainsKey(Platforms.Taobao));
    }

    [Theory]
    [InlineData("shopify", "Kitchen > Mugs", "Ceramic coffee mug 350ml", Gid + "hg-11-10-5-5", "mugs")]
    [InlineData("amazon", "Kitchen > Mugs", "Ceramic coffee mug 350ml", "DRINKING_CUP", "mugs")]
    [InlineData("shopify", "Women's T-shirts", "Organic cotton tee", Gid + "aa-1-13-8", "t-shirts")]
    [InlineData("amazon", "Women's T-shirts", "", "SHIRT", "t-shirts")]
    [InlineData("shopify", "手机壳", "iPhone 15 硅胶手机壳", Gid + "el-4-8-4-2", "手机壳")]
    [InlineData("amazon", "手机壳", "", "CELLULAR_PHONE_CASE", "手机壳")]
    [InlineData("shopify", null, "Men's slim fit dress shirt", Gid + "aa-1-13-7", "dress shirt")]
    [InlineData("shopify", "Clothing > Dresses", "Floral summer dress", Gid + "aa-1-4", "dresses")]
    [InlineData("shopify", "Shoes > Running shoes", "Lightweight mesh upper", Gid + "aa-8-8", "running shoes")]
    [InlineData("shopify", "女装 > 连衣裙", "碎花连衣裙 夏季", Gid + "aa-1-4", "连衣裙")]
    [InlineData("amazon", "Electronics > Audio", "Wireless Bluetooth Earbuds", "HEADPHONES", "earbuds")]
    [InlineData("shopify", "Beauty > Lips", "Matte lipstick, long lasting", Gid + "hb-3-2-6-5-6", "lipstick")]
    [InlineData("shopify", "宠物用品", "狗狗玩具 耐咬", Gid + "ap-2-3-7", "狗狗玩具")]
    [InlineData("shopify", null, "20000mAh power bank with USB-C", Gid + "el-7-15-5-1", "power bank")]
    [InlineData("shopify", "Bags > Backpacks", "Laptop rucksack", Gid + "lb", "backpacks")]
    [InlineData("amazon", "Travel", "Hard shell suitcase 20 inch", "SUITCASE", "suitcase")]
    [InlineData("amazon", "SOCKS", "Crew socks, 6 pairs", "SOCKS", "socks")]
    [InlineData("shopify", "家居 > 马克杯", "陶瓷咖啡杯", Gid + "hg-11-10-5-5", "马克杯")]
    public void Suggest_KeywordMatch_TopSuggestion(string platform, string? category, string title, string expectedId, string expectedKeyword)
    {
        var suggestions = CategorySuggestions.Suggest(platform, category, title, NoAttributes);

        Assert.NotEmpty(suggestions);
        Assert.Equal(expectedId, suggestions[0].Id);
        Assert.Equal(expectedKeyword, suggestions[0].MatchedKeyword);
        Assert.InRange(suggestions[0].Score, 0.5, 0.99);
        Assert.False(string.IsNullOrWhiteSpace(suggestions[0].Path));
    }

    [Fact]
    public void Suggest_CategoryText_OutweighsTheTitle()
    {
        var suggestions = CategorySuggestions.Suggest(Platforms.Shopify, "Kitchen > Mugs", "Funny t-shirt slogan", NoAttributes);

        // "t-shirt" also contains the word "shirt": T-shirts (the longer keyword) before shirts.
        Assert.Equal([Gid + "hg-11-10-5-5", Gid + "aa-1-13-8", Gid + "aa-1-13-7"], suggestions.Select(s => s.Id));
        Assert.True(suggestions[0].Score > suggestions[1].Score);
    }

    [Fact]
    public void Suggest_MostSpecificSegment_CountsMost()
    {
        // "Shoes" in a parent segment, "Boots" in the leaf.
        var suggestions = CategorySuggestions.Suggest(Platforms.Shopify, "Shoes > Boots", "", NoAttributes);

        Assert.Equal(Gid + "aa-8-3", suggestions[0].Id);
        Assert.Equal(Gid + "aa-8", suggestions[1].Id);
    }

    [Fact]
    public void Suggest_CategoryAndTitleAgree_ScoresHigherThanCategoryAlone()
    {
        var alone = CategorySuggestions.Suggest(Platforms.Shopify, "Mugs", "Gift for dad", NoAttributes)[0];
        var agreed = CategorySuggestions.Suggest(Platforms.Shopify, "Mugs", "Enamel camping mug", NoAttributes)[0];

        Assert.Equal(alone.Id, agreed.Id);
        Assert.True(agreed.Score > alone.Score);
    }

    [Theory]
    [InlineData("Teenage mutant figure")]
    [InlineData("Stringent quality checks")]
    [InlineData("Hatchback roof box")]
    [InlineData("")]
    public void Suggest_LatinKeywords_MatchWholeWordsOnly(string title)
    {
        Assert.Empty(CategorySuggestions.Suggest(Platforms.Shopify, null, title, NoAttributes));
    }

    [Fact]
    public void Suggest_Earrings_DoNotSuggestRings()
    {
        var suggestions = CategorySuggestions.Suggest(Platforms.Shopify, "Jewellery", "Gold hoop earrings", NoAttributes);

        Assert.Equal(Gid + "aa-6-6", suggestions[0].Id);
        Assert.DoesNotContain(suggestions, s => s.Id == Gid + "aa-6-9");
    }

    [Fact]
    public void Suggest_SamePlatformIdFromSeveralCategories_IsListedOnce()
    {
        // Mugs, cups and tumblers are all DRINKING_CUP on Amazon; T-shirts and shirts are both SHIRT.
        var suggestions = CategorySuggestions.Suggest(Platforms.Amazon, "Mugs & tumblers", "Coffee cup and t-shirt gift set", NoAttributes);

        Assert.Equal(suggestions.Count, suggestions.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["DRINKING_CUP", "SHIRT"], suggestions.Select(s => s.Id));
    }

    [Fact]
    public void Suggest_ManyMatches_ReturnsAtMostFiveBestFirst()
    {
        var suggestions = CategorySuggestions.Suggest(Platforms.Shopify, "Gift sets", "Mug, t-shirt, socks, hat, scarf, wallet and sunglasses bundle", NoAttributes);

        Assert.Equal(CategorySuggestions.MaxSuggestions, suggestions.Count);
        Assert.Equal(suggestions.OrderByDescending(s => s.Score).ThenBy(s => s.Id, StringComparer.Ordinal), suggestions);
    }

    [Fact]
    public void Suggest_SameInput_SameOrderEveryTime()
    {
        var first = CategorySuggestions.Suggest(Platforms.Shopify, "Apparel", "Hoodie sweatshirt sweater jumper cardigan socks", NoAttributes);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(first, CategorySuggestions.Suggest(Platforms.Shopify, "Apparel", "Hoodie sweatshirt sweater jumper cardigan socks", NoAttributes));
        }

        // Equal scores are ordered by id.
        var tied = first.GroupBy(s => s.Score).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(tied);
        Assert.All(tied, g => Assert.Equal(g.Select(s => s.Id).Order(StringComparer.Ordinal), g.Select(s => s.Id)));
    }

    [Theory]
    [InlineData("amazon", "Amazon product type", "luggage", "LUGGAGE", "LUGGAGE")]
    [InlineData("amazon", "amazon_product_type", "drinking cup", "DRINKING_CUP", "Mugs")]
    [InlineData("amazon", "亚马逊类目", "SHIRT", "SHIRT", "T-shirts")]
    [InlineData("shopify", "Shopify category", "aa-1-4", Gid + "aa-1-4", "Apparel & Accessories > Clothing > Dresses")]
    [InlineData("shopify", "SHOPIFY CATEGORY", Gid + "zz-9", Gid + "zz-9", Gid + "zz-9")]
    [InlineData("taobao", "淘宝类目", "50010850", "50010850", "50010850")]
    [InlineData("taobao", "Taobao category id", " 121412004 ", "121412004", "121412004")]
    [InlineData("tiktok-shop", "TikTok category id", "601152", "601152", "601152")]
    [InlineData("shopee", "Shopee category id", "100017", "100017", "100017")]
    public void Suggest_ExplicitAttribute_WinsWithScoreOne(string platform, string name, string value, string expectedId, string expectedPath)
    {
        (string, string)[] attributes = [("Colour", "navy"), (name, value)];

        var suggestions = CategorySuggestions.Suggest(platform, "Kitchen > Mugs", "Ceramic mug", attributes);

        Assert.Equal(new CategorySuggestion(expectedId, expectedPath, 1.0, name), suggestions[0]);
        Assert.All(suggestions.Skip(1), s => Assert.True(s.Score < 1.0));
        Assert.DoesNotContain(suggestions.Skip(1), s => s.Id == expectedId);
    }

    [Fact]
    public void Suggest_ExplicitAttributeForAnotherPlatform_IsIgnored()
    {
        var suggestions = CategorySuggestions.Suggest(Platforms.Shopify, "Kitchen > Mugs", "", [("Amazon product type", "SHIRT"), ("淘宝类目", "50010850")]);

        Assert.Equal(Gid + "hg-11-10-5-5", suggestions[0].Id);
        Assert.True(suggestions[0].Score < 1.0);
    }

    [Theory]
    [InlineData("Shopify category", "T-shirts please")]
    [InlineData("Amazon product type", "drinking cup!")]
    [InlineData("淘宝类目", "女装/连衣裙")]
    [InlineData("Amazon product type", "")]
    public void Suggest_MalformedExplicitValue_FallsBackToKeywords(string name, string value)
    {
        var platform = name.StartsWith("Shopify", StringComparison.Ordinal) ? Platforms.Shopify : name.StartsWith("Amazon", StringComparison.Ordinal) ? Platforms.Amazon : Platforms.Taobao;

        var suggestions = CategorySuggestions.Suggest(platform, "Kitchen > Mugs", "", [(name, value)]);

        Assert.All(suggestions, s => Assert.True(s.Score < 1.0));
    }

    [Theory]
    [InlineData("taobao")]
    [InlineData("tiktok-shop")]
    [InlineData("shopee")]
    public void Suggest_PlatformWithoutIdsInTheData_OnlyExplicitValues(string platform)
    {
        Assert.Empty(CategorySuggestions.Suggest(platform, "Kitchen > Mugs", "Ceramic mug", NoAttributes));
    }

    [Theory]
    [InlineData("ebay")]
    [InlineData("")]
    public void Suggest_UnknownPlatform_Throws(string platform)
    {
        Assert.Throws<ArgumentException>(() => CategorySuggestions.Suggest(platform, "Mugs", "", NoAttributes));
    }

    [Fact]
    public void Suggest_PlatformId_IsCaseInsensitive()
    {
        Assert.Equal("DRINKING_CUP", CategorySuggestions.Suggest("Amazon", "Mugs", "", NoAttributes)[0].Id);
    }

    [Theory]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg-11","path":"Home & Garden > Kitchen & Dining"},"amazon":"DRINKING_CUP","verified":[]},{"key":"b","name":"B","keywords":["Mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","verified":[]}]}""", "must be trimmed lower case")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg-11","path":"Home & Garden > Kitchen & Dining"},"amazon":"DRINKING_CUP","verified":[]},{"key":"b","name":"B","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","verified":[]}]}""", "also a keyword of a")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"shopify/hg-11","path":"Home & Garden > Kitchen & Dining"},"amazon":"DRINKING_CUP","verified":[]}]}""", "shopify id must look like")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg-11-10","path":"Home & Garden > Kitchen & Dining"},"amazon":"DRINKING_CUP","verified":[]}]}""", "has 2 levels but the id")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/aa-11","path":"Home & Garden > Kitchen & Dining"},"amazon":"DRINKING_CUP","verified":[]}]}""", "must start with the vertical")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"drinking_cup","verified":[]}]}""", "upper-case product type")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"verified":[]}]}""", "upper-case product type")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","verified":["taobao"]}]}""", "verified names 'taobao'")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","taobao":{"id":"cat-1","path":"x"},"verified":[]}]}""", "numeric leaf id")]
    [InlineData("""{"categories":[{"key":"A b","name":"A","keywords":["!!"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","verified":[]}]}""", "kebab-case")]
    [InlineData("""{"categories":[{"key":"a","name":"A","keywords":["mug"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","verifed":[]}]}""", "not valid JSON for the schema")]
    [InlineData("""{"categories":[]}""", "no categories")]
    public void Parse_InvalidData_ThrowsNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => CategorySuggestions.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidData_ReadsOptionalPlatformIds()
    {
        const string json = """{"categories":[{"key":"a","name":"A","keywords":["mug","马克杯"],"shopify":{"id":"gid://shopify/TaxonomyCategory/hg","path":"Home & Garden"},"amazon":"KITCHEN","taobao":{"id":"50002809","path":"餐饮具 > 杯子"},"verified":["shopify"]}]}""";

        var mapping = Assert.Single(CategorySuggestions.Parse(json));

        Assert.Equal(new PlatformCategory("50002809", "餐饮具 > 杯子"), mapping.Platforms[Platforms.Taobao]);
        Assert.Equal(new PlatformCategory("KITCHEN", "A"), mapping.Platforms[Platforms.Amazon]);
        Assert.Equal(["mug", "马克杯"], mapping.Keywords);
    }

    private static string Comparable(string keyword) =>
        keyword.Any(c => c is >= '\u4E00' and <= '\u9FFF')
            ? keyword
            : string.Join(' ', NonWord().Split(keyword.ToLowerInvariant()).Where(t => t.Length > 0));

    [GeneratedRegex(@"^gid://shopify/TaxonomyCategory/[a-z]{2}(-[0-9]+)*$")]
    private static partial Regex ShopifyGid();

    [GeneratedRegex(@"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex AmazonProductType();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonWord();
}
