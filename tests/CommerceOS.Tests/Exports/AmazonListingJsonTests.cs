using System.Text.Json;
using CommerceOS.Core.Exports;

namespace CommerceOS.Tests.Exports;

public sealed class AmazonListingJsonTests
{
    private static readonly AmazonListingSource Bottle = new(
        "WATER_BOTTLE",
        "de",
        "Edelstahl-Trinkflasche 750 ml",
        "Acme",
        ["Hält 24 Stunden kalt", "", "Auslaufsicher"],
        "Doppelwandig isoliert.",
        "trinkflasche edelstahl isoliert",
        [new AmazonOffer("SB-BLK", 2499, "EUR", 12), new AmazonOffer("SB-JP", 1999, "JPY", -3), new AmazonOffer("SB-NOPRICE", null, null, 0)],
        [.. Enumerable.Range(1, 11).Select(i => $"https://cdn.example.com/kits/SB/{i}.jpg")]);

    private static JsonElement Attributes(AmazonListingItem item) =>
        JsonDocument.Parse(item.Body.ToJsonString()).RootElement.GetProperty("attributes");

    [Fact]
    public void Each_SKU_is_a_put_request_in_Amazons_attribute_shape()
    {
        var items = AmazonListingJson.Items(Bottle, "A1PA6795UKMFR9");

        Assert.Equal(["SB-BLK", "SB-JP", "SB-NOPRICE"], items.Select(i => i.Sku).ToArray());
        var body = JsonDocument.Parse(items[0].Body.ToJsonString()).RootElement;
        Assert.Equal(("WATER_BOTTLE", "LISTING"), (body.GetProperty("productType").GetString(), body.GetProperty("requirements").GetString()));
        var a = body.GetProperty("attributes");
        foreach (var name in new[] { "item_name", "brand", "product_description", "generic_keyword" })
        {
            var value = Assert.Single(a.GetProperty(name).EnumerateArray());
            Assert.Equal(("de_DE", "A1PA6795UKMFR9"), (value.GetProperty("language_tag").GetString(), value.GetProperty("marketplace_id").GetString()));
        }

        Assert.Equal("Edelstahl-Trinkflasche 750 ml", a.GetProperty("item_name")[0].GetProperty("value").GetString());
        // Blank bullets are not sent.
        Assert.Equal(["Hält 24 Stunden kalt", "Auslaufsicher"], a.GetProperty("bullet_point").EnumerateArray().Select(b => b.GetProperty("value").GetString()).ToArray());
        Assert.Equal("new_new", a.GetProperty("condition_type")[0].GetProperty("value").GetString());
        var offer = a.GetProperty("purchasable_offer")[0];
        Assert.Equal(("EUR", "A1PA6795UKMFR9"), (offer.GetProperty("currency").GetString(), offer.GetProperty("marketplace_id").GetString()));
        Assert.Equal(24.99m, offer.GetProperty("our_price")[0].GetProperty("schedule")[0].GetProperty("value_with_tax").GetDecimal());
        Assert.Equal(("DEFAULT", 12), (a.GetProperty("fulfillment_availability")[0].GetProperty("fulfillment_channel_code").GetString(), a.GetProperty("fulfillment_availability")[0].GetProperty("quantity").GetInt32()));
    }

    [Fact]
    public void Prices_follow_the_currencys_decimals_stock_is_never_negative_and_no_price_means_no_offer()
    {
        var items = AmazonListingJson.Items(Bottle, AmazonListingJson.DefaultMarketplaceId);

        var yen = Attributes(items[1]);
        Assert.Equal("1999", yen.GetProperty("purchasable_offer")[0].GetProperty("our_price")[0].GetProperty("schedule")[0].GetProperty("value_with_tax").GetRawText());
        Assert.Equal(0, yen.GetProperty("fulfillment_availability")[0].GetProperty("quantity").GetInt32());
        Assert.False(Attributes(items[2]).TryGetProperty("purchasable_offer", out _));
    }

    [Fact]
    public void The_main_image_and_eight_others_are_sent_the_rest_are_not()
    {
        var a = Attributes(AmazonListingJson.Items(Bottle, AmazonListingJson.DefaultMarketplaceId)[0]);

        Assert.Equal("https://cdn.example.com/kits/SB/1.jpg", a.GetProperty("main_product_image_locator")[0].GetProperty("media_location").GetString());
        for (var i = 1; i <= AmazonListingJson.MaxOtherImages; i++)
        {
            Assert.Equal($"https://cdn.example.com/kits/SB/{i + 1}.jpg", a.GetProperty($"other_product_image_locator_{i}")[0].GetProperty("media_location").GetString());
        }

        Assert.False(a.TryGetProperty("other_product_image_locator_9", out _));
        var bare = Attributes(AmazonListingJson.Items(Bottle with { ImageUrls = [], Brand = null, SearchTerms = " " }, AmazonListingJson.DefaultMarketplaceId)[0]);
        Assert.False(bare.TryGetProperty("main_product_image_locator", out _));
        Assert.False(bare.TryGetProperty("brand", out _));
        Assert.False(bare.TryGetProperty("generic_keyword", out _));
    }

    [Fact]
    public void The_file_names_the_marketplace_and_issue_locale_and_unknown_languages_fall_back_to_en_US()
    {
        var file = JsonDocument.Parse(AmazonListingJson.File("A1VC38T7YXB528", "ja", AmazonListingJson.Items(Bottle, "A1VC38T7YXB528")).ToJsonString()).RootElement;

        Assert.Equal(("commerceos-amazon-listings/1", "A1VC38T7YXB528", "ja_JP"), (file.GetProperty("format").GetString(), file.GetProperty("marketplaceId").GetString(), file.GetProperty("issueLocale").GetString()));
        Assert.Equal(3, file.GetProperty("items").GetArrayLength());
        Assert.Equal("SB-BLK", file.GetProperty("items")[0].GetProperty("sku").GetString());
        Assert.Equal("en_US", AmazonListingJson.LanguageTag("th"));
        Assert.Equal("zh_CN", AmazonListingJson.LanguageTag("zh-CN"));
    }

    private static readonly AmazonListingSource Tee = new(
        "SHIRT",
        "en",
        "Organic Cotton Tee",
        "Acme",
        ["Soft organic cotton"],
        "A relaxed tee.",
        "organic tee",
        [
            new AmazonOffer("TEE-S-RED", 1999, "USD", 4, [new("颜色", "Red"), new("Size", "S")]),
            new AmazonOffer("TEE-M-RED", 2099, "USD", 0, [new("颜色", "Red"), new("Size", "M")]),
            new AmazonOffer("TEE-M-BLU", 2099, "USD", 7, [new("颜色", "Blue"), new("Size", "M")]),
        ],
        ["https://cdn.example.com/tee/1.jpg", "https://cdn.example.com/tee/2.jpg"],
        "TEE");

    [Fact]
    public void A_product_with_two_options_is_a_SIZE_COLOR_family_the_parent_first_and_without_an_offer()
    {
        var listing = AmazonListingJson.Listing(Tee, "A1PA6795UKMFR9");

        Assert.Equal("SIZE/COLOR", listing.Variation!.Theme);
        Assert.False(listing.NoTheme);
        Assert.Equal(["TEE", "TEE-S-RED", "TEE-M-RED", "TEE-M-BLU"], listing.Items.Select(i => i.Sku).ToArray());
        Assert.Equal([AmazonParentage.Parent, AmazonParentage.Child, AmazonParentage.Child, AmazonParentage.Child], listing.Items.Select(i => i.Parentage).ToArray());

        var parentBody = JsonDocument.Parse(listing.Items[0].Body.ToJsonString()).RootElement;
        Assert.Equal(("SHIRT", "LISTING"), (parentBody.GetProperty("productType").GetString(), parentBody.GetProperty("requirements").GetString()));
        var parent = parentBody.GetProperty("attributes");
        Assert.Equal("""[{"value":"parent","marketplace_id":"A1PA6795UKMFR9"}]""", parent.GetProperty("parentage_level").GetRawText());
        Assert.Equal("""[{"name":"SIZE/COLOR"}]""", parent.GetProperty("variation_theme").GetRawText());
        Assert.Equal("Organic Cotton Tee", parent.GetProperty("item_name")[0].GetProperty("value").GetString());
        Assert.Equal("A relaxed tee.", parent.GetProperty("product_description")[0].GetProperty("value").GetString());
        Assert.Equal("https://cdn.example.com/tee/1.jpg", parent.GetProperty("main_product_image_locator")[0].GetProperty("media_location").GetString());
        foreach (var sold in new[] { "purchasable_offer", "fulfillment_availability", "condition_type", "child_parent_sku_relationship", "color", "size" })
        {
            Assert.False(parent.TryGetProperty(sold, out _), $"the parent has {sold}");
        }

        var children = listing.Items.Skip(1).Select(Attributes).ToList();
        Assert.All(children, c =>
        {
            Assert.Equal("""[{"value":"child","marketplace_id":"A1PA6795UKMFR9"}]""", c.GetProperty("parentage_level").GetRawText());
            Assert.Equal("""[{"child_relationship_type":"variation","parent_sku":"TEE","marketplace_id":"A1PA6795UKMFR9"}]""", c.GetProperty("child_parent_sku_relationship").GetRawText());
            Assert.False(c.TryGetProperty("variation_theme", out _));
            Assert.Equal("Organic Cotton Tee", c.GetProperty("item_name")[0].GetProperty("value").GetString());
            Assert.Equal("new_new", c.GetProperty("condition_type")[0].GetProperty("value").GetString());
        });
        Assert.Equal("""[{"value":"Red","language_tag":"en_US","marketplace_id":"A1PA6795UKMFR9"}]""", children[0].GetProperty("color").GetRawText());
        Assert.Equal("""[{"value":"S","language_tag":"en_US","marketplace_id":"A1PA6795UKMFR9"}]""", children[0].GetProperty("size").GetRawText());
        Assert.Equal(("M", "Blue"), (children[2].GetProperty("size")[0].GetProperty("value").GetString(), children[2].GetProperty("color")[0].GetProperty("value").GetString()));
        Assert.Equal([19.99m, 20.99m, 20.99m], children.Select(c => c.GetProperty("purchasable_offer")[0].GetProperty("our_price")[0].GetProperty("schedule")[0].GetProperty("value_with_tax").GetDecimal()).ToArray());
        Assert.Equal([4, 0, 7], children.Select(c => c.GetProperty("fulfillment_availability")[0].GetProperty("quantity").GetInt32()).ToArray());

        var file = JsonDocument.Parse(AmazonListingJson.File("A1PA6795UKMFR9", "en", listing.Items).ToJsonString()).RootElement;
        Assert.Equal(["TEE", "TEE-S-RED", "TEE-M-RED", "TEE-M-BLU"], file.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sku").GetString()).ToArray());
    }

    [Fact]
    public void Options_that_fit_no_theme_stay_flat_SKUs_and_say_which()
    {
        var scented = Tee with
        {
            Offers = [new AmazonOffer("CDL-LAV", 1200, "USD", 3, [new("Scent", "Lavender"), new("Colour", "White")]), new AmazonOffer("CDL-CDR", 1200, "USD", 2, [new("Scent", "Cedar"), new("Colour", "White")])],
        };

        var listing = AmazonListingJson.Listing(scented, AmazonListingJson.DefaultMarketplaceId);

        Assert.True(listing.NoTheme);
        Assert.Equal(["Scent"], listing.Variation!.Unmapped);
        Assert.Equal(["CDL-LAV", "CDL-CDR"], listing.Items.Select(i => i.Sku).ToArray());
        Assert.All(listing.Items, i =>
        {
            Assert.Equal(AmazonParentage.None, i.Parentage);
            var a = Attributes(i);
            Assert.False(a.TryGetProperty("parentage_level", out _));
            Assert.False(a.TryGetProperty("child_parent_sku_relationship", out _));
            Assert.False(a.TryGetProperty("color", out _));
            Assert.True(a.TryGetProperty("purchasable_offer", out _));
        });
    }

    [Fact]
    public void One_variant_under_a_parent_SKU_is_a_single_listing_as_before()
    {
        var single = Tee with { Offers = [Tee.Offers[0]] };

        var listing = AmazonListingJson.Listing(single, AmazonListingJson.DefaultMarketplaceId);

        Assert.Null(listing.Variation);
        Assert.False(listing.NoTheme);
        var item = Assert.Single(listing.Items);
        Assert.Equal(("TEE-S-RED", AmazonParentage.None), (item.Sku, item.Parentage));
        Assert.False(Attributes(item).TryGetProperty("parentage_level", out _));
        Assert.False(Attributes(item).TryGetProperty("color", out _));
    }

    [Theory]
    [InlineData("Colour", "COLOR")]
    [InlineData("颜色分类", "COLOR")]
    [InlineData(" size ", "SIZE")]
    [InlineData("尺寸", "SIZE")]
    [InlineData("款式", "STYLE")]
    [InlineData("Material|图案", "MATERIAL/PATTERN")]
    [InlineData("Color|尺码", "SIZE/COLOR")]
    [InlineData("Pattern|Style|Colour", "COLOR/STYLE/PATTERN")]
    public void Themes_come_from_English_and_Chinese_option_names_in_Amazons_order(string options, string theme)
    {
        Assert.Equal(theme, AmazonVariationThemes.Resolve(options.Split('|')).Theme);
    }

    [Fact]
    public void Two_options_for_one_attribute_or_none_at_all_make_no_theme()
    {
        var twice = AmazonVariationThemes.Resolve(["Color", "颜色"]);
        Assert.Null(twice.Theme);
        Assert.Equal(["颜色"], twice.Unmapped);
        Assert.Null(AmazonVariationThemes.Resolve([]).Theme);
        Assert.Equal("color", AmazonVariationThemes.Resolve(["Colour", "Size"]).Attributes["Colour"]);
    }
}
