using CommerceOS.Core.Catalog;
using CommerceOS.Core.Generation;

namespace CommerceOS.Tests.Imaging.Graphics;

public sealed class SizeChartsTests
{
    private static Product Shirt(IEnumerable<string>? sizes = null, params ProductAttribute[] attributes)
    {
        var product = new Product { Sku = "TEE-1", Title = "Tee" };
        var position = 0;
        foreach (var size in sizes ?? [])
        {
            product.Variants.Add(new ProductVariant { Sku = $"TEE-{size}", Currency = "USD", Position = position++, Options = new() { ["Color"] = "Black", ["Size"] = size } });
        }

        product.Attributes.AddRange(attributes);
        return product;
    }

    private static ProductAttribute M(string name, string value, string unit) => new(name, AttributeType.Measurement, value, unit);

    private static ProductAttribute L(string name, string value) => new(name, AttributeType.List, value);

    [Fact]
    public void Per_size_measurements_follow_the_variant_sizes_in_letter_order()
    {
        var product = Shirt(["L", "S", "XL", "M"],
            M("Chest (M)", "96", "cm"), M("Chest (S)", "92", "cm"), M("Chest (L)", "100", "cm"), M("Chest (XL)", "104", "cm"),
            M("Length (S)", "66", "cm"), M("Length (L)", "70", "cm"),
            new ProductAttribute("Material", AttributeType.Text, "Cotton"));

        var outcome = SizeCharts.Build(product);

        Assert.True(outcome.IsSuccess, outcome.Error);
        var table = outcome.Table!;
        Assert.Equal("Size", table.SizeOption);
        Assert.Equal(["S", "M", "L", "XL"], table.Sizes);
        Assert.Equal([new SizeChartColumn("Chest", "cm"), new SizeChartColumn("Length", "cm")], table.Columns);
        Assert.Equal(["92", "66"], table.Values[0]);
        Assert.Equal(["96", SizeCharts.Missing], table.Values[1]);
        Assert.Equal(["104", SizeCharts.Missing], table.Values[3]);
    }

    [Fact]
    public void List_attributes_give_one_value_per_size_with_the_unit_from_the_name()
    {
        var product = Shirt(["S", "M", "L", "XL"], L("Chest (cm)", "88|92|96|100"), L("Waist", "70, 74, 78-80, 84"), L("Colours", "Red, Blue, Green, Pink"));

        var table = SizeCharts.Build(product).Table!;

        Assert.Equal([new SizeChartColumn("Chest", "cm"), new SizeChartColumn("Waist", null)], table.Columns);
        Assert.Equal(["96", "78-80"], table.Values[2]);
        var request = table.ToRequest(800, 600, "Size chart", "Size", "Measured flat", "en", new BrandStyle([], "Inter", "Inter"));
        Assert.Equal(["Size", "Chest (cm)", "Waist"], request.Columns);
        Assert.Equal(["XL", "100", "84"], request.Rows[3]);
    }

    [Fact]
    public void Chinese_option_names_and_a_size_list_without_variants_work()
    {
        var product = new Product { Sku = "Q-1", Title = "裙子" };
        product.Variants.Add(new ProductVariant { Sku = "Q-1-170", Currency = "CNY", Options = new() { ["尺码"] = "170/92A" } });
        product.Variants.Add(new ProductVariant { Sku = "Q-1-160", Currency = "CNY", Position = 1, Options = new() { ["尺码"] = "160/84A" } });
        product.Attributes.Add(L("胸围（厘米）", "84、92"));
        var table = SizeCharts.Build(product).Table!;
        Assert.Equal("尺码", table.SizeOption);
        Assert.Equal(["160/84A", "170/92A"], table.Sizes);
        Assert.Equal(new SizeChartColumn("胸围", "厘米"), table.Columns[0]);

        var listOnly = new Product { Sku = "S-1", Title = "Socks" };
        listOnly.Attributes.Add(L("Size", "L|S|M"));
        listOnly.Attributes.Add(L("Foot length (cm)", "22|24|26"));
        var fromList = SizeCharts.Build(listOnly).Table!;
        Assert.Equal(["S", "M", "L"], fromList.Sizes);
        // List values follow the chart's size order, whatever order the sizes were typed in.
        Assert.Equal(["22", "24", "26"], fromList.Values.Select(v => v[0]));
    }

    [Theory]
    [InlineData(new[] { "XL", "xs", "3XL", "M", "XXL", "S", "L", "XXS" }, new[] { "XXS", "xs", "S", "M", "L", "XL", "XXL", "3XL" })]
    [InlineData(new[] { "42", "38", "40.5", "36" }, new[] { "36", "38", "40.5", "42" })]
    [InlineData(new[] { "Petite", "Regular", "Tall" }, new[] { "Petite", "Regular", "Tall" })]
    [InlineData(new[] { "M", "38", "S" }, new[] { "M", "38", "S" })]
    public void Sizes_are_ordered_by_letter_rank_then_number_else_first_appearance(string[] given, string[] expected) =>
        Assert.Equal(expected, SizeCharts.Order(given));

    [Fact]
    public void Sizes_named_only_in_measurement_attributes_are_found()
    {
        var product = Shirt(null, M("Chest (L)", "100", "cm"), M("Chest (S)", "90", "cm"));
        var table = SizeCharts.Build(product).Table!;
        Assert.Equal(["S", "L"], table.Sizes);
        Assert.Equal(["90"], table.Values[0]);
    }

    [Fact]
    public void Missing_data_returns_an_error_code_the_job_can_localise()
    {
        Assert.Equal(SizeCharts.NoSizes, SizeCharts.Build(Shirt(null, new ProductAttribute("Material", AttributeType.Text, "Cotton"))).Error);
        Assert.Equal(SizeCharts.NoMeasurements, SizeCharts.Build(Shirt(["S", "M"], M("Weight", "200", "g"))).Error);
        var mismatch = SizeCharts.Build(Shirt(["S", "M", "L"], L("Chest", "88|92")));
        Assert.Equal((SizeCharts.ListLengthMismatch, "Chest"), (mismatch.Error, mismatch.ErrorSubject));
        Assert.Null(mismatch.Table);
        Assert.StartsWith("generation.size_chart.", SizeCharts.NoSizes, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_length_units_are_converted_to_the_most_used_one_and_other_kinds_are_refused()
    {
        var product = Shirt(["S", "M", "L"], M("Chest (S)", "88", "cm"), M("Chest (M)", "36.5", "in"), M("Chest (L)", "100", "cm"), M("Weight (S)", "1.2", "kg"), M("Weight (M)", "3", "lb"));

        var table = SizeCharts.Build(product).Table!;

        Assert.Equal(new SizeChartColumn("Chest", "cm"), table.Columns[0]);
        Assert.Equal(["88", "92.7", "100"], table.Values.Select(v => v[0]));
        // One kg and one lb: a tie, so the first unit seen wins.
        Assert.Equal(new SizeChartColumn("Weight", "kg"), table.Columns[1]);
        Assert.Equal("1.4", table.Values[1][1]);

        var refused = SizeCharts.Build(Shirt(["S", "M"], M("Chest (S)", "88", "cm"), M("Chest (M)", "2", "kg")));
        Assert.Equal((SizeCharts.MixedUnits, "Chest"), (refused.Error, refused.ErrorSubject));
    }
}
