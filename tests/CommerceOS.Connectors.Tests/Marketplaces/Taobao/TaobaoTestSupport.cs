using System.Globalization;
using CommerceOS.Connectors.Marketplaces.Taobao;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Taobao;

public static class TaobaoDrafts
{
    public static readonly byte[] Main = TestPng.Create(24, 24);
    public static readonly byte[] Scene = TestPng.Create(16, 32);

    /// <summary>The adapter as the host registers it, against <paramref name="fake"/>.</summary>
    public static PublisherScope Scope(FakeTimeProvider clock, FakeTaobaoServer fake, string signMethod = "hmac-sha256", string attemptTimeout = "01:00:00", int? maxCategoryCalls = null)
    {
        Dictionary<string, string?> settings = new()
        {
            ["Publishing:Taobao:GatewayUrl"] = $"{fake.BaseUrl}/router/rest",
            ["Publishing:Taobao:SignMethod"] = signMethod,
            ["Publishing:Taobao:AttemptTimeout"] = attemptTimeout,
        };
        if (maxCategoryCalls is { } calls)
        {
            settings["Publishing:Taobao:MaxCategoryCalls"] = calls.ToString(CultureInfo.InvariantCulture);
        }

        return new(clock, settings, (services, configuration) => services.AddTaobaoPublisher(configuration), Platforms.Taobao);
    }

    public static MarketplaceSession Session(string secret = FakeTaobaoServer.AppSecret, string session = FakeTaobaoServer.Session) =>
        new(Guid.NewGuid(), Platforms.Taobao, new Dictionary<string, string>
        {
            ["app_key"] = FakeTaobaoServer.AppKey,
            ["app_secret"] = secret,
            ["session"] = session,
            ["location_state"] = "浙江",
            ["location_city"] = "杭州",
        });

    /// <summary>A teacup in yuan: one variant unless <paramref name="variants"/> are given (options as pid:vid).</summary>
    public static ListingDraft Draft(string? externalId = null, string title = "青花瓷茶杯 手绘 150ml", long? price = 1250, IReadOnlyList<ListingVariant>? variants = null) =>
        new(
            ListingKey: "lk-teacup-1",
            ExternalId: externalId,
            ProductId: Guid.Parse("0194a3c2-7d1e-7c3a-9f00-000000000001"),
            Sku: "TEACUP-150",
            Handle: "teacup-150",
            Title: title,
            DescriptionHtml: "<p>景德镇手绘青花瓷茶杯。</p>",
            DescriptionText: "景德镇手绘青花瓷茶杯。",
            Bullets: ["手绘", "150ml"],
            Brand: "青花",
            SearchTerms: null,
            Tags: [],
            SeoTitle: null,
            SeoDescription: null,
            Language: "zh-CN",
            CategoryId: FakeTaobaoServer.LeafCategory,
            // pid → vid becomes props, pid → text becomes input_pids/input_str, a non-TOP key is left out.
            Attributes: new Dictionary<string, string> { ["20000"] = "3275069", ["122216343"] = "手绘", ["material"] = "porcelain" },
            Images: [PublisherScope.Image("teacup-main.png", Main, "main"), PublisherScope.Image("teacup-scene.png", Scene, "scene")],
            Variants: variants ?? [new ListingVariant("TEACUP-150", [], price, "CNY", 7, null)],
            OptionNames: variants is null ? [] : ["颜色分类"],
            WeightGrams: 350);
}

/// <summary>A Taobao suite: the fake TOP router on a fixed clock (09:00 UTC, 17:00 in China), one per test.</summary>
public abstract class FakeTaobaoTests : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    protected FakeTaobaoServer Fake { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => Fake = await FakeTaobaoServer.StartAsync(Clock);

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
