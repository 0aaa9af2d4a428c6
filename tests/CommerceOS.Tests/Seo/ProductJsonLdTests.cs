using System.Text.Json.Nodes;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;

namespace CommerceOS.Tests.Seo;

public sealed class ProductJsonLdTests
{
    private static readonly JsonLdOptions Images = new(["https://cdn.example.com/p/1.jpg", "https://cdn.example.com/p/2.jpg"], "https://shop.example.com/products/bottle");

    private readonly LocalSeoEngine _engine = new();

    [Fact]
    public void Built_json_ld_holds_the_facts_and_validates()
    {
        var json = _engine.BuildProductJsonLd(SeoProducts.BottleSubject(), Images);
        var node = JsonNode.Parse(json)!.AsObject();

        Assert.Equal("https://schema.org", (string?)node["@context"]);
        Assert.Equal("Product", (string?)node["@type"]);
        Assert.Equal("AQ-BTL-500", (string?)node["sku"]);
        Assert.Equal("AquaPeak", (string?)node["brand"]!["name"]);
        Assert.Equal("AP-500", (string?)node["mpn"]);
        var offers = node["offers"]!.AsArray();
        Assert.Equal(2, offers.Count);
        Assert.Equal("24.99", (string?)offers[0]!["price"]);
        Assert.Equal("USD", (string?)offers[0]!["priceCurrency"]);
        Assert.Equal("https://schema.org/InStock", (string?)offers[0]!["availability"]);
        Assert.Equal("https://schema.org/OutOfStock", (string?)offers[1]!["availability"]);
        var properties = node["additionalProperty"]!.AsArray();
        Assert.Contains(properties, p => (string?)p!["name"] == "Capacity" && (string?)p["value"] == "500" && (string?)p["unitText"] == "ml");

        var validation = _engine.ValidateProductJsonLd(json);
        Assert.True(validation.IsValid, string.Join(", ", validation.Issues.Select(i => $"{i.Path} {i.MessageKey}")));
        Assert.DoesNotContain(validation.Issues, i => i.Severity == JsonLdSeverity.Error);
    }

    [Fact]
    public void Chinese_product_json_ld_is_readable_and_valid()
    {
        var json = _engine.BuildProductJsonLd(SeoProducts.CupSubject(), Images);

        Assert.Contains("不锈钢保温杯", json, StringComparison.Ordinal);
        Assert.Equal("59.00", (string?)JsonNode.Parse(json)!["offers"]!["price"]);
        Assert.True(_engine.ValidateProductJsonLd(json).IsValid);
    }

    [Theory]
    [InlineData(1999, "USD", "19.99")]
    [InlineData(1999, "JPY", "1999")]
    [InlineData(1999, "KWD", "1.999")]
    [InlineData(5, "EUR", "0.05")]
    public void Prices_use_the_currency_minor_unit(long minor, string currency, string expected) =>
        Assert.Equal(expected, ProductJsonLd.FormatPrice(minor, currency));

    [Fact]
    public void Invalid_json_ld_is_caught_with_each_problem()
    {
        const string invalid = """
            {
              "@context": "https://schema.org",
              "@type": "Product",
              "name": "",
              "image": ["/relative.jpg"],
              "offers": { "@type": "Offer", "price": "19,99", "priceCurrency": "usd", "availability": "InStockNow" },
              "additionalProperty": [{ "@type": "PropertyValue", "name": "Colour" }]
            }
            """;

        var validation = _engine.ValidateProductJsonLd(invalid);

        Assert.False(validation.IsValid);
        var errors = validation.Issues.Where(i => i.Severity == JsonLdSeverity.Error).Select(i => (i.Path, i.MessageKey)).ToList();
        Assert.Contains(("$.name", ProductJsonLdValidator.NameMissing), errors);
        Assert.Contains(("$.image[0]", ProductJsonLdValidator.ImageInvalid), errors);
        Assert.Contains(("$.offers.price", ProductJsonLdValidator.PriceInvalid), errors);
        Assert.Contains(("$.offers.priceCurrency", ProductJsonLdValidator.CurrencyInvalid), errors);
        Assert.Contains(("$.offers.availability", ProductJsonLdValidator.AvailabilityInvalid), errors);
        Assert.Contains(("$.additionalProperty[0]", ProductJsonLdValidator.PropertyInvalid), errors);
        Assert.Contains(validation.Issues, i => i.Severity == JsonLdSeverity.Warning && i.MessageKey == ProductJsonLdValidator.BrandMissing);
    }

    [Fact]
    public void A_product_without_offers_or_images_is_invalid()
    {
        var product = SeoProducts.Bottle();
        product.Variants.Clear();
        var json = _engine.BuildProductJsonLd(new SeoSubject(product), new JsonLdOptions([]));

        var keys = _engine.ValidateProductJsonLd(json).Issues.Where(i => i.Severity == JsonLdSeverity.Error).Select(i => i.MessageKey).ToList();

        Assert.Equal([ProductJsonLdValidator.OffersMissing, ProductJsonLdValidator.ImageMissing], keys);
    }

    [Theory]
    [InlineData("not json", ProductJsonLdValidator.NotJson)]
    [InlineData("""{"@context":"https://schema.org","@type":"Offer"}""", ProductJsonLdValidator.NoProduct)]
    [InlineData("""{"@context":"https://example.org","@type":"Product","name":"A","image":"https://a.example/x.jpg","offers":{"@type":"Offer","price":1,"priceCurrency":"USD"}}""", ProductJsonLdValidator.Context)]
    [InlineData("""{"@context":"https://schema.org","@type":"Product","name":"A","image":"https://a.example/x.jpg","offers":{"@type":"Offer","priceCurrency":"USD"}}""", ProductJsonLdValidator.PriceMissing)]
    public void Structural_errors_are_reported(string json, string expected) =>
        Assert.Contains(_engine.ValidateProductJsonLd(json).Issues, i => i.Severity == JsonLdSeverity.Error && i.MessageKey == expected);

    [Fact]
    public void Graph_and_aggregate_offers_are_understood()
    {
        const string json = """
            {"@context":"https://schema.org","@graph":[
              {"@type":"Organization","name":"Shop"},
              {"@type":"Product","name":"A","sku":"A1","description":"d","brand":{"@type":"Brand","name":"B"},"gtin13":"4006381333931",
               "image":[{"@type":"ImageObject","url":"https://a.example/x.jpg"}],
               "offers":{"@type":"AggregateOffer","lowPrice":"9.50","highPrice":"12","priceCurrency":"EUR","availability":"https://schema.org/InStock"}}]}
            """;

        var validation = _engine.ValidateProductJsonLd(json);

        Assert.True(validation.IsValid);
        Assert.Empty(validation.Issues);
    }
}
