using System.Reflection;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;
using CommerceOS.Web.Shared.Localization;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Seo;

public sealed class SeoWiringTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    public static TheoryData<string> Cultures => [StringCatalog.English, StringCatalog.Chinese];

    [Fact]
    public void AddLocalSeo_registers_the_local_engine()
    {
        using var provider = new ServiceCollection().AddLocalSeo().BuildServiceProvider();

        Assert.IsType<LocalSeoEngine>(provider.GetRequiredService<ISeoEngine>());
    }

    [Fact]
    public void The_twelve_marketplaces_of_issue_4_and_Douyin_have_rules()
    {
        Assert.Equal(
            ["amazon", "shopify", "tiktok-shop", "taobao", "douyin", "jd", "shopee", "lazada", "temu", "aliexpress", "etsy", "ebay", "walmart"],
            SeoMarketplaceRules.All.Select(p => p.Id));
        Assert.Throws<ArgumentException>(() => SeoMarketplaceRules.Get("myspace"));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_key_the_engine_can_return_has_a_text(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = new List<string>();
        keys.AddRange(ListingRules.All.Select(r => $"seo.rule.{r}"));
        keys.AddRange(ListingRules.Fixes.Select(f => $"seo.fix.{f}"));
        keys.AddRange(ListingRules.Groups.Select(g => $"seo.group.{g}"));
        keys.AddRange(KeywordSetBuilder.DropReasons);
        keys.AddRange(ProductJsonLdValidator.Codes);
        keys.AddRange(SeoMarketplaceRules.Ids.Select(id => $"marketplace.{id}"));
        keys.AddRange(ScorerMessageKeys());

        var missing = keys.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    [Fact]
    public void Validator_codes_list_every_constant()
    {
        var constants = typeof(ProductJsonLdValidator).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(ProductJsonLdValidator.Codes.Order(StringComparer.Ordinal), constants.Order(StringComparer.Ordinal));
    }

    /// <summary>Every message the scorer writes for a spread of empty, poor and good listings on every marketplace.</summary>
    private static List<string> ScorerMessageKeys()
    {
        var engine = new LocalSeoEngine();
        var listings = new[]
        {
            new ListingDraft("", [], "", "", []),
            new ListingDraft("SHOUTING Bottle! Bottle Bottle 🔥 <b>" + new string('x', 300), [new string('b', 600)], new string('d', 12000), "AquaPeak B0ABC12345, Stanley hydro hydro " + new string('s', 300), [new ListingImage(ImageRole.Main, new string('a', 600))], new string('t', 80), new string('m', 400)),
            new ListingDraft("Bottle", ["a", "b"], "short words", "one two", [new ListingImage(ImageRole.Scene)], "Bottle", new string('m', 200)),
            new ListingDraft(SeoProducts.Bottle().Title, ["1", "2", "3", "4", "5"], SeoProducts.Bottle().Description! + new string(' ', 1) + new string('w', 400),
                "vacuum flask hiking commuter gym thermos", Enumerable.Range(0, 6).Select(i => new ListingImage((ImageRole)(i % 3), "alt")).ToList(), "Bottle", "Meta"),
        };
        var keys = new List<string>();
        foreach (var marketplace in SeoMarketplaceRules.Ids)
        {
            foreach (var listing in listings)
            {
                keys.AddRange(engine.ScoreListing(listing, SeoProducts.BottleSubject("Stanley"), marketplace).Rules.Select(r => r.MessageKey));
            }
        }

        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        Assert.True(distinct.Count > 50, $"only {distinct.Count} messages reached");
        return distinct;
    }
}
