using System.Globalization;
using System.Text.Json.Nodes;

namespace CommerceOS.Core.Exports;

/// <summary>What one product gives Amazon: the kit's copy, its offers per SKU and its gallery by public URL.</summary>
/// <param name="ProductType">Amazon's product type (the product's <c>Amazon product type</c> attribute, else <see cref="AmazonListingJson.DefaultProductType"/>).</param>
/// <param name="Language">The copy's language ("en", "de", "zh-CN"...).</param>
/// <param name="ImageUrls">Main image first, then the others (Amazon takes eight more).</param>
/// <param name="ParentSku">The product's own SKU: with more than one offer, the parent of the variation family; null = flat SKUs.</param>
public sealed record AmazonListingSource(
    string ProductType,
    string Language,
    string Title,
    string? Brand,
    IReadOnlyList<string> Bullets,
    string? Description,
    string? SearchTerms,
    IReadOnlyList<AmazonOffer> Offers,
    IReadOnlyList<string> ImageUrls,
    string? ParentSku = null);

/// <summary>One SKU: its price in minor units of its currency (none when the catalog has no price), its stock and its option values.</summary>
/// <param name="Options">Option name → value (<c>Color</c> → <c>Black</c>), in the product's option order.</param>
public sealed record AmazonOffer(string Sku, long? PriceMinor, string? Currency, int Quantity, IReadOnlyList<KeyValuePair<string, string>>? Options = null);

/// <summary>Where an item stands in a variation family.</summary>
public enum AmazonParentage
{
    /// <summary>A SKU of its own (a product with one variant, or variants whose options fit no theme).</summary>
    None = 0,

    /// <summary>The family's parent: product facts and the theme, never sold itself.</summary>
    Parent = 1,

    /// <summary>A variant of the family, with its offer.</summary>
    Child = 2,
}

/// <summary>One <c>putListingsItem</c> call: the SKU of the path and the <c>ListingsItemPutRequest</c> body.</summary>
public sealed record AmazonListingItem(string Sku, JsonObject Body, AmazonParentage Parentage = AmazonParentage.None);

/// <summary>A product's put requests, the parent first when it is a family.</summary>
/// <param name="Variation">The theme and its attributes for a product with variants and a parent SKU; null otherwise.
/// With no <see cref="AmazonVariation.Theme"/> the items are flat SKUs and the caller says why.</param>
public sealed record AmazonListing(IReadOnlyList<AmazonListingItem> Items, AmazonVariation? Variation)
{
    /// <summary>The product has variants but their options fit no theme: flat SKUs, worth a warning.</summary>
    public bool NoTheme => Variation is { Theme: null };
}

/// <summary>
/// Amazon listings as the Listings Items API 2021-08-01 takes them (external-apis.md §8.3): per SKU a
/// <c>ListingsItemPutRequest</c> with <c>productType</c>, <c>requirements</c> <c>LISTING</c> and attributes in Amazon's
/// shape (arrays of objects carrying <c>language_tag</c> and <c>marketplace_id</c>). The attribute names are the ones the
/// reference lists (item_name, brand, bullet_point, product_description, condition_type, purchasable_offer,
/// fulfillment_availability, the image locators) plus <c>generic_keyword</c> for search terms; a product type's schema
/// may require more, which the publish step validates against the live schema (<c>mode=VALIDATION_PREVIEW</c>).
/// A product with variants is a variation family (<see cref="Listing"/>).
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

    /// <summary>One item per SKU of the product, each a complete put request (the parent first for a variation family).</summary>
    public static IReadOnlyList<AmazonListingItem> Items(AmazonListingSource source, string marketplaceId) => Listing(source, marketplaceId).Items;

    /// <summary>
    /// The product's put requests. More than one offer under a parent SKU makes a variation family when every option fits
    /// a theme (<see cref="AmazonVariationThemes"/>): a parent with the product's texts and images, the theme and no offer,
    /// then per variant a child naming the parent, with its offer and its option values. Otherwise flat SKUs as they were.
    /// </summary>
    // UNCONFIRMED: parentage_level, variation_theme and child_parent_sku_relationship are not in the reference; their
    // shapes follow Amazon's public product-type schemas.
    public static AmazonListing Listing(AmazonListingSource source, string marketplaceId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(marketplaceId);
        var tag = LanguageTag(source.Language);
        var parent = source.ParentSku;
        AmazonVariation? variation = null;
        if (!string.IsNullOrWhiteSpace(parent) && source.Offers.Count > 1 && source.Offers.All(o => o.Sku != parent))
        {
            variation = AmazonVariationThemes.Resolve([.. source.Offers.SelectMany(o => o.Options ?? []).Select(o => o.Key).Distinct(StringComparer.Ordinal)]);
        }

        if (variation?.Theme is not { } theme)
        {
            return new AmazonListing([.. source.Offers.Select(offer => Item(source, offer.Sku, Sellable(Product(source, marketplaceId, tag), offer, marketplaceId)))], variation);
        }

        var items = new List<AmazonListingItem>();
        var head = Product(source, marketplaceId, tag);
        head["parentage_level"] = new JsonArray(new JsonObject { ["value"] = "parent", ["marketplace_id"] = marketplaceId });
        head["variation_theme"] = new JsonArray(new JsonObject { ["name"] = theme });
        items.Add(Item(source, parent!, head, AmazonParentage.Parent));
        foreach (var offer in source.Offers)
        {
            var attributes = Sellable(Product(source, marketplaceId, tag), offer, marketplaceId);
            attributes["parentage_level"] = new JsonArray(new JsonObject { ["value"] = "child", ["marketplace_id"] = marketplaceId });
            attributes["child_parent_sku_relationship"] = new JsonArray(new JsonObject
            {
                ["child_relationship_type"] = "variation",
                ["parent_sku"] = parent,
                ["marketplace_id"] = marketplaceId,
            });
            foreach (var (name, value) in offer.Options ?? [])
            {
                if (variation.Attributes.TryGetValue(name, out var attribute) && !string.IsNullOrWhiteSpace(value))
                {
                    attributes[attribute] = Texts(marketplaceId, tag, [value]);
                }
            }

            items.Add(Item(source, offer.Sku, attributes, AmazonParentage.Child));
        }

        return new AmazonListing(items, variation);
    }

    /// <summary>The whole file: where the items go and how issues come back, then the items.</summary>
    public static JsonObject File(string marketplaceId, string language, IEnumerable<AmazonListingItem> items) => new()
    {
        ["format"] = FormatId,
        ["marketplaceId"] = marketplaceId,
        ["issueLocale"] = LanguageTag(language),
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject { ["sku"] = i.Sku, ["body"] = i.Body.DeepClone() })]),
    };

    private static AmazonListingItem Item(AmazonListingSource source, string sku, JsonObject attributes, AmazonParentage parentage = AmazonParentage.None) =>
        new(sku, new JsonObject
        {
            ["productType"] = source.ProductType,
            ["requirements"] = "LISTING",
            ["attributes"] = attributes,
        }, parentage);

    /// <summary>What the product says whichever SKU carries it: its texts and its images.</summary>
    private static JsonObject Product(AmazonListingSource source, string marketplaceId, string tag)
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

        for (var i = 0; i < Math.Min(source.ImageUrls.Count, MaxOtherImages + 1); i++)
        {
            var name = i == 0 ? "main_product_image_locator" : $"other_product_image_locator_{i}";
            attributes[name] = new JsonArray(new JsonObject { ["media_location"] = source.ImageUrls[i], ["marketplace_id"] = marketplaceId });
        }

        return attributes;
    }

    /// <summary>Adds what a SKU that is sold carries: condition, price and stock.</summary>
    private static JsonObject Sellable(JsonObject attributes, AmazonOffer offer, string marketplaceId)
    {
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
        return attributes;
    }

    private static JsonArray Texts(string marketplaceId, string tag, IEnumerable<string> values) =>
        new([.. values.Select(v => (JsonNode)new JsonObject { ["value"] = v, ["language_tag"] = tag, ["marketplace_id"] = marketplaceId })]);
}
