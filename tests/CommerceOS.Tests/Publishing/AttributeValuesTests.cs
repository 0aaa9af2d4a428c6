using CommerceOS.Core.Publishing;

namespace CommerceOS.Tests.Publishing;

public sealed class AttributeValuesTests
{
    [Theory]
    [InlineData("Weight", "1.2 kg", 1200)]
    [InlineData("Weight", "1.2 lb", 544.311)]
    [InlineData("Weight", "2 lbs", 907.185)]
    [InlineData("Item weight", "500g", 500)]
    [InlineData("Weight", "16 oz", 453.592)]
    [InlineData("Weight", "1 lb 4 oz", 566.99)]
    [InlineData("Weight", "250 mg", 0.25)]
    [InlineData("Weight", "1,200 g", 1200)]
    [InlineData("Weight", "1,5 kg", 1500)]
    [InlineData("Weight", "approx. 300 g", 300)]
    [InlineData("Weight (kg)", "2.5", 2500)]
    [InlineData("Weight", "1.2kg/2.6lb", 1200)]
    [InlineData("重量", "500克", 500)]
    [InlineData("重量", "2斤", 1000)]
    [InlineData("重量", "1斤2两", 600)]
    [InlineData("净重", "1.5千克", 1500)]
    [InlineData("毛重", "3公斤", 3000)]
    [InlineData("重量(克)", "250", 250)]
    [InlineData("重量", "约500克", 500)]
    [InlineData("Package", "1.2 kg", 1200)]
    [InlineData("Shipping", "3 pounds", 1360.777)]
    public void Normalize_Weight_ToGrams(string name, string value, double grams)
    {
        var normalized = AttributeValues.Normalize(name, value);

        Assert.Equal(AttributeKinds.Weight, normalized.Kind);
        Assert.Equal("g", normalized.Unit);
        Assert.Equal(grams, normalized.Number!.Value, 3);
        Assert.Equal($"{grams.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} g", normalized.Value);
    }

    [Theory]
    [InlineData("Length", "30 cm", 30)]
    [InlineData("Length", "150 mm", 15)]
    [InlineData("Length", "2 m", 200)]
    [InlineData("Width", "12 in", 30.48)]
    [InlineData("Width", "12 inches", 30.48)]
    [InlineData("Height", "2 ft", 60.96)]
    [InlineData("Height", "5 ft 6 in", 167.64)]
    [InlineData("Screen size", "6.1\"", 15.494)]
    [InlineData("Depth", "3'", 91.44)]
    [InlineData("长", "1.5米", 150)]
    [InlineData("宽", "20厘米", 20)]
    [InlineData("高度", "300毫米", 30)]
    [InlineData("尺寸", "55英寸", 139.7)]
    [InlineData("Diagonal", "55 inch", 139.7)]
    public void Normalize_Length_ToCentimetres(string name, string value, double centimetres)
    {
        var normalized = AttributeValues.Normalize(name, value);

        Assert.Equal((AttributeKinds.Length, "cm"), (normalized.Kind, normalized.Unit));
        Assert.Equal(centimetres, normalized.Number!.Value, 3);
    }

    [Theory]
    [InlineData("Capacity", "500 ml", 500)]
    [InlineData("Volume", "1.5 l", 1500)]
    [InlineData("Volume", "1.5L", 1500)]
    [InlineData("Volume", "75 cl", 750)]
    [InlineData("Capacity", "12 fl oz", 354.882)]
    [InlineData("Capacity", "12 fl. oz.", 354.882)]
    [InlineData("Capacity", "12 oz", 354.882)]
    [InlineData("Capacity", "12 oz (350 ml)", 354.882)]
    [InlineData("容量", "350毫升", 350)]
    [InlineData("容量", "2升", 2000)]
    [InlineData("Bottle", "16 fl oz", 473.176)]
    [InlineData("Bottle", "750ml", 750)]
    public void Normalize_Volume_ToMillilitres(string name, string value, double millilitres)
    {
        var normalized = AttributeValues.Normalize(name, value);

        Assert.Equal((AttributeKinds.Volume, "ml"), (normalized.Kind, normalized.Unit));
        Assert.Equal(millilitres, normalized.Number!.Value, 3);
    }

    [Theory]
    [InlineData("Colour", "navy blue", "Navy")]
    [InlineData("Color", "Navy", "Navy")]
    [InlineData("Color", "Off-White", "White")]
    [InlineData("Colour", "off white", "White")]
    [InlineData("Colour", "gray", "Grey")]
    [InlineData("Colour", "Light Grey", "Grey")]
    [InlineData("Colour", "dark grey", "Charcoal")]
    [InlineData("Colour", "light blue", "Light Blue")]
    [InlineData("Colour", "Jet Black", "Black")]
    [InlineData("Color name", "ROSE GOLD", "Rose Gold")]
    [InlineData("Colour", "Black/White", "Black, White")]
    [InlineData("Colour", "red & red", "Red")]
    [InlineData("Colour", "wine red", "Burgundy")]
    [InlineData("Colour", "Multi-colour", "Multicolour")]
    [InlineData("Colour", "transparent", "Clear")]
    [InlineData("颜色", "红色", "Red")]
    [InlineData("颜色", "红", "Red")]
    [InlineData("颜色", "藏青", "Navy")]
    [InlineData("颜色", "藏青色", "Navy")]
    [InlineData("颜色", "米白", "Beige")]
    [InlineData("颜色", "浅灰色", "Grey")]
    [InlineData("颜色分类", "深蓝色", "Blue")]
    [InlineData("颜色", "黑色/白色", "Black, White")]
    [InlineData("颜色", "军绿色", "Olive")]
    [InlineData("颜色", "透明", "Clear")]
    public void Normalize_Colour_ToCanonicalName(string name, string value, string expected)
    {
        Assert.Equal(new NormalizedValue(AttributeKinds.Colour, expected, null, null), AttributeValues.Normalize(name, value));
    }

    [Theory]
    [InlineData("Size", "small", "S")]
    [InlineData("Size", "S", "S")]
    [InlineData("Size", "Medium", "M")]
    [InlineData("Size", "Large", "L")]
    [InlineData("Size", "x-small", "XS")]
    [InlineData("Size", "Extra Large", "XL")]
    [InlineData("Size", "XL", "XL")]
    [InlineData("Size", "2XL", "XXL")]
    [InlineData("Size", "XX-Large", "XXL")]
    [InlineData("Size", "xxl", "XXL")]
    [InlineData("Size", "3XL", "3XL")]
    [InlineData("Size", "XXXL", "3XL")]
    [InlineData("Size", "one size", "One Size")]
    [InlineData("尺码", "小号", "S")]
    [InlineData("尺码", "中号", "M")]
    [InlineData("尺寸", "大号", "L")]
    [InlineData("尺码", "加大", "XL")]
    [InlineData("尺码", "加加大", "XXL")]
    [InlineData("尺码", "均码", "One Size")]
    [InlineData("Size", " ＸＬ ", "XL")]
    public void Normalize_LetterSize_ToCanonical(string name, string value, string expected)
    {
        Assert.Equal(new NormalizedValue(AttributeKinds.Size, expected, null, null), AttributeValues.Normalize(name, value));
    }

    [Theory]
    [InlineData("Size", "42", "42", null, 42)]
    [InlineData("Shoe size", "8.5", "8.5", null, 8.5)]
    [InlineData("Size", "EU 42", "EU 42", "EU", 42)]
    [InlineData("Size", "us10", "US 10", "US", 10)]
    [InlineData("尺码", "38码", "38", null, 38)]
    public void Normalize_NumericSize_IsKept(string name, string value, string expected, string? system, double number)
    {
        Assert.Equal(new NormalizedValue(AttributeKinds.Size, expected, system, number), AttributeValues.Normalize(name, value));
    }

    [Theory]
    [InlineData("Material", "100% cotton", "Cotton")]
    [InlineData("Material", "Organic Cotton", "Cotton")]
    [InlineData("Material", "stainless steel", "Stainless Steel")]
    [InlineData("Material", "304 Stainless Steel", "Stainless Steel")]
    [InlineData("Material", "60% cotton 40% polyester", "Cotton, Polyester")]
    [InlineData("Fabric", "95% Cotton, 5% Spandex", "Cotton, Spandex")]
    [InlineData("Material", "Polyester/Elastane", "Polyester, Spandex")]
    [InlineData("Material", "PU leather", "Faux Leather")]
    [InlineData("Material", "Genuine Leather", "Leather")]
    [InlineData("Material", "aluminum", "Aluminium")]
    [InlineData("Material", "Ceramic", "Ceramic")]
    [InlineData("Composition", "80% wool 20% cashmere", "Wool, Cashmere")]
    [InlineData("材质", "不锈钢", "Stainless Steel")]
    [InlineData("材质", "黄铜", "Brass")]
    [InlineData("面料", "棉", "Cotton")]
    [InlineData("面料", "纯棉", "Cotton")]
    [InlineData("面料", "涤纶", "Polyester")]
    [InlineData("面料", "亚麻", "Linen")]
    [InlineData("成分", "棉60% 聚酯纤维40%", "Cotton, Polyester")]
    [InlineData("面料成分", "95%棉 5%氨纶", "Cotton, Spandex")]
    public void Normalize_Material_ToCanonicalNames(string name, string value, string expected)
    {
        Assert.Equal(new NormalizedValue(AttributeKinds.Material, expected, null, null), AttributeValues.Normalize(name, value));
    }

    [Theory]
    [InlineData("Style", "Casual", "Casual")]
    [InlineData("Notes", "  hello  world ", "hello  world")]
    [InlineData("Weight", "heavy", "heavy")]
    [InlineData("Weight", "kg", "kg")]
    [InlineData("Weight", "-5 kg", "-5 kg")]
    [InlineData("Weight", "1.2.3 kg", "1.2.3 kg")]
    [InlineData("Weight", "1e999 kg", "1e999 kg")]
    [InlineData("Weight", "500克左右", "500克左右")]
    [InlineData("Colour", "Midnight Galaxy", "Midnight Galaxy")]
    [InlineData("Colour", "red/glitter", "red/glitter")]
    [InlineData("Size", "S/M", "S/M")]
    [InlineData("Size", "30 x 20 cm", "30 x 20 cm")]
    [InlineData("Material", "mystery blend", "mystery blend")]
    [InlineData("Capacity", "5000mAh", "5000mAh")]
    [InlineData("Voltage", "220V", "220V")]
    [InlineData("Model", "iPhone 15", "iPhone 15")]
    [InlineData("Weight", "12", "12")]
    [InlineData("Size", "🙂", "🙂")]
    [InlineData("", "", "")]
    [InlineData("Weight", "   ", "")]
    public void Normalize_Unreadable_IsTrimmedText(string name, string value, string expected)
    {
        Assert.Equal(new NormalizedValue(AttributeKinds.Text, expected, null, null), AttributeValues.Normalize(name, value));
    }

    [Fact]
    public void Normalize_NullInput_IsEmptyText()
    {
        Assert.Equal(new NormalizedValue(AttributeKinds.Text, "", null, null), AttributeValues.Normalize(null!, null!));
    }

    [Theory]
    [InlineData("Size", "30 cm", AttributeKinds.Length)]
    [InlineData("Colour", "2 kg", AttributeKinds.Weight)]
    [InlineData("Weight", "30 cm", AttributeKinds.Length)]
    [InlineData("Material", "500 ml", AttributeKinds.Volume)]
    public void Normalize_NamedKindUnreadable_FallsBackToDetectedMeasurement(string name, string value, string kind)
    {
        Assert.Equal(kind, AttributeValues.Normalize(name, value).Kind);
    }

    [Theory]
    [InlineData("Weight", AttributeKinds.Weight)]
    [InlineData("Package weight (kg)", AttributeKinds.Weight)]
    [InlineData("item_weight", AttributeKinds.Weight)]
    [InlineData("重量", AttributeKinds.Weight)]
    [InlineData("Colour", AttributeKinds.Colour)]
    [InlineData("color_name", AttributeKinds.Colour)]
    [InlineData("颜色分类", AttributeKinds.Colour)]
    [InlineData("Size", AttributeKinds.Size)]
    [InlineData("尺码", AttributeKinds.Size)]
    [InlineData("尺寸", AttributeKinds.Size)]
    [InlineData("Material", AttributeKinds.Material)]
    [InlineData("材质", AttributeKinds.Material)]
    [InlineData("面料", AttributeKinds.Material)]
    [InlineData("Length", AttributeKinds.Length)]
    [InlineData("长", AttributeKinds.Length)]
    [InlineData("宽", AttributeKinds.Length)]
    [InlineData("高", AttributeKinds.Length)]
    [InlineData("Capacity", AttributeKinds.Volume)]
    [InlineData("容量", AttributeKinds.Volume)]
    [InlineData("Brand", null)]
    [InlineData("长款", null)]
    [InlineData("", null)]
    public void KindOfName_RecognisesEnglishAndChineseNames(string name, string? kind)
    {
        Assert.Equal(kind, AttributeValues.KindOfName(name));
    }

    [Fact]
    public void WeightGrams_FirstNamedWeight_Rounded()
    {
        Assert.Equal(544, AttributeValues.WeightGrams([("Colour", "red"), ("Weight", "1.2 lb"), ("Net weight", "1 kg")]));
    }

    [Fact]
    public void WeightGrams_NamedWeightWinsOverADetectedOne()
    {
        Assert.Equal(500, AttributeValues.WeightGrams([("Package", "2 kg"), ("重量", "1斤")]));
    }

    [Fact]
    public void WeightGrams_UnreadableNamedWeight_UsesADetectedOne()
    {
        Assert.Equal(1000, AttributeValues.WeightGrams([("Shipping weight", "heavy"), ("Box", "1 kg")]));
    }

    [Fact]
    public void WeightGrams_NoWeight_Null()
    {
        Assert.Null(AttributeValues.WeightGrams([("Size", "M"), ("Length", "30 cm")]));
        Assert.Null(AttributeValues.WeightGrams([]));
    }

    [Fact]
    public void Normalize_RandomGarbage_NeverThrows()
    {
        const string alphabet = "0123456789.,-/%()\"' kgmlbozcinft克斤两升毫米厘号码大小加红色棉XLSabc🙂\t＞";
        var random = new Random(20261129);
        string[] names = ["Weight", "Colour", "Size", "Material", "Capacity", "Length", "重量", "颜色", "尺码", "材质", "Other", ""];
        var kinds = new[] { AttributeKinds.Weight, AttributeKinds.Length, AttributeKinds.Volume, AttributeKinds.Colour, AttributeKinds.Size, AttributeKinds.Material, AttributeKinds.Text };

        for (var i = 0; i < 3000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var normalized = AttributeValues.Normalize(names[i % names.Length], value);

            Assert.Contains(normalized.Kind, kinds);
            Assert.NotNull(normalized.Value);
            Assert.True(normalized.Number is null || double.IsFinite(normalized.Number.Value));
        }
    }
}
