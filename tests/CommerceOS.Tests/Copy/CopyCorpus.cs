using CommerceOS.Core.Catalog;

namespace CommerceOS.Tests.Copy;

/// <summary>
/// A seeded corpus for the copy tests: English and Chinese products built from varied parts (nouns, materials, measures
/// with units, model numbers, selling points, audiences, options, with and without a brand), some with claim facts
/// ("Waterproof", BPA free), plus sparse products that hold too little for every field.
/// </summary>
internal static class CopyCorpus
{
    public sealed record Item(Product Product, Brand? Brand, bool Chinese, bool Sparse);

    private static readonly (string Noun, string Category)[] EnNouns =
    [
        ("Water Bottle", "Home & Kitchen > Drinkware > Water Bottles"), ("Yoga Mat", "Sports > Yoga > Mats"),
        ("Desk Lamp", "Home > Lighting > Desk Lamps"), ("Backpack", "Luggage > Backpacks"), ("Chef Knife", "Kitchen > Cutlery > Knives"),
        ("Bluetooth Speaker", "Electronics > Audio > Speakers"), ("Running Shoes", "Shoes > Running Shoes"),
        ("Coffee Grinder", "Kitchen > Coffee > Grinders"), ("Phone Case", "Electronics > Accessories > Phone Cases"),
        ("Throw Blanket", "Home > Bedding > Blankets"), ("Hiking Jacket", "Outdoor > Clothing > Jackets"),
        ("Cutting Board", "Kitchen > Prep > Cutting Boards"), ("Wireless Mouse", "Computers > Accessories > Mice"),
    ];

    private static readonly string[] EnAdjectives = ["Insulated", "Compact", "Lightweight", "Adjustable", "Foldable", "Portable", "Ergonomic", "Classic"];

    private static readonly string[] EnMaterials = ["stainless steel", "bamboo", "recycled polyester", "aluminium", "organic cotton", "silicone", "walnut wood", "TPE foam"];

    private static readonly (string Name, string Value, string Unit)[] EnMeasures =
    [
        ("Capacity", "500", "ml"), ("Capacity", "750", "ml"), ("Weight", "320", "g"), ("Weight", "1.2", "kg"), ("Length", "183", "cm"),
        ("Battery", "5000", "mAh"), ("Power", "20", "W"), ("Size", "40 x 30", "cm"), ("Blade length", "20", "cm"),
    ];

    private static readonly string[] Models = ["AP-500", "XR-72", "NV200", "TK-9X", "LM-3030", "QX-18B", "RT-AX58", "B7-220"];

    private static readonly string[] EnPoints =
    [
        "Keeps drinks cold for 24 hours", "Non-slip textured surface", "Folds flat for easy storage", "Quiet operation under 40 dB",
        "Fits in most backpacks", "Soft-touch grip for long sessions", "Charges fully in 2 hours", "Easy to clean by hand",
        "Three brightness levels", "Padded laptop sleeve", "Reinforced stitching at stress points", "Magnetic closure stays shut",
        "Holds up to 15 kg", "Twelve grind settings", "Raised edges protect the screen", "Juice groove catches spills",
    ];

    private static readonly string[] EnAudiences = ["Hikers and commuters", "Home cooks", "Students and office workers", "Yoga beginners", "Gamers", "Parents", "Frequent travelers"];

    private static readonly string[] EnBrands = ["AquaPeak", "Northwind", "Lumo", "TerraFit", "Oakhaven"];

    private static readonly (string Noun, string Category)[] ZhNouns =
    [
        ("保温杯", "家居日用 > 水杯"), ("瑜伽垫", "运动户外 > 瑜伽垫"), ("台灯", "家装 > 灯具 > 台灯"), ("双肩包", "箱包 > 双肩包"),
        ("蓝牙音箱", "数码 > 音箱"), ("跑步鞋", "运动鞋 > 跑步鞋"), ("磨豆机", "厨房电器 > 咖啡器具"), ("手机壳", "手机配件 > 保护壳"),
        ("空气炸锅", "厨房电器 > 空气炸锅"),
    ];

    private static readonly string[] ZhAdjectives = ["大容量", "轻便", "可折叠", "便携", "静音", "加厚"];

    private static readonly string[] ZhMaterials = ["316不锈钢", "天然橡胶", "铝合金", "纯棉", "食品级硅胶"];

    private static readonly (string Name, string Value, string Unit)[] ZhMeasures =
    [
        ("容量", "500", "ml"), ("重量", "1.2", "kg"), ("尺寸", "183 x 61", "cm"), ("功率", "1200", "W"), ("电池容量", "5000", "mAh"), ("容量", "4.5", "L"),
    ];

    private static readonly string[] ZhPoints =
    [
        "保温保冷12小时", "防滑纹理表面", "一键折叠收纳", "低噪音运行", "轻松放进背包", "长续航一整天", "易清洗", "三档亮度调节", "透气网面鞋身", "精准研磨",
    ];

    private static readonly string[] ZhAudiences = ["学生和上班族", "健身爱好者", "家庭用户", "户外旅行者"];

    private static readonly string[] ZhBrands = ["Beiwo", "Kuxin", "小熊"];

    public static IReadOnlyList<Item> All { get; } = Build();

    public static IEnumerable<Item> Rich => All.Where(i => !i.Sparse);

    public static Guid IdOf(int index) => new(index, 0x5eed, 0x0c0f, [1, 2, 3, 4, 5, 6, 7, 8]);

    private static List<Item> Build()
    {
        var random = new Random(4242);
        var items = new List<Item>();
        T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];

        for (var i = 0; i < 26; i++)
        {
            var (noun, category) = EnNouns[i % EnNouns.Length];
            var adjective = Pick(EnAdjectives);
            var material = Pick(EnMaterials);
            var model = Models[i % Models.Length];
            var brand = i % 6 == 5 ? null : new Brand { Name = EnBrands[i % EnBrands.Length] };
            var measures = Enumerable.Range(0, 1 + (i % 3)).Select(_ => Pick(EnMeasures)).DistinctBy(m => m.Name).ToList();
            var points = Enumerable.Range(0, 2 + (i % 5)).Select(_ => Pick(EnPoints)).Distinct().ToList();
            var attributes = new List<ProductAttribute> { new("Material", AttributeType.Text, material) };
            attributes.AddRange(measures.Select(m => new ProductAttribute(m.Name, AttributeType.Measurement, m.Value, m.Unit)));
            attributes.Add(new ProductAttribute("Model", AttributeType.Text, model));
            if (i % 4 == 0)
            {
                // A claim the facts make: the copy may say "waterproof" for this product only.
                attributes.Add(new ProductAttribute("Waterproof", AttributeType.Boolean, "true"));
            }

            if (i % 5 == 1)
            {
                attributes.Add(new ProductAttribute("Dishwasher safe", AttributeType.Boolean, "false"));
            }

            var title = i % 3 == 0 ? $"{adjective} {noun} {model}" : $"{adjective} {Cap(material)} {noun}";
            if (brand is not null && i % 2 == 0)
            {
                title = brand.Name + " " + title;
            }

            var product = new Product
            {
                Id = IdOf(i),
                Sku = $"EN-{i:000}",
                Title = title,
                Category = category,
                Description = i % 7 == 3 ? null : $"A {adjective.ToLowerInvariant()} {noun.ToLowerInvariant()} made of {material}. {points[0]}, and it is easy to carry every day.",
                Attributes = attributes,
                SellingPoints = points,
                TargetAudience = i % 8 == 7 ? null : Pick(EnAudiences),
                Variants = Variants(i, random.Next(3), "Color", ["Black", "Sage", "Navy", "Sand"], "Size", ["S", "M", "L"]),
            };
            items.Add(new Item(product, brand, false, false));
        }

        for (var i = 0; i < 14; i++)
        {
            var (noun, category) = ZhNouns[i % ZhNouns.Length];
            var adjective = Pick(ZhAdjectives);
            var material = Pick(ZhMaterials);
            var model = Models[(i + 3) % Models.Length];
            // Every Chinese product has enough Latin facts (brand or model, measures) for TikTok Shop's Latin-only title.
            var brand = i % 5 == 4 ? null : new Brand { Name = ZhBrands[i % ZhBrands.Length] };
            var measures = new[] { ZhMeasures[i % ZhMeasures.Length], ZhMeasures[(i + 2) % ZhMeasures.Length] }.DistinctBy(m => m.Name).ToList();
            var points = Enumerable.Range(0, 3 + (i % 3)).Select(_ => Pick(ZhPoints)).Distinct().ToList();
            var attributes = new List<ProductAttribute> { new("材质", AttributeType.Text, material), new("型号", AttributeType.Text, model) };
            attributes.AddRange(measures.Select(m => new ProductAttribute(m.Name, AttributeType.Measurement, m.Value, m.Unit)));
            if (i % 4 == 1)
            {
                attributes.Add(new ProductAttribute("防水", AttributeType.Boolean, "是"));
            }

            if (brand is null || !brand.Name.Any(char.IsAsciiLetter))
            {
                attributes.Add(new ProductAttribute("接口", AttributeType.Text, "USB-C"));
            }

            var product = new Product
            {
                Id = IdOf(100 + i),
                Sku = $"ZH-{i:000}",
                Title = $"{adjective}{noun} {model} {material}",
                Category = category,
                Description = $"{material}材质，{points[0]}。做工扎实，日常使用很方便。",
                Attributes = attributes,
                SellingPoints = points,
                TargetAudience = Pick(ZhAudiences),
                Variants = Variants(i, random.Next(3), "颜色", ["白色", "黑色", "粉色"], "尺码", ["S", "M", "L"]),
            };
            items.Add(new Item(product, brand, true, false));
        }

        items.AddRange(Sparse());
        return items;
    }

    /// <summary>Products with too few facts for Amazon's five bullets or the platforms' hard minimums.</summary>
    public static IEnumerable<Item> Sparse()
    {
        yield return new Item(new Product { Id = IdOf(200), Sku = "SP-1", Title = "Ceramic Mug", Category = "Kitchen > Mugs", SellingPoints = ["Holds 350 ml"] }, null, false, true);
        yield return new Item(new Product { Id = IdOf(201), Sku = "SP-2", Title = "Linen Napkins", TargetAudience = "Dinner hosts" }, new Brand { Name = "Hearth" }, false, true);
        yield return new Item(new Product
        {
            Id = IdOf(202), Sku = "SP-3", Title = "Steel Ruler",
            Attributes = [new ProductAttribute("Length", AttributeType.Measurement, "30", "cm"), new ProductAttribute("Material", AttributeType.Text, "steel")],
        }, null, false, true);
        yield return new Item(new Product { Id = IdOf(203), Sku = "SP-4", Title = "陶瓷马克杯", SellingPoints = ["容量350 ml"] }, null, true, true);
        yield return new Item(new Product { Id = IdOf(204), Sku = "SP-5", Title = "Tea Towel", Category = "Kitchen > Textiles", Description = "A cotton tea towel." }, null, false, true);
        yield return new Item(new Product { Id = IdOf(205), Sku = "SP-6", Title = "亚麻餐巾", Category = "家居 > 餐桌布艺" }, new Brand { Name = "禾木" }, true, true);
    }

    private static List<ProductVariant> Variants(int i, int kind, string colorName, string[] colors, string sizeName, string[] sizes)
    {
        if (kind == 0)
        {
            return [];
        }

        var variants = new List<ProductVariant>();
        for (var v = 0; v < 2 + (i % 2); v++)
        {
            var options = new Dictionary<string, string> { [colorName] = colors[(i + v) % colors.Length] };
            if (kind == 2)
            {
                options[sizeName] = sizes[v % sizes.Length];
            }

            variants.Add(new ProductVariant { Sku = $"V{i}-{v}", Currency = "USD", PriceMinor = 1999, Options = options, Position = v });
        }

        return variants;
    }

    private static string Cap(string text) => string.Join(' ', text.Split(' ').Select(w => w.Length > 0 && char.IsLower(w[0]) ? char.ToUpperInvariant(w[0]) + w[1..] : w));
}
