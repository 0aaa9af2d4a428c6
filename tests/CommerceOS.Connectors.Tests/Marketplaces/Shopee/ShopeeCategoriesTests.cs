using CommerceOS.Connectors.Tests.Marketplaces.Taobao;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopee;

public sealed class ShopeeCategoriesTests : IAsyncLifetime
{
    private const string GetCategory = "/api/v2/product/get_category";
    private const string Refresh = "/api/v2/auth/access_token/get";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeShopeeServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeShopeeServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PublisherScope Scope() => ShopeeDrafts.Scope(_clock, _fake);

    private static string Line(CategoryNode node) => $"{node.Id}<{node.ParentId}:{node.Name}:{(node.IsLeaf ? "leaf" : "branch")}";

    [Fact]
    public async Task ReadsTheThreeLevelTree_ShopSigned_WithSimplifiedChineseNames_WhenChineseIsAsked()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);

        var tree = await scope.Categories.ReadCategoriesAsync(session, "zh-CN", Ct);

        // The display name when Shopee gives one, else the original name.
        Assert.Equal(["100630<:居家生活:branch", "100633<100630:厨房用品:branch", "100636<100633:饮具:leaf", "100637<100633:Tableware:leaf"], tree.Nodes.Select(Line));
        Assert.All(tree.Nodes, node => Assert.True(node.Usable));
        Assert.Equal(("zh-Hans", true), (tree.Language, tree.Complete));
        var read = Assert.Single(_fake.Calls);
        Assert.Equal(GetCategory, read.Path);
        Assert.Equal("zh-hans", read.Query["language"]);
        Assert.Equal(session["access_token"], read.Query["access_token"]); // shop-level signing, checked by the fake
        Assert.Empty(_fake.Refused);
        Assert.False(session.Changed);
    }

    [Theory]
    [InlineData("en", "en", "Drinkware")]
    [InlineData("fr", "en", "Drinkware")]
    public async Task OtherLanguages_AreReadInEnglish(string asked, string language, string drinkware)
    {
        await using var scope = Scope();

        var tree = await scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), asked, Ct);

        Assert.Equal(language, tree.Language);
        Assert.Equal(drinkware, tree.Nodes.Single(node => node.Id == "100636").Name);
        Assert.Equal("en", Assert.Single(_fake.Calls).Query["language"]);
    }

    [Fact]
    public async Task RepeatedIds_AndNodesWithoutIdOrName_AreDropped_AndChildrenFollowTheirParents()
    {
        _fake.Categories.Clear();
        _fake.Categories.AddRange(
        [
            new(12, 11, "Leaf first", "Leaf first", "叶", false),
            new(11, 0, "Root", "Root", "根", true),
            new(11, 0, "Root again", "Root again", "根2", true),
            new(0, 11, "No id", "No id", "无", false),
            new(13, 11, null, "", "", false),
        ]);
        await using var scope = Scope();

        var tree = await scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct);

        Assert.Equal(["11<:Root:branch", "12<11:Leaf first:leaf"], tree.Nodes.Select(Line));
    }

    [Fact]
    public async Task WrongPartnerKey_FailsTheFakesSignatureCheck_AsMisconfigured()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake, partnerKey: "not-the-key"), "en", Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("error_sign", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", error.Message, StringComparison.Ordinal);
        Assert.Equal(["error_sign"], _fake.Refused);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task TokenRefusedDuringTheRead_IsRefreshedOnce_AndTheRotatedRefreshTokenWrittenBack()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var (access, refresh) = (session["access_token"], session["refresh_token"]);
        _fake.RevokeAccessTokens();

        var tree = await scope.Categories.ReadCategoriesAsync(session, "en", Ct);

        Assert.Equal(4, tree.Nodes.Count);
        Assert.Equal(["error_auth"], _fake.Refused);
        Assert.Equal([Refresh, GetCategory], _fake.Calls.Select(call => call.Path));
        Assert.Equal(refresh, _fake.Calls.First().Body!["refresh_token"]!.GetValue<string>());
        Assert.True(session.Changed);
        Assert.NotEqual(access, session["access_token"]);
        Assert.NotEqual(refresh, session["refresh_token"]); // rotated: the old one is spent
        Assert.Equal(session["access_token"], _fake.Calls.Last().Query["access_token"]);
    }

    [Fact]
    public async Task ATokenInItsLastMinute_IsRefreshedBeforeTheRead()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var refresh = session["refresh_token"];
        _clock.Advance(FakeShopeeServer.TokenLifetime - TimeSpan.FromSeconds(59));

        await scope.Categories.ReadCategoriesAsync(session, "en", Ct);

        Assert.Equal([Refresh, GetCategory], _fake.Calls.Select(call => call.Path));
        Assert.NotEqual(refresh, session["refresh_token"]);
        Assert.Empty(_fake.Refused);
    }

    [Fact]
    public async Task Http429WithALongRetryAfter_IsRateLimited_WithTheWait()
    {
        _fake.Fail(GetCategory, FakeShopeeServer.Error(429, "error_too_many_request", "Too many requests.", ("Retry-After", "120")));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct));

        Assert.Equal((ProviderFailure.RateLimited, TimeSpan.FromSeconds(120)), (error.Failure, error.RetryAfter));
        Assert.Single(_fake.CallsTo(GetCategory));
    }

    [Fact]
    public async Task ServerErrors_AreRetried_ThenTheTreeIsRead()
    {
        _fake.Fail(GetCategory, FakeShopeeServer.Error(500, "error_server", "Internal error."));
        _fake.Fail(GetCategory, Faults.Status(502, "<html>Bad Gateway</html>"));
        await using var scope = Scope();

        var tree = await _clock.Drive(scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct));

        Assert.Equal(4, tree.Nodes.Count);
        Assert.Equal(3, _fake.CallsTo(GetCategory).Count());
    }

    [Fact]
    public async Task ServerErrors_BeyondTheRetries_AreTransient()
    {
        for (var i = 0; i < 4; i++)
        {
            _fake.Fail(GetCategory, FakeShopeeServer.Error(503, "error_server", "Service unavailable."));
        }

        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Equal(4, _fake.CallsTo(GetCategory).Count()); // the first try and MaxRetries (3)
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        _fake.Fail(GetCategory, Faults.MalformedJson());
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASuccessWithoutTheCategoryList_IsTransient_NotAnEmptyTree()
    {
        _fake.Fail(GetCategory, FakeShopeeServer.Error(200, "", ""));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("category_list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABusinessRefusalOfTheRead_IsMisconfigured()
    {
        _fake.Fail(GetCategory, FakeShopeeServer.Error(200, "error_param", "shop is not allowed to read categories."));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(ShopeeDrafts.Connected(_fake), "en", Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("error_param", error.Message, StringComparison.Ordinal);
    }
}
