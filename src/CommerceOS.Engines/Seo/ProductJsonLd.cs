using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>schema.org Product JSON-LD from the product's facts: one Offer per variant, attributes as additionalProperty.</summary>
public static class ProductJsonLd
{
    /// <summary>Readable CJK, while the encoder still escapes &lt; &gt; &amp; so the JSON is safe inside a script element.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>ISO 4217 currencies whose minor unit is not 1/100.</summary>
    private static readonly Dictionary<string, int> MinorDigits = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    private static readonly string[] GtinNames = ["gtin", "gtin8", "gtin12", "gtin13", "gtin14", "ean", "upc", "isbn", "条形码", "条码"];

    private static readonly string[] MpnNames = ["mpn", "model", "model number", "part number", "型号"];

    public static string Build(SeoSubject subject, JsonLdOptions options)
    {
        var product = subject.Product;
        var node = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Product",
            ["name"] = SeoText.Squash(product.Title),
        };
        var description = LocalSeoEngine.DescriptionSource(product);
        if (description.Length > 0)
        {
            node["description"] = description;
        }

        node["sku"] = product.Sku;
        if (FindAttribute(product, GtinNames) is { } gtin && gtin.All(char.IsDigit) && gtin.Length is 8 or 12 or 13 or 14)
        {
            node["gtin"] = gtin;
        }

        if (FindAttribute(product, MpnNames) is { } mpn)
        {
            node["mpn"] = mpn;
        }

        if (!string.IsNullOrWhiteSpace(subject.Brand))
        {
            node["brand"] = new JsonObject { ["@type"] = "Brand", ["name"] = SeoText.Squash(subject.Brand) };
        }

        if (!string.IsNullOrWhiteSpace(product.Category))
        {
            node["category"] = SeoText.Squash(product.Category);
        }

        if (options.ImageUrls.Count > 0)
        {
            node["image"] = new JsonArray(options.ImageUrls.Select(url => (JsonNode?)JsonValue.Create(url)).ToArray());
        }

        if (!string.IsNullOrWhiteSpace(options.PageUrl))
        {
            node["url"] = options.PageUrl;
        }

        var offers = product.Variants
            .OrderBy(v => v.Position).ThenBy(v => v.Sku, StringComparer.Ordinal)
            .Select(v => Offer(v, options.PageUrl))
            .ToList();
        if (offers.Count == 1)
        {
            node["offers"] = offers[0];
        }
        else if (offers.Count > 1)
        {
            node["offers"] = new JsonArray(offers.Cast<JsonNode?>().ToArray());
        }

        var properties = product.Attributes
            .Where(a => !string.IsNullOrWhiteSpace(a.Name) && !string.IsNullOrWhiteSpace(a.Value))
            .Select(a =>
            {
                var property = new JsonObject { ["@type"] = "PropertyValue", ["name"] = SeoText.Squash(a.Name), ["value"] = SeoText.Squash(a.Value) };
                if (!string.IsNullOrWhiteSpace(a.Unit))
                {
                    property["unitText"] = a.Unit;
                }

                return (JsonNode?)property;
            })
            .ToArray();
        if (properties.Length > 0)
        {
            node["additionalProperty"] = new JsonArray(properties);
        }

        return node.ToJsonString(Json);
    }

    /// <summary>Minor units as a decimal string in the currency's own precision ("1999" USD is "19.99", JPY "1999").</summary>
    public static string FormatPrice(long minor, string currency)
    {
        var digits = MinorDigits.GetValueOrDefault(currency.ToUpperInvariant(), 2);
        var value = minor / (decimal)Math.Pow(10, digits);
        return value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static JsonObject Offer(ProductVariant variant, string? pageUrl)
    {
        var currency = variant.Currency.ToUpperInvariant();
        var offer = new JsonObject
        {
            ["@type"] = "Offer",
            ["sku"] = variant.Sku,
            ["price"] = FormatPrice(variant.PriceMinor, currency),
            ["priceCurrency"] = currency,
            ["availability"] = variant.Stock > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
        };
        if (!string.IsNullOrWhiteSpace(pageUrl))
        {
            offer["url"] = pageUrl;
        }

        return offer;
    }

    private static string? FindAttribute(Product product, string[] names) =>
        product.Attributes
            .FirstOrDefault(a => names.Contains(SeoText.Squash(a.Name).ToLowerInvariant(), StringComparer.Ordinal) && !string.IsNullOrWhiteSpace(a.Value))
            ?.Value.Trim();
}
