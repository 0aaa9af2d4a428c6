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
}
