using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;

namespace CommerceOS.Tests.Seo;

/// <summary>Products the SEO tests share: an English water bottle and a Chinese vacuum cup.</summary>
internal static class SeoProducts
{
    public static Product Bottle() => new()
    {
        Sku = "AQ-BTL-500",
        Title = "AquaPeak Insulated Stainless Steel Water Bottle AP-500, 500 ml, Leak-Proof Lid",
        Category = "Home & Kitchen > Drinkware > Water Bottles",
        Description = "Double-wall vacuum insulation keeps drinks cold for 24 hours and hot for 12 hours. "
            + "The leak-proof lid and powder-coated stainless steel body fit most cup holders. Stainless steel water bottles without plastic taste.",
        Attributes =
        [
            new ProductAttribute("Material", AttributeType.Text, "18/8 stainless steel"),
            new ProductAttribute("Capacity", AttributeType.Measurement, "500", "ml"),
            new ProductAttribute("BPA free", AttributeType.Boolean, "true"),
            new ProductAttribute("Dishwasher safe", AttributeType.Boolean, "false"),
            new ProductAttribute("Model", AttributeType.Text, "AP-500"),
        ],
        SellingPoints = ["Keeps drinks cold for 24 hours", "Leak-proof lid for bags", "Fits most cup holders"],
        TargetAudience = "Hikers and commuters",
        Variants =
        [
            new ProductVariant { Sku = "AQ-BTL-500-BLK", Currency = "USD", PriceMinor = 2499, Stock = 12, Position = 0, Options = new() { ["Color"] = "Black" } },
            new ProductVariant { Sku = "AQ-BTL-500-SGE", Currency = "USD", PriceMinor = 2699, Stock = 0, Position = 1, Options = new() { ["Color"] = "Sage" } },
        ],
    };

    public static SeoSubject BottleSubject(params string[] competitors) => new(Bottle(), "AquaPeak", competitors);

    public static Product Cup() => new()
    {
        Sku = "BW-CUP-001",
        Title = "不锈钢保温杯大容量 BW-316 500ml 男女学生便携水杯",
        Category = "家居日用 > 水杯",
        Description = "316不锈钢内胆，真空保温，保冷保热12小时。杯盖防漏设计，适合办公室和户外使用。",
        Attributes =
        [
            new ProductAttribute("材质", AttributeType.Text, "316不锈钢"),
            new ProductAttribute("容量", AttributeType.Measurement, "500", "ml"),
            new ProductAttribute("型号", AttributeType.Text, "BW-316"),
        ],
        SellingPoints = ["保温保冷12小时", "杯盖防漏", "大容量便携"],
        TargetAudience = "学生和上班族",
        Variants = [new ProductVariant { Sku = "BW-CUP-001-W", Currency = "CNY", PriceMinor = 5900, Stock = 30, Options = new() { ["颜色"] = "白色" } }],
    };

    public static SeoSubject CupSubject(params string[] competitors) => new(Cup(), "贝沃", competitors);
}
