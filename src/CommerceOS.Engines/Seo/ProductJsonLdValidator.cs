using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>
/// Checks Product JSON-LD against Google Search's Product structured data (product snippets and merchant listings,
/// developers.google.com/search/docs/appearance/structured-data/product-snippet and .../merchant-listing):
/// required: name; one of offers, review or aggregateRating; image (merchant listings); per Offer price and
/// priceCurrency (AggregateOffer lowPrice and priceCurrency); a valid availability where given.
/// Recommended (warnings): description, sku, brand.name, a gtin or mpn, availability.
/// </summary>
public static class ProductJsonLdValidator
{
    public const string NotJson = "seo.jsonld.not_json";
    public const string NoProduct = "seo.jsonld.no_product";
    public const string Context = "seo.jsonld.context";
    public const string NameMissing = "seo.jsonld.name_missing";
    public const string OffersMissing = "seo.jsonld.offers_missing";
    public const string ImageMissing = "seo.jsonld.image_missing";
    public const string ImageInvalid = "seo.jsonld.image_invalid";
    public const string OfferType = "seo.jsonld.offer_type";
    public const string PriceMissing = "seo.jsonld.price_missing";
    public const string PriceInvalid = "seo.jsonld.price_invalid";
    public const string CurrencyInvalid = "seo.jsonld.currency_invalid";
    public const string AvailabilityInvalid = "seo.jsonld.availability_invalid";
    public const string AvailabilityMissing = "seo.jsonld.availability_missing";
    public const string DescriptionMissing = "seo.jsonld.description_missing";
    public const string SkuMissing = "seo.jsonld.sku_missing";
    public const string BrandMissing = "seo.jsonld.brand_missing";
    public const string IdentifierMissing = "seo.jsonld.identifier_missing";
    public const string PropertyInvalid = "seo.jsonld.property_invalid";

    public static readonly IReadOnlyList<string> Codes =
    [
        NotJson, NoProduct, Context, NameMissing, OffersMissing, ImageMissing, ImageInvalid, OfferType, PriceMissing, PriceInvalid,
        CurrencyInvalid, AvailabilityInvalid, AvailabilityMissing, DescriptionMissing, SkuMissing, BrandMissing, IdentifierMissing,
        PropertyInvalid,
    ];

    /// <summary>schema.org ItemAvailability members.</summary>
    private static readonly HashSet<string> Availability = new(StringComparer.Ordinal)
    {
        "BackOrder", "Discontinued", "InStock", "InStoreOnly", "LimitedAvailability", "MadeToOrder", "OnlineOnly", "OutOfStock",
        "PreOrder", "PreSale", "Reserved", "SoldOut",
    };

    public static JsonLdValidation Validate(string json)
    {
        var issues = new List<JsonLdIssue>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return new JsonLdValidation([new JsonLdIssue(JsonLdSeverity.Error, "$", NotJson)]);
        }

        using (document)
        {
            var products = new List<(JsonElement Node, string Path, JsonElement? Context)>();
            Collect(document.RootElement, "$", null, products);
            if (products.Count == 0)
            {
                issues.Add(new JsonLdIssue(JsonLdSeverity.Error, "$", NoProduct));
            }

            foreach (var (node, path, context) in products)
            {
                ValidateProduct(node, path, context, issues);
            }
        }

        return new JsonLdValidation(issues);
    }

    private static void Collect(JsonElement element, string path, JsonElement? context, List<(JsonElement, string, JsonElement?)> products)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, $"{path}[{i++}]", context, products);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (element.TryGetProperty("@context", out var own))
        {
            context = own;
        }

        if (element.TryGetProperty("@graph", out var graph))
        {
            Collect(graph, path + ".@graph", context, products);
        }

        if (HasType(element, "Product"))
        {
            products.Add((element, path, context));
        }
    }

    private static void ValidateProduct(JsonElement node, string path, JsonElement? context, List<JsonLdIssue> issues)
    {
        void Error(string at, string code) => issues.Add(new JsonLdIssue(JsonLdSeverity.Error, at, code));
        void Warn(string at, string code) => issues.Add(new JsonLdIssue(JsonLdSeverity.Warning, at, code));

        if (context is not { ValueKind: JsonValueKind.String } c || !IsSchemaOrg(c.GetString()))
        {
            Error(path + ".@context", Context);
        }

        if (!NonEmptyString(node, "name"))
        {
            Error(path + ".name", NameMissing);
        }

        var hasOffers = node.TryGetProperty("offers", out var offers);
        if (!hasOffers && !node.TryGetProperty("review", out _) && !node.TryGetProperty("aggregateRating", out _))
        {
            Error(path + ".offers", OffersMissing);
        }

        if (!node.TryGetProperty("image", out var image))
        {
            Error(path + ".image", ImageMissing);
        }
        else
        {
            var images = image.ValueKind == JsonValueKind.Array ? image.EnumerateArray().ToList() : [image];
            if (images.Count == 0)
            {
                Error(path + ".image", ImageMissing);
            }

            for (var i = 0; i < images.Count; i++)
            {
                var url = images[i].ValueKind == JsonValueKind.String ? images[i].GetString()
                    : images[i].ValueKind == JsonValueKind.Object && (images[i].TryGetProperty("url", out var u) || images[i].TryGetProperty("contentUrl", out u)) && u.ValueKind == JsonValueKind.String ? u.GetString()
                    : null;
                if (!IsHttpUrl(url))
                {
                    Error($"{path}.image[{i}]", ImageInvalid);
                }
            }
        }

        if (hasOffers)
        {
            var list = offers.ValueKind == JsonValueKind.Array ? offers.EnumerateArray().ToList() : [offers];
            if (list.Count == 0)
            {
                Error(path + ".offers", OffersMissing);
            }

            for (var i = 0; i < list.Count; i++)
            {
                ValidateOffer(list[i], offers.ValueKind == JsonValueKind.Array ? $"{path}.offers[{i}]" : path + ".offers", issues);
            }
        }

        if (!NonEmptyString(node, "description"))
        {
            Warn(path + ".description", DescriptionMissing);
        }

        if (!NonEmptyString(node, "sku"))
        {
            Warn(path + ".sku", SkuMissing);
        }

        if (!node.TryGetProperty("brand", out var brand) || !(brand.ValueKind == JsonValueKind.Object ? NonEmptyString(brand, "name") : brand.ValueKind == JsonValueKind.String && brand.GetString()!.Trim().Length > 0))
        {
            Warn(path + ".brand", BrandMissing);
        }

        string[] identifiers = ["gtin", "gtin8", "gtin12", "gtin13", "gtin14", "mpn", "isbn"];
        if (!identifiers.Any(id => NonEmptyString(node, id)))
        {
            Warn(path + ".gtin", IdentifierMissing);
        }

        if (node.TryGetProperty("additionalProperty", out var properties))
        {
            var list = properties.ValueKind == JsonValueKind.Array ? properties.EnumerateArray().ToList() : [properties];
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].ValueKind != JsonValueKind.Object || !NonEmptyString(list[i], "name") || !list[i].TryGetProperty("value", out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    Error($"{path}.additionalProperty[{i}]", PropertyInvalid);
                }
            }
        }
    }

    private static void ValidateOffer(JsonElement offer, string path, List<JsonLdIssue> issues)
    {
        void Error(string at, string code) => issues.Add(new JsonLdIssue(JsonLdSeverity.Error, at, code));

        if (offer.ValueKind != JsonValueKind.Object || !(HasType(offer, "Offer") || HasType(offer, "AggregateOffer")))
        {
            Error(path + ".@type", OfferType);
            return;
        }

        var priceProperty = HasType(offer, "AggregateOffer") ? "lowPrice" : "price";
        if (!offer.TryGetProperty(priceProperty, out var price))
        {
            // A price may also sit in a priceSpecification (Google accepts either).
            if (!(offer.TryGetProperty("priceSpecification", out var spec) && spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("price", out price)))
            {
                Error($"{path}.{priceProperty}", PriceMissing);
            }
        }

        if (price.ValueKind != JsonValueKind.Undefined && !IsPrice(price))
        {
            Error($"{path}.{priceProperty}", PriceInvalid);
        }

        var currency = offer.TryGetProperty("priceCurrency", out var cur) && cur.ValueKind == JsonValueKind.String ? cur.GetString()
            : offer.TryGetProperty("priceSpecification", out var ps) && ps.ValueKind == JsonValueKind.Object && ps.TryGetProperty("priceCurrency", out var pc) && pc.ValueKind == JsonValueKind.String ? pc.GetString()
            : null;
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
        {
            Error(path + ".priceCurrency", CurrencyInvalid);
        }

        if (!offer.TryGetProperty("availability", out var availability))
        {
            issues.Add(new JsonLdIssue(JsonLdSeverity.Warning, path + ".availability", AvailabilityMissing));
        }
        else if (availability.ValueKind != JsonValueKind.String || !Availability.Contains(StripSchema(availability.GetString()!)))
        {
            Error(path + ".availability", AvailabilityInvalid);
        }
    }

    private static bool IsPrice(JsonElement price) => price.ValueKind switch
    {
        JsonValueKind.Number => price.GetDecimal() >= 0,
        // schema.org wants '.' as the decimal separator and no currency symbols or thousands separators.
        JsonValueKind.String => decimal.TryParse(price.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= 0,
        _ => false,
    };

    private static bool HasType(JsonElement element, string type)
    {
        if (!element.TryGetProperty("@type", out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => StripSchema(value.GetString()!) == type,
            JsonValueKind.Array => value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && StripSchema(v.GetString()!) == type),
            _ => false,
        };
    }

    private static string StripSchema(string value)
    {
        foreach (var prefix in new[] { "https://schema.org/", "http://schema.org/", "schema:" })
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return value[prefix.Length..];
            }
        }

        return value;
    }

    private static bool IsSchemaOrg(string? context) =>
        context is not null && (context.TrimEnd('/') is "https://schema.org" or "http://schema.org");

    private static bool NonEmptyString(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0;

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
