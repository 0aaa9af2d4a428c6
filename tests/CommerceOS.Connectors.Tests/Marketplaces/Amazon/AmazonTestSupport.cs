using CommerceOS.Connectors.Marketplaces.Amazon;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Marketplaces.Amazon;

/// <summary>The Amazon publisher as the host builds it (AddAmazonPublisher over configuration), pointed at the fake.</summary>
public sealed class AmazonScope : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AmazonScope(TimeProvider clock, FakeAmazonServer fake, Action<Dictionary<string, string?>>? tweak = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Publishing:Amazon:LwaTokenUrl"] = fake.BaseUrl + FakeAmazonServer.TokenPath,
            ["Publishing:Amazon:NaBaseUrl"] = fake.BaseUrl,
            ["Publishing:Amazon:EuBaseUrl"] = fake.BaseUrl,
            ["Publishing:Amazon:FeBaseUrl"] = fake.BaseUrl,
            // Far beyond any wait the tests step through with Drive.
            ["Publishing:Amazon:AttemptTimeout"] = "01:00:00",
        };
        tweak?.Invoke(settings);
        _services = Providers.Build(clock, settings, (services, configuration) => services.AddAmazonPublisher(configuration));
        Publisher = _services.GetServices<IMarketplacePublisher>().Single();
    }

    public IMarketplacePublisher Publisher { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class AmazonTestSupport
{
    public static readonly byte[] Png = TestPng.Create(16, 16);

    public static MarketplaceSession Session(string secret = FakeAmazonServer.ClientSecret, string marketplaceId = "ATVPDKIKX0DER", string region = "na", string refreshToken = FakeAmazonServer.RefreshToken) =>
        new(Guid.NewGuid(), Platforms.Amazon, new Dictionary<string, string>
        {
            ["seller_id"] = FakeAmazonServer.SellerId,
            ["marketplace_id"] = marketplaceId,
            ["region"] = region,
            ["lwa_client_id"] = FakeAmazonServer.ClientId,
            ["lwa_client_secret"] = secret,
            ["refresh_token"] = refreshToken,
        });

    /// <summary>A steel bottle; <paramref name="variants"/> SKUs (one means a product without variants, its SKU its own).</summary>
    public static ListingDraft Draft(int variants = 1, string title = "Insulated Steel Bottle 750 ml", long price = 1999, int stock = 12, string language = "en", string? externalId = null)
    {
        var skus = variants == 1
            ? [new ListingVariant("BTL-750", [], price, "USD", stock, null)]
            : Enumerable.Range(1, variants).Select(i => new ListingVariant($"BTL-750-{i:D2}", [new("Color", $"Colour {i}")], price + i, "USD", stock + i, null)).ToList();
        return new ListingDraft(
            ListingKey: "conn-1/product-1",
            ExternalId: externalId,
            ProductId: Guid.Parse("0b6f4a52-8f0e-4b7a-9d63-2c1f4f8e8a11"),
            Sku: "BTL-750",
            Handle: "insulated-steel-bottle-750-ml",
            Title: title,
            DescriptionHtml: "<p>Keeps drinks cold for 24 hours.</p>",
            DescriptionText: "Keeps drinks cold for 24 hours.",
            Bullets: ["Double-walled steel", "Leak-proof lid"],
            Brand: "Acme",
            SearchTerms: "water bottle flask",
            Tags: ["bottle"],
            SeoTitle: null,
            SeoDescription: null,
            Language: language,
            CategoryId: "WATER_BOTTLE",
            Attributes: new Dictionary<string, string> { ["material"] = "Stainless Steel" },
            Images:
            [
                Image("btl-main.png", "https://cdn.example.test/btl-main.png", "main"),
                Image("btl-scene.png", null, "scene"),
                Image("btl-studio.png", "https://cdn.example.test/btl-studio.png", "studio"),
            ],
            Variants: skus,
            OptionNames: variants == 1 ? [] : ["Color"],
            WeightGrams: 420);
    }

    /// <summary>The bottle in two sizes and two colours (three SKUs), its options named <paramref name="size"/> and <paramref name="colour"/>.</summary>
    public static ListingDraft Family(string size = "Size", string colour = "颜色", int stock = 5) =>
        Draft(variants: 3) with
        {
            OptionNames = [size, colour],
            Variants =
            [
                new ListingVariant("BTL-500-BLK", [new(size, "500 ml"), new(colour, "Black")], 1799, "USD", stock, null),
                new ListingVariant("BTL-750-BLK", [new(size, "750 ml"), new(colour, "Black")], 1999, "USD", stock + 1, null),
                new ListingVariant("BTL-750-SGE", [new(size, "750 ml"), new(colour, "Sage")], 1999, "USD", stock + 2, null),
            ],
        };

    private static ListingImage Image(string name, string? url, string role) =>
        new(Guid.NewGuid(), name, "image/png", 16, 16, Png.Length, "sha", url, role, _ => Task.FromResult<Stream>(new MemoryStream(Png)));
}
