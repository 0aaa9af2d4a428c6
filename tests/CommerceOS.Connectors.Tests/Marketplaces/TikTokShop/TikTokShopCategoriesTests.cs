using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;
using static CommerceOS.Connectors.Tests.Marketplaces.TikTokShop.TikTokShopTestSupport;

namespace CommerceOS.Connectors.Tests.Marketplaces.TikTokShop;

public sealed class TikTokShopCategoriesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeTikTokShopServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeTikTokShopServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TikTokShopScope Scope() => new(_clock, Settings(_fake));

    private static async Task<MarketplaceSession> ConnectedAsync(TikTokShopScope scope)
    {
        var session = Session();
        await scope.Publisher.TestAsync(session, Ct);
        return session;
    }

    private static string Line(CategoryNode node) => $"{node.Id}<{node.ParentId}:{node.Name}:{(node.IsLeaf ? "leaf" : "branch")}:{(node.Usable ? "usable" : "withheld")}";

    [Fact]
    public async Task ReadsTheThreeLevelTree_SignedForTheShop_WithChineseNames_WhenChineseIsAsked()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);

        var tree = await scope.Categories.ReadCategoriesAsync(session, "zh-CN", Ct);

        Assert.Equal(
            [
                "601152<:家居用品:branch:usable", "824328<:手机与数码:branch:usable", "601153<601152:饮具:branch:usable",
                "824584<824328:手机壳:leaf:withheld", "600001<601153:马克杯:leaf:usable", "600002<601153:茶杯:leaf:withheld",
            ],
            tree.Nodes.Select(Line));
        Assert.Equal(("zh-CN", true), (tree.Language, tree.Complete));
        var read = Assert.Single(_fake.Calls("categories"));
        Assert.Equal(("GET", "zh-CN", FakeTikTokShopServer.ShopCipher), (read.Method, read.Query["locale"], read.Query["shop_cipher"]));
        Assert.Empty(_fake.Refusals); // the fake recomputed the signature over locale too
    }

    [Theory]
    [InlineData("en", "en-US", "Mugs")]
    [InlineData("de", "en-US", "Mugs")]
    [InlineData("zh-Hans", "zh-CN", "马克杯")]
    public async Task TheLanguage_IsAPreference_AndTheTreeSaysWhichLocaleItHolds(string asked, string locale, string mugs)
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);

        var tree = await scope.Categories.ReadCategoriesAsync(session, asked, Ct);

        Assert.Equal(locale, tree.Language);
        Assert.Equal(mugs, tree.Nodes.Single(node => node.Id == FakeTikTokShopServer.LeafCategory).Name);
        Assert.Equal(locale, Assert.Single(_fake.Calls("categories")).Query["locale"]);
    }

    [Fact]
    public async Task OnlyAvailable_IsUsable_EveryOtherPermissionStatusWithholdsTheCategory()
    {
        _fake.Categories.Clear();
        _fake.Categories.AddRange(
        [
            new("1", "0", "Open", "开放", true, ["AVAILABLE"]),
            new("2", "0", "No status", "无", true, []),
            new("3", "0", "Invited", "邀请", true, ["INVITE_ONLY"]),
            new("4", "0", "Not main", "非主营", true, ["NON_MAIN_CATEGORY"]),
            new("5", "0", "Mixed", "混合", true, ["AVAILABLE", "INVITE_ONLY"]),
        ]);
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);

        var tree = await scope.Categories.ReadCategoriesAsync(session, "en", Ct);

        Assert.Equal(["1:True", "2:True", "3:False", "4:False", "5:False"], tree.Nodes.Select(node => $"{node.Id}:{node.Usable}"));
    }

    [Fact]
    public async Task RepeatedIds_AndNodesWithoutIdOrName_AreDropped_AndChildrenFollowTheirParents()
    {
        _fake.Categories.Clear();
        _fake.Categories.AddRange(
        [
            new("12", "11", "Leaf first", "叶", true, ["AVAILABLE"]),
            new("11", "0", "Root", "根", false, ["AVAILABLE"]),
            new("11", "0", "Root again", "根2", false, ["AVAILABLE"]),
            new(null, "11", "No id", "无", true, ["AVAILABLE"]),
            new("13", "11", "  ", "  ", true, ["AVAILABLE"]),
            new("14", "99", "Orphan", "孤儿", true, ["AVAILABLE"]),
        ]);
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);

        var tree = await scope.Categories.ReadCategoriesAsync(session, "en", Ct);

        Assert.Equal(["11<:Root:branch:usable", "12<11:Leaf first:leaf:usable", "14<99:Orphan:leaf:usable"], tree.Nodes.Select(Line));
    }

    [Fact]
    public async Task WrongAppSecret_SignatureRefusedByTheFake_IsMisconfigured()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(session.With("app_secret", "not-the-secret"), "en", Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("106001", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(("categories", 106001L), Assert.Single(_fake.Refusals));
        Assert.Empty(_fake.Calls("categories"));
    }

    [Fact]
    public async Task TokenRefusedDuringTheRead_IsRenewedOnce_AndTheRotatedRefreshTokenWrittenBack()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        var (access, refresh) = (session["access_token"], session["refresh_token"]);
        _fake.RevokeAccessTokens();

        var tree = await scope.Categories.ReadCategoriesAsync(session, "en", Ct);

        Assert.Equal(6, tree.Nodes.Count);
        Assert.Equal(("categories", 105001L), Assert.Single(_fake.Refusals));
        Assert.Equal(refresh, Assert.Single(_fake.Calls("refresh")).Query["refresh_token"]);
        Assert.NotEqual(access, session["access_token"]);
        Assert.NotEqual(refresh, session["refresh_token"]);
        Assert.StartsWith("ROW_", session["refresh_token"], StringComparison.Ordinal);
        Assert.Single(_fake.Calls("categories"));
    }

    [Fact]
    public async Task AConnectionWithOnlyARefreshToken_RenewsAndFindsTheShopCipher_BeforeTheRead()
    {
        await using var scope = Scope();
        var session = Session(authCode: null, refreshToken: FakeTikTokShopServer.InitialRefreshToken);

        await scope.Categories.ReadCategoriesAsync(session, "en", Ct);

        Assert.True(session.Changed);
        Assert.NotEqual(FakeTikTokShopServer.InitialRefreshToken, session["refresh_token"]);
        Assert.Equal(FakeTikTokShopServer.ShopCipher, session["shop_cipher"]);
        Assert.Equal(["refresh", "shops", "categories"], _fake.Requests.Select(request => request.Route));
        Assert.Empty(_fake.Refusals);
    }

    [Fact]
    public async Task RateLimited_WithALongRetryAfter_IsRateLimited_WithTheWait()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("categories", FakeTikTokShopServer.Error(429, 36009003, "Too many requests", ("Retry-After", "120")));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(session, "en", Ct));

        Assert.Equal((ProviderFailure.RateLimited, TimeSpan.FromSeconds(120)), (error.Failure, error.RetryAfter));
        Assert.Single(_fake.Calls("categories"));
    }

    [Fact]
    public async Task RateLimitCode_InA200Envelope_IsRateLimited()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("categories", FakeTikTokShopServer.Error(200, 36009003, "Too many requests"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(session, "en", Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
    }

    [Fact]
    public async Task ServerErrors_AreRetried_ThenTheTreeIsRead()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("categories", Faults.Status(503), FakeTikTokShopServer.Error(500, 1, "internal error"));

        var tree = await _clock.Drive(scope.Categories.ReadCategoriesAsync(session, "en", Ct));

        Assert.Equal(6, tree.Nodes.Count);
        Assert.Equal(3, _fake.Calls("categories").Count());
    }

    [Fact]
    public async Task ServerErrors_BeyondTheRetries_AreTransient()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("categories", Faults.Status(503), Faults.Status(502), Faults.Status(500), Faults.Status(503));

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Categories.ReadCategoriesAsync(session, "en", Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Equal(4, _fake.Calls("categories").Count()); // the first try and MaxRetries (3)
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("categories", Faults.MalformedJson());

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(session, "en", Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASuccessWithoutTheCategoryList_IsTransient_NotAnEmptyTree()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("categories", FakeTikTokShopServer.Error(200, 0, "Success"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(session, "en", Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("categories", error.Message, StringComparison.Ordinal);
    }
}
