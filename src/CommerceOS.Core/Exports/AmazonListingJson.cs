using System.Globalization;
using System.Text.Json.Nodes;

namespace CommerceOS.Core.Exports;

/// <summary>What one product gives Amazon: the kit's copy, its offers per SKU and its gallery by public URL.</summary>
/// <param name="ProductType">Amazon's product type (the product's <c>Amazon product type</c> attribute, else <see cref="AmazonListingJson.DefaultProductType"/>).</param>
/// <param name="Language">The copy's language ("en", "de", "zh-CN"...).</param>
/// <param name="ImageUrls">Main image first, then the others (Amazon takes eight more).</param>
public sealed record AmazonListingSource(
    string ProductType,
    string Language,
    string Title,
    string? Brand,
    IReadOnlyList<string> Bullets,
    string? Description,
    string? SearchTerms,
    IReadOnlyList<AmazonOffer> Offers,
    IReadOnlyList<string> ImageUrls);

/// <summary>One SKU: its price in minor units of its currency (none when the catalog has no price) and its stock.</summary>
public sealed record AmazonOffer(string Sku, long? PriceMinor, string? Currency, int Quantity);

/// <summary>One <c>putListingsItem</c> call: the SKU of the path and the <c>ListingsItemPutRequest</c> body.</summary>
public sealed record AmazonListingItem(string Sku, JsonObject Body);

/// <summary>
/// Amazon listings as the Listings Items API 2021-08-01 takes them (external-apis.md §8.3): per SKU a
/// <c>ListingsItemPutRequest</c> with <c>productType</c>, <c>requirements</c> <c>LISTING</c> and attributes in Amazon's
/// shape (arrays of objects carrying <c>language_tag</c> and <c>marketplace_id</c>). The attribute names are the ones the
/// reference lists (item_name, brand, bullet_point, product_description, condition_type, purchasable_offer,
/// fulfillment_availability, the image locators) plus <c>generic_keyword</c> for search terms; a product type's schema
/// may require more, which the publish step validates against the live schema (<c>mode=VALIDATION_PREVIEW</c>).
/// </summary>
public static class AmazonListingJson
{
    public const string FileName = "amazon-listings.json";

    public const string FormatId = "commerceos-amazon-listings/1";

    /// <summary>Amazon's generic product type, for products whose seller has not named one.</summary>
    public const string DefaultProductType = "PRODUCT";

    /// <summary>The product attribute a seller sets to choose the product type (e.g. <c>WATER_BOTTLE</c>).</summary>
    public const string ProductTypeAttribute = "Amazon product type";

    /// <summary>amazon.com.</summary>
    public const string DefaultMarketplaceId = "ATVPDKIKX0DER";

    /// <summary>Besides the main image (<c>other_product_image_locator_1</c> to <c>_8</c>).</summary>
    public const int MaxOtherImages = 8;

    private static readonly Dictionary<string, string> Locales = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "en_US",
        ["de"] = "de_DE",
        ["fr"] = "fr_FR",
        ["es"] = "es_ES",
        ["it"] = "it_IT",
        ["ja"] = "ja_JP",
        ["zh-CN"] = "zh_CN",
    };

    /// <summary>Amazon's language tag for a copy language (<c>en</c> -> <c>en_US</c>); unknown ones fall back to <c>en_US</c>.</summary>
    public static string LanguageTag(string language) => Locales.GetValueOrDefault(language, "en_US");

    /// <summary>One item per SKU of the product, each a complete put request.</summary>
    public static IReadOnlyList<AmazonListingItem> Items(AmazonListingSource source, string marketplaceId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(marketplaceId);
        var tag = LanguageTag(source.Language);
        var items = new List<AmazonListingItem>();
        foreach (var offer in source.Offers)
        {
            var attributes = new JsonObject
            {
                ["item_name"] = Texts(marketplaceId, tag, [source.Title]),
            };
            if (!string.IsNullOrWhiteSpace(source.Brand))
            {
                attributes["brand"] = Texts(marketplaceId, tag, [source.Brand]);
            }

            var bullets = source.Bullets.Where(b => !string.IsNullOrWhiteSpace(b)).ToList();
            if (bullets.Count > 0)
            {
                attributes["bullet_point"] = Texts(marketplaceId, tag, bullets);
            }

            if (!string.IsNullOrWhiteSpace(source.Description))
            {
                attributes["product_description"] = Texts(marketplaceId, tag, [source.Description]);
            }

            if (!string.IsNullOrWhiteSpace(source.SearchTerms))
            {
                attributes["generic_keyword"] = Texts(marketplaceId, tag, [source.SearchTerms]);
            }

            attributes["condition_type"] = new JsonArray(new JsonObject { ["value"] = "new_new", ["marketplace_id"] = marketplaceId });
            if (offer is { PriceMinor: { } price, Currency: { } currency })
            {
                var amount = decimal.Parse(Common.Currencies.FormatMajor(price, currency), NumberStyles.Number, CultureInfo.InvariantCulture);
                attributes["purchasable_offer"] = new JsonArray(new JsonObject
                {
                    ["currency"] = currency,
                    ["marketplace_id"] = marketplaceId,
                    ["our_price"] = new JsonArray(new JsonObject
                    {
                        ["schedule"] = new JsonArray(new JsonObject { ["value_with_tax"] = amount }),
                    }),
                });
            }

            attributes["fulfillment_availability"] = new JsonArray(new JsonObject
            {
                ["fulfillment_channel_code"] = "DEFAULT",
                ["quantity"] = Math.Max(0, offer.Quantity),
            });
            for (var i = 0; i < Math.Min(source.ImageUrls.Count, MaxOtherImages + 1); i++)
            {
                var name = i == 0 ? "main_product_image_locator" : $"other_product_image_locator_{i}";
                attributes[name] = new JsonArray(new JsonObject { ["media_location"] = source.ImageUrls[i], ["marketplace_id"] = marketplaceId });
            }

            items.Add(new AmazonListingItem(offer.Sku, new JsonObject
            {
                ["productType"] = source.ProductType,
                ["requirements"] = "LISTING",
                ["attributes"] = attributes,
            }));
        }

        return items;
    }

    /// <summary>The whole file: where the items go and how issues come back, then the items.</summary>
    public static JsonObject File(string marketplaceId, string language, IEnumerable<AmazonListingItem> items) => new()
    {
        ["format"] = FormatId,
        ["marketplaceId"] = marketplaceId,
        ["issueLocale"] = LanguageTag(language),
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject { ["sku"] = i.Sku, ["body"] = i.Body.DeepClone() })]),
    };

    private static JsonArray Texts(string marketplaceId, string tag, IEnumerable<string> values) =>
        new([.. values.Select(v => (JsonNode)new JsonObject { ["value"] = v, ["language_tag"] = tag, ["marketplace_id"] = marketplaceId })]);
}
