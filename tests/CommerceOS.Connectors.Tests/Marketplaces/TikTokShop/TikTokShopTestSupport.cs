using System.Security.Cryptography;
using CommerceOS.Connectors.Marketplaces.TikTokShop;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.TikTokShop;

/// <summary>The publisher and the category source built as the host builds them (AddTikTokShopPublisher over configuration).</summary>
public sealed class TikTokShopScope : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TikTokShopScope(FakeTimeProvider clock, Dictionary<string, string?> settings)
    {
        _services = Providers.Build(clock, settings, (services, configuration) => services.AddTikTokShopPublisher(configuration));
        Publisher = _services.GetServices<IMarketplacePublisher>().Single(publisher => publisher.Platform == Platforms.TikTokShop);
    }

    public IMarketplacePublisher Publisher { get; }

    public IMarketplaceCategorySource Categories => _services.GetServices<IMarketplaceCategorySource>().Single(source => source.Platform == Platforms.TikTokShop);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class TikTokShopTestSupport
{
    public static readonly byte[] MainImage = TestPng.Create(40, 40);
    public static readonly byte[] SceneImage = TestPng.Create(48, 36);

    public static Dictionary<string, string?> Settings(FakeTikTokShopServer fake) => new()
    {
        ["Publishing:TikTokShop:ApiBaseUrl"] = fake.BaseUrl,
        ["Publishing:TikTokShop:AuthBaseUrl"] = fake.BaseUrl,
        // Far beyond any wait the tests step through with Drive.
        ["Publishing:TikTokShop:AttemptTimeout"] = "01:00:00",
    };

    /// <summary>What the seller enters: by default an auth code to exchange.</summary>
    public static MarketplaceSession Session(
        string? authCode = FakeTikTokShopServer.AuthCode,
        string? refreshToken = null,
        string appSecret = FakeTikTokShopServer.AppSecret)
    {
        var values = new Dictionary<string, string>
        {
            ["app_key"] = FakeTikTokShopServer.AppKey,
            ["app_secret"] = appSecret,
            ["warehouse_id"] = FakeTikTokShopServer.WarehouseId,
        };
        if (authCode is not null)
        {
            values["auth_code"] = authCode;
        }

        if (refreshToken is not null)
        {
            values["refresh_token"] = refreshToken;
        }

        return new MarketplaceSession(Guid.NewGuid(), Platforms.TikTokShop, values);
    }

    /// <summary>A copy of the session's values with some replaced (a seller editing one credential).</summary>
    public static MarketplaceSession With(this MarketplaceSession session, string name, string value)
    {
        var values = session.Values.ToDictionary(pair => pair.Key, pair => pair.Value);
        values[name] = value;
        return new MarketplaceSession(session.ConnectionId, session.Platform, values);
    }

    /// <summary>A mug in two colours, two images, one category attribute, 350 g.</summary>
    public static ListingDraft Draft(
        string? externalId = null,
        string title = "Stoneware Mug 350 ml",
        string? categoryId = FakeTikTokShopServer.LeafCategory,
        long? redPriceMinor = 1250) => new(
        ListingKey: "cos-4f1c2a9e",
        ExternalId: externalId,
        ProductId: Guid.Parse("5d0a3f1e-7c7b-4b8e-9a55-0f0e5e8e1c11"),
        Sku: "MUG",
        Handle: "stoneware-mug",
        Title: title,
        DescriptionHtml: "<p>Hand-glazed stoneware.</p><ul><li>350 ml</li></ul>",
        DescriptionText: "Hand-glazed stoneware.",
        Bullets: ["350 ml"],
        Brand: "Maple",
        SearchTerms: "mug",
        Tags: ["mug"],
        SeoTitle: null,
        SeoDescription: null,
        Language: "en",
        CategoryId: categoryId,
        Attributes: new Dictionary<string, string> { ["100198"] = "Ceramic" },
        Images: [Image("mug-main.png", MainImage, "main"), Image("mug-scene.png", SceneImage, "scene")],
        Variants:
        [
            new ListingVariant("MUG-RED", [new("Colour", "Red")], redPriceMinor, "USD", 7, "0012345678905"),
            new ListingVariant("MUG-BLUE", [new("Colour", "Blue")], 1300, "USD", 3, null),
        ],
        OptionNames: ["Colour"],
        WeightGrams: 350);

    private static ListingImage Image(string name, byte[] bytes, string role) => new(
        Guid.NewGuid(), name, "image/png", 40, 40, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), null, role,
        _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)));
}
