using System.Diagnostics;
using System.Globalization;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Copy;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Benchmarks;

/// <summary>
/// Issue 4's speed figure: local copy + SEO + listing score for 1,000 products on 3 marketplaces (Amazon and Shopify in
/// English, Taobao in Chinese), across every core, as the copy jobs of a batch would run. Each listing is written by the
/// local engine, checked by the validator, given its keywords, keyword set, meta tags and slug, and scored.
/// </summary>
internal static class CopySeoRun
{
    public const int Products = 1_000;

    private static readonly string[] Marketplaces = ["amazon", "shopify", "taobao"];

    public static int Run()
    {
        using var services = new ServiceCollection().AddLocalCopy().BuildServiceProvider();
        var engine = services.GetRequiredService<LocalCopyEngine>();
        var seo = services.GetRequiredService<ISeoEngine>();
        var products = Enumerable.Range(0, Products).Select(Product).ToList();

        // Loading jieba's dictionary (about a second, once per process) is start-up, not per-listing work.
        var load = Stopwatch.StartNew();
        One(engine, seo, products[1], "taobao", 0);
        load.Stop();

        var errors = 0;
        var scoreSum = 0L;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, Products * Marketplaces.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (hasErrors, score) = One(engine, seo, products[i / Marketplaces.Length], Marketplaces[i % Marketplaces.Length], i);
            if (hasErrors)
            {
                Interlocked.Increment(ref errors);
            }

            Interlocked.Add(ref scoreSum, score);
        });
        clock.Stop();

        var listings = Products * Marketplaces.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"copy+seo+score: {listings} listings ({Products} products x {Marketplaces.Length} marketplaces) in {clock.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} cores " +
            $"({listings / clock.Elapsed.TotalSeconds:F0} listings/s, {clock.Elapsed.TotalMilliseconds * Environment.ProcessorCount / listings:F2} ms CPU per listing); " +
            $"mean score {scoreSum / (double)listings:F1}; listings with a rule error {errors}; jieba load {load.Elapsed.TotalSeconds:F2} s"));
        Stages(engine, seo, products);
        return 0;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One listing as the local engine writes it, for reading the copy (bench copy-sample amazon 0 warm).</summary>
    public static int Sample(string marketplace, int index, string tone)
    {
        using var services = new ServiceCollection().AddLocalCopy().BuildServiceProvider();
        var engine = services.GetRequiredService<LocalCopyEngine>();
        var product = Product(index);
        var profile = CopyProfiles.Get(marketplace);
        var draft = engine.Compose(new CopyRequest(product, null, marketplace, profile.SourceLanguage, tone, index));
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(draft.Text, Pretty));
        return 0;
    }

    /// <summary>Where one core's time goes, on the first 300 listings in one thread.</summary>
    private static void Stages(LocalCopyEngine engine, ISeoEngine seo, List<Product> products)
    {
        var compose = new Stopwatch();
        var validate = new Stopwatch();
        var keywords = new Stopwatch();
        var score = new Stopwatch();
        for (var i = 0; i < 300; i++)
        {
            var product = products[i / Marketplaces.Length];
            var marketplace = Marketplaces[i % Marketplaces.Length];
            var profile = CopyProfiles.Get(marketplace);
            compose.Start();
            var draft = engine.Compose(new CopyRequest(product, null, marketplace, profile.SourceLanguage, CopyTones.All[i % CopyTones.All.Count], i));
            compose.Stop();
            validate.Start();
            _ = CopyValidator.Validate(draft.Text, new CopyCheck(profile, ProductFacts.From(product, null), Traces: draft.Traces));
            validate.Stop();
            var subject = new SeoSubject(product);
            keywords.Start();
            _ = seo.ExtractKeywords(subject);
            _ = seo.BuildSlug(subject);
            keywords.Stop();
            score.Start();
            _ = seo.ScoreListing(new ListingDraft(draft.Text.Title, draft.Text.Bullets, draft.Text.Description, draft.Text.SearchTerms, [], draft.Text.MetaTitle, draft.Text.MetaDescription), subject, marketplace);
            score.Stop();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per listing, one thread: compose {compose.Elapsed.TotalMilliseconds / 300:F2} ms, validate {validate.Elapsed.TotalMilliseconds / 300:F2} ms, keywords+slug {keywords.Elapsed.TotalMilliseconds / 300:F2} ms, score {score.Elapsed.TotalMilliseconds / 300:F2} ms"));
    }

    private static (bool Errors, int Score) One(LocalCopyEngine engine, ISeoEngine seo, Product product, string marketplace, int seed)
    {
        var profile = CopyProfiles.Get(marketplace);
        var language = profile.SourceLanguage;
        var request = new CopyRequest(product, null, marketplace, language, CopyTones.All[seed % CopyTones.All.Count], seed);
        var draft = engine.Compose(request);
        var subject = new SeoSubject(product);
        var issues = CopyValidator.Validate(draft.Text, new CopyCheck(profile, ProductFacts.From(product, null), Traces: draft.Traces));
        _ = seo.ExtractKeywords(subject);
        _ = seo.BuildSlug(subject);
        var images = new List<ListingImage> { new(ImageRole.Main, product.Title), new(ImageRole.Scene, product.Title), new(ImageRole.Infographic, product.Title) };
        var score = seo.ScoreListing(
            new ListingDraft(draft.Text.Title, draft.Text.Bullets, draft.Text.Description, draft.Text.SearchTerms, images, draft.Text.MetaTitle, draft.Text.MetaDescription),
            subject,
            marketplace);
        return (CopyValidator.HasErrors(issues), score.Score);
    }

    /// <summary>A varied, deterministic catalogue: drinkware, bags, lamps and chargers, every other product with Chinese facts.</summary>
    private static Product Product(int i)
    {
        var kinds = new[] { ("Water Bottle", "保温杯", "Drinkware"), ("Backpack", "双肩包", "Bags"), ("Desk Lamp", "台灯", "Lighting"), ("Phone Charger", "手机充电器", "Electronics") };
        var (en, zh, category) = kinds[i % kinds.Length];
        var chinese = i % 2 == 1;
        var model = $"XR-{100 + i}";
        var size = 300 + (i % 7 * 50);
        return new Product
        {
            Id = Guid.CreateVersion7(),
            Sku = $"SKU-{i:D5}",
            Title = chinese ? $"{zh} {model} 大容量 便携 {size}ml" : $"Stainless {en} {model} {size} ml for Travel and Office",
            Category = chinese ? $"家居日用 > {zh}" : $"Home > {category}",
            Description = chinese
                ? $"{zh}采用优质材料，容量{size}ml，适合办公室、学校和户外使用。"
                : $"A {en.ToLowerInvariant()} made for daily use at home, at the office and outdoors. It holds {size} ml and cleans easily.",
            Attributes =
            [
                new ProductAttribute(chinese ? "容量" : "Capacity", AttributeType.Measurement, size.ToString(CultureInfo.InvariantCulture), "ml"),
                new ProductAttribute(chinese ? "材质" : "Material", AttributeType.Text, chinese ? "304不锈钢" : "304 stainless steel"),
                new ProductAttribute(chinese ? "型号" : "Model", AttributeType.Text, model),
            ],
            SellingPoints = chinese
                ? ["保温保冷", "轻便易携带", "防滑底座", $"{size}ml大容量"]
                : ["Keeps drinks cold all day", "Light enough for any bag", "Non-slip base", $"{size} ml capacity"],
            TargetAudience = chinese ? "学生和上班族" : "Commuters and students",
            Variants =
            [
                new ProductVariant { Sku = $"SKU-{i:D5}-B", Currency = "USD", PriceMinor = 1999, Options = new() { [chinese ? "颜色" : "Color"] = chinese ? "黑色" : "Black" } },
                new ProductVariant { Sku = $"SKU-{i:D5}-W", Currency = "USD", PriceMinor = 1999, Options = new() { [chinese ? "颜色" : "Color"] = chinese ? "白色" : "White" } },
            ],
        };
    }
}
