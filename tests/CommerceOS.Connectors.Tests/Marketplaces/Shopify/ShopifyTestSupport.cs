using CommerceOS.Connectors.Marketplaces.Shopify;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopify;

/// <summary>The Shopify publisher built as the host builds it (AddShopifyPublisher over configuration), aimed at the fake.</summary>
public sealed class ShopifyScope : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ShopifyScope(TimeProvider clock, Dictionary<string, string?> settings)
    {
        _services = Providers.Build(clock, settings, (services, configuration) => services.AddShopifyPublisher(configuration));
        Publisher = _services.GetServices<IMarketplacePublisher>().Single(publisher => publisher.Platform == Platforms.Shopify);
    }

    public IMarketplacePublisher Publisher { get; }

    public static Dictionary<string, string?> Settings(FakeShopifyServer fake) => new()
    {
        ["Publishing:Shopify:ShopUrlTemplate"] = $"{fake.BaseUrl}/{{shop}}",
        // Far beyond any wait the tests step through with Drive.
        ["Publishing:Shopify:AttemptTimeout"] = "01:00:00",
    };

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class ShopifyDrafts
{
    public static readonly byte[] Png = TestPng.Create(24, 16);

    /// <summary>A seller's connection: the static token by default, client credentials when <paramref name="clientSecret"/> is given.</summary>
    public static MarketplaceSession Session(string shop = "commerceos-test", string? token = FakeShopifyServer.StaticToken, string? clientSecret = null, Dictionary<string, string>? extra = null)
    {
        var values = new Dictionary<string, string>(extra ?? [], StringComparer.Ordinal) { ["shop"] = shop };
        if (token is not null)
        {
            values["access_token"] = token;
        }

        if (clientSecret is not null)
        {
            values["client_id"] = FakeShopifyServer.ClientId;
            values["client_secret"] = clientSecret;
        }

        return new MarketplaceSession(Guid.Parse("0b9a3a47-6f0e-4a52-9f55-3f8c1c0de001"), Platforms.Shopify, values);
    }

    public static ListingImage Image(string name, string? publicUrl = null) =>
        new(Guid.NewGuid(), name, "image/png", 24, 16, Png.Length, "sha", publicUrl, "main", _ => Task.FromResult<Stream>(new MemoryStream(Png)));

    /// <summary>A mug in two colours, one public image.</summary>
    public static ListingDraft Listing(
        string title = "Stoneware mug",
        string? externalId = null,
        IReadOnlyList<ListingImage>? images = null,
        IReadOnlyList<ListingVariant>? variants = null,
        IReadOnlyList<string>? optionNames = null,
        string? category = "gid://shopify/TaxonomyCategory/hg-11-10-2",
        string listingKey = "lk-0192f3b4-mug") =>
        new(
            listingKey,
            externalId,
            Guid.Parse("0192f3b4-0000-7000-8000-000000000001"),
            "MUG-01",
            "stoneware-mug",
            title,
            "<p>Hand-glazed.</p><ul><li>350 ml</li></ul>",
            "Hand-glazed. 350 ml",
            ["350 ml"],
            "Kiln & Co",
            "mug cup",
            ["mug", "kitchen"],
            "Stoneware mug 350 ml",
            "A hand-glazed stoneware mug.",
            "en",
            category,
            new Dictionary<string, string> { ["product_type"] = "Mugs" },
            images ?? [Image("mug-main.png", "https://cdn.example.com/mug-main.png")],
            variants ??
            [
                new("MUG-01-BLU", [new("Color", "Blue")], 1990, "USD", 12, "0123456789012"),
                new("MUG-01-RED", [new("Color", "Red")], 2190, "USD", 0, null),
            ],
            optionNames ?? ["Color"],
            420);
}
