using System.Globalization;
using CommerceOS.Connectors.Marketplaces.Shopee;
using CommerceOS.Connectors.Tests.Marketplaces.Taobao;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopee;

public static class ShopeeDrafts
{
    /// <summary>The publisher and the category source as the host builds them, pointed at <paramref name="fake"/>.</summary>
    public static PublisherScope Scope(FakeTimeProvider clock, FakeShopeeServer fake, string attemptTimeout = "01:00:00") => new(
        clock,
        new()
        {
            ["Publishing:Shopee:BaseUrl"] = fake.BaseUrl,
            ["Publishing:Shopee:AttemptTimeout"] = attemptTimeout,
        },
        (services, configuration) => services.AddShopeePublisher(configuration),
        Platforms.Shopee);

    public static readonly byte[] Main = TestPng.Create(20, 20);
    public static readonly byte[] Scene = TestPng.Create(20, 30);

    /// <summary>A freshly authorised connection: only the auth code, no tokens yet.</summary>
    public static MarketplaceSession NewConnection(string partnerKey = FakeShopeeServer.PartnerKey) => Session(partnerKey, new() { ["auth_code"] = FakeShopeeServer.AuthCode });

    /// <summary>A stored connection with tokens the fake issued.</summary>
    public static MarketplaceSession Connected(FakeShopeeServer fake, string partnerKey = FakeShopeeServer.PartnerKey)
    {
        var (access, refresh, expires) = fake.IssueTokens();
        return Session(partnerKey, new()
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["access_token_expires_at"] = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });
    }

    private static MarketplaceSession Session(string partnerKey, Dictionary<string, string> extra)
    {
        var values = new Dictionary<string, string>
        {
            ["partner_id"] = FakeShopeeServer.PartnerId.ToString(CultureInfo.InvariantCulture),
            ["partner_key"] = partnerKey,
            ["shop_id"] = FakeShopeeServer.ShopId.ToString(CultureInfo.InvariantCulture),
            ["logistic_id"] = FakeShopeeServer.LogisticId.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return new MarketplaceSession(Guid.NewGuid(), Platforms.Shopee, values);
    }

    /// <summary>A teacup in Singapore dollars: one variant unless <paramref name="variants"/> are given (option "Colour").</summary>
    public static ListingDraft Draft(string? externalId = null, string title = "Blue Willow porcelain teacup, hand painted, 150 ml", long? price = 1250, IReadOnlyList<ListingVariant>? variants = null) =>
        new(
            ListingKey: "lk-teacup-1",
            ExternalId: externalId,
            ProductId: Guid.Parse("0194a3c2-7d1e-7c3a-9f00-000000000002"),
            Sku: "TEACUP-150",
            Handle: "teacup-150",
            Title: title,
            DescriptionHtml: "<p>Hand painted in Jingdezhen.</p><ul><li>150 ml</li></ul>",
            DescriptionText: null,
            Bullets: ["Hand painted", "150 ml"],
            Brand: "Blue Willow",
            SearchTerms: null,
            Tags: [],
            SeoTitle: null,
            SeoDescription: null,
            Language: "en",
            CategoryId: FakeShopeeServer.LeafCategory.ToString(CultureInfo.InvariantCulture),
            // attribute id → value id, attribute id → free text, and a key that is not Shopee's (left out).
            Attributes: new Dictionary<string, string> { ["100037"] = "2345", ["100134"] = "Porcelain", ["colour"] = "blue" },
            Images: [PublisherScope.Image("teacup-main.png", Main, "main"), PublisherScope.Image("teacup-scene.png", Scene, "scene")],
            Variants: variants ?? [new ListingVariant("TEACUP-150", [], price, "SGD", 7, null)],
            OptionNames: variants is null ? [] : ["Colour"],
            WeightGrams: 350);
}
