using CommerceOS.Core.Catalog;

namespace CommerceOS.Tests.Catalog;

public sealed class ProductCsvFormatTests
{
    [Fact]
    public void TryParseAttributes_DocumentedExamples_TypedAttributes()
    {
        Assert.True(ProductCsvFormat.TryParseAttributes(
            "Material=Cotton; Weight=1.5[kg]; Pieces:number=4; Waterproof:boolean=true; Colours:list=Red, Blue; 材质=真丝",
            out var attributes));

        Assert.Equal(
            [
                new ProductAttribute("Material", AttributeType.Text, "Cotton"),
                new ProductAttribute("Weight", AttributeType.Measurement, "1.5", "kg"),
                new ProductAttribute("Pieces", AttributeType.Number, "4"),
                new ProductAttribute("Waterproof", AttributeType.Boolean, "true"),
                new ProductAttribute("Colours", AttributeType.List, "Red, Blue"),
                new ProductAttribute("材质", AttributeType.Text, "真丝"),
            ],
            attributes);
    }

    [Fact]
    public void FormatAttributes_SpecialCharacters_RoundTrip()
    {
        List<ProductAttribute> attributes =
        [
            new("Note: care", AttributeType.Text, "Wash cold; dry flat = best [really] | ok \\ done"),
            new("Size", AttributeType.Measurement, "30", "c;m"),
            new("Count", AttributeType.Number, "2"),
            new("Flag", AttributeType.Boolean, "false"),
            new("Odd", AttributeType.Measurement, "3"),
        ];

        var text = ProductCsvFormat.FormatAttributes(attributes);

        Assert.True(ProductCsvFormat.TryParseAttributes(text, out var parsed));
        Assert.Equal(attributes, parsed);
    }

    [Theory]
    [InlineData("NoEquals")]
    [InlineData("A:colour=1")]
    [InlineData("W=1[kg")]
    [InlineData("W=1]kg")]
    [InlineData("W=1[kg]x")]
    public void TryParseAttributes_Malformed_False(string text)
    {
        Assert.False(ProductCsvFormat.TryParseAttributes(text, out _));
    }

    [Fact]
    public void Options_AndSellingPoints_RoundTripWithSeparatorsInValues()
    {
        var options = new Dictionary<string, string> { ["Color"] = "Red; Blue", ["Size"] = "M=38" };
        Assert.True(ProductCsvFormat.TryParseOptions(ProductCsvFormat.FormatOptions(options), out var parsed));
        Assert.Equal(options, parsed);

        List<string> points = ["Soft | light", "送礼首选", "100% silk"];
        Assert.Equal(points, ProductCsvFormat.ParseSellingPoints(ProductCsvFormat.FormatSellingPoints(points)));
        Assert.Equal(["a", "b"], ProductCsvFormat.ParseSellingPoints("a | b"));
    }

    [Theory]
    [InlineData("'=SUM(A1)", "=SUM(A1)")]
    [InlineData("'-5 off", "-5 off")]
    [InlineData("'plain", "'plain")]
    [InlineData("=raw", "=raw")]
    public void UnprotectCell_ApostropheBeforeFormulaCharacter_Removed(string cell, string expected)
    {
        Assert.Equal(expected, ProductCsvFormat.UnprotectCell(cell));
    }
}
