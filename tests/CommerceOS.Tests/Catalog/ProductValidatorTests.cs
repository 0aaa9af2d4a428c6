using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;

namespace CommerceOS.Tests.Catalog;

public sealed class ProductValidatorTests
{
    private static IReadOnlyList<FieldError> Validate(ProductInput input, bool brandExists = true) =>
        ProductValidator.Validate(input.Normalized(), _ => brandExists);

    private static IEnumerable<(string Field, string Code)> Codes(IReadOnlyList<FieldError> errors) => errors.Select(e => (e.Field, e.Code));

    [Fact]
    public void Validate_CompleteProduct_NoErrors()
    {
        var input = CatalogScope.Sample("SCARF-01/red_1.0", "Silk scarf", CatalogScope.Variant("SCARF-01-R"), CatalogScope.Variant("SCARF-01-B", color: "Blue"));

        Assert.Empty(Validate(input));
    }

    [Fact]
    public void Validate_BlankSkuAndTitle_RequiredCodes()
    {
        var errors = Validate(new ProductInput("  ", " "));

        Assert.Equal([("sku", CatalogErrors.SkuRequired), ("title", CatalogErrors.TitleRequired)], Codes(errors));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("comma,sku")]
    [InlineData("café")]
    [InlineData("货号123")]
    public void Validate_SkuWithForbiddenCharacters_SkuInvalid(string sku)
    {
        var errors = Validate(new ProductInput(sku, "Title"));

        Assert.Equal([("sku", CatalogErrors.SkuInvalid)], Codes(errors));
    }

    [Fact]
    public void Validate_SkuLengthLimit_64AllowedAnd65Rejected()
    {
        Assert.Empty(Validate(new ProductInput(new string('A', 64), "Title")));
        Assert.Equal([("sku", CatalogErrors.SkuInvalid)], Codes(Validate(new ProductInput(new string('A', 65), "Title"))));
    }

    [Fact]
    public void Validate_TitleOf501Characters_TitleTooLongWithLimit()
    {
        var error = Assert.Single(Validate(new ProductInput("A1", new string('标', 501))));

        Assert.Equal(new FieldError("title", CatalogErrors.TitleTooLong, ["500"]), error);
    }

    [Fact]
    public void Validate_BadVariants_EachProblemOnItsField()
    {
        var input = new ProductInput("P1", "Title", Variants:
        [
            new VariantInput("V1", null, -1, "usd", 0),
            new VariantInput("V1", null, 100, "XXX", -3),
            new VariantInput("bad sku", new Dictionary<string, string> { ["Size"] = "" }, 100, "USD", 1),
        ]);

        var errors = Codes(Validate(input)).ToList();

        Assert.Equal(
            [
                ("variants[0].priceMinor", CatalogErrors.PriceNegative),
                ("variants[1].sku", CatalogErrors.VariantSkuDuplicate),
                ("variants[1].currency", CatalogErrors.CurrencyInvalid),
                ("variants[1].stock", CatalogErrors.StockNegative),
                ("variants[2].sku", CatalogErrors.SkuInvalid),
                ("variants[2].options", CatalogErrors.VariantOptionInvalid),
            ],
            errors);
    }

    [Fact]
    public void Validate_TwoCurrencies_CurrencyMixed()
    {
        var input = new ProductInput("P1", "Title", Variants: [CatalogScope.Variant("V1", currency: "CNY"), CatalogScope.Variant("V2", currency: "JPY")]);

        Assert.Equal([("variants[1].currency", CatalogErrors.CurrencyMixed)], Codes(Validate(input)));
    }

    [Theory]
    [InlineData(AttributeType.Number, "1.5", null, true)]
    [InlineData(AttributeType.Number, "-2e3", null, true)]
    [InlineData(AttributeType.Number, "1,5", null, false)]
    [InlineData(AttributeType.Number, "abc", null, false)]
    [InlineData(AttributeType.Boolean, "TRUE", null, true)]
    [InlineData(AttributeType.Boolean, "yes", null, false)]
    [InlineData(AttributeType.Measurement, "30", "cm", true)]
    [InlineData(AttributeType.Measurement, "30", null, false)]
    [InlineData(AttributeType.Measurement, "thirty", "cm", false)]
    [InlineData(AttributeType.Text, "棉", null, true)]
    [InlineData(AttributeType.Text, "x", "cm", false)]
    public void Validate_AttributeValue_ParsedByType(AttributeType type, string value, string? unit, bool valid)
    {
        var input = new ProductInput("P1", "Title", Attributes: [new ProductAttribute("A", type, value, unit)]);

        var errors = Codes(Validate(input)).ToList();

        Assert.Equal(valid ? [] : [("attributes[0].value", CatalogErrors.AttributeInvalid)], errors);
    }

    [Fact]
    public void Validate_DuplicateAttributeNameIgnoringCase_AttributeDuplicate()
    {
        var input = new ProductInput("P1", "Title", Attributes: [new("Color", AttributeType.Text, "Red"), new("color", AttributeType.Text, "Blue")]);

        Assert.Equal([("attributes[1].name", CatalogErrors.AttributeDuplicate)], Codes(Validate(input)));
    }

    [Fact]
    public void Validate_ElevenSellingPointsOneTooLong_BothReported()
    {
        var points = Enumerable.Range(1, 10).Select(i => $"Point {i}").Append(new string('x', 501)).ToList();

        var errors = Codes(Validate(new ProductInput("P1", "Title", SellingPoints: points))).ToList();

        Assert.Equal([("sellingPoints", CatalogErrors.TooManySellingPoints), ("sellingPoints[10]", CatalogErrors.SellingPointTooLong)], errors);
    }

    [Fact]
    public void Validate_UnknownBrand_BrandNotFound()
    {
        var input = new ProductInput("P1", "Title", BrandId: Guid.NewGuid());

        Assert.Equal([("brandId", CatalogErrors.BrandNotFound)], Codes(Validate(input, brandExists: false)));
        Assert.Empty(Validate(input, brandExists: true));
    }

    [Fact]
    public void Normalized_TrimsAndUpperCasesCurrencyAndDropsBlankSellingPoints()
    {
        var input = new ProductInput(" P1 ", " Title ", Description: "  ", SellingPoints: [" a ", " "], Variants: [new VariantInput(" V1 ", null, 1, " cny ", 0)]).Normalized();

        Assert.Equal("P1", input.Sku);
        Assert.Equal("Title", input.Title);
        Assert.Null(input.Description);
        Assert.Equal(["a"], input.SellingPoints!);
        Assert.Equal("CNY", input.Variants![0].Currency);
        Assert.Equal("V1", input.Variants[0].Sku);
    }
}
