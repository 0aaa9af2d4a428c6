using System.Globalization;
using CommerceOS.Connectors.Marketplaces.Shopee;
using CommerceOS.Connectors.Tests.Marketplaces.Taobao;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopee;

public sealed class ShopeePublisherTests : IAsyncLifetime
{
    private const string AddItem = "/api/v2/product/add_item";
    private const string UpdateItem = "/api/v2/product/update_item";
    private const string Refresh = "/api/v2/auth/access_token/get";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeShopeeServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeShopeeServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PublisherScope Scope(string attemptTimeout = "01:00:00") => ShopeeDrafts.Scope(_clock, _fake, attemptTimeout);

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Sign_MatchesHandComputedVectors()
    {
        // Computed with Python's hmac/hashlib (SHA-256, key = partner key), lower-case hex.
        var publicBase = ShopeeSignature.PublicBase(2001887, "/api/v2/auth/token/get", 1795510800);
        var shopBase = ShopeeSignature.ShopBase(2001887, "/api/v2/product/add_item", 1795510800, "tok-abc", 123456789);

        Assert.Equal("2001887/api/v2/auth/token/get1795510800", publicBase);
        Assert.Equal("2001887/api/v2/product/add_item1795510800tok-abc123456789", shopBase);
        Assert.Equal("6128077320f4d64d72ecefe6f555189cacede2bcc25dcadf5409d1eb32e794d3", ShopeeSignature.Sign("shpk-72a1c0ffee", publicBase));
        Assert.Equal("c442704e10c90a0123b1faf721a16829229fb8e5c988934a7f877ac98b21fc15", ShopeeSignature.Sign("shpk-72a1c0ffee", shopBase));
    }

    [Fact]
    public async Task Test_ExchangesTheAuthCode_StoresBothTokens_AndReadsTheShopName()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.NewConnection();

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(FakeShopeeServer.ShopName, check.AccountLabel);
        Assert.Equal(["/api/v2/auth/token/get", "/api/v2/shop/get_shop_info"], _fake.Calls.Select(c => c.Path));
        var exchange = _fake.Calls.First().Body!;
        Assert.Equal((FakeShopeeServer.AuthCode, FakeShopeeServer.ShopId, FakeShopeeServer.PartnerId), (exchange["code"]!.GetValue<string>(), exchange["shop_id"]!.GetValue<long>(), exchange["partner_id"]!.GetValue<long>()));
        Assert.False(_fake.Calls.First().Query.ContainsKey("access_token")); // public signing for the token call
        Assert.True(session.Changed);
        Assert.Null(session["auth_code"]); // spent
        Assert.StartsWith("acc-", session["access_token"], StringComparison.Ordinal);
        Assert.StartsWith("ref-", session["refresh_token"], StringComparison.Ordinal);
        Assert.Equal(Id((_clock.GetUtcNow() + FakeShopeeServer.TokenLifetime).ToUnixTimeSeconds()), session["access_token_expires_at"]);
        Assert.Equal(session["access_token"], _fake.Calls.Last().Query["access_token"]);
    }

    [Fact]
    public async Task CachedToken_IsUsedWhileValid_AndRefreshedInItsLastMinute_WithTheRotatedRefreshTokenStored()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var (firstAccess, firstRefresh) = (session["access_token"], session["refresh_token"]);

        await scope.Publisher.TestAsync(session, Ct);
        Assert.Empty(_fake.CallsTo(Refresh));
        Assert.False(session.Changed);

        _clock.Advance(FakeShopeeServer.TokenLifetime - TimeSpan.FromSeconds(59));
        await scope.Publisher.TestAsync(session, Ct);

        var refresh = Assert.Single(_fake.CallsTo(Refresh));
        Assert.Equal(firstRefresh, refresh.Body!["refresh_token"]!.GetValue<string>());
        Assert.NotEqual(firstAccess, session["access_token"]);
        Assert.NotEqual(firstRefresh, session["refresh_token"]);
        Assert.Equal(session["access_token"], _fake.Calls.Last().Query["access_token"]);
    }

    [Fact]
    public async Task RefusedToken_IsRefreshedOnce_AndTheCallGoesAgain()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        _fake.RevokeAccessTokens();

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(FakeShopeeServer.ShopName, check.AccountLabel);
        // The first read is refused at the door (not recorded as a call), then one refresh and the read again.
        Assert.Equal(["error_auth"], _fake.Refused);
        Assert.Equal([Refresh, "/api/v2/shop/get_shop_info"], _fake.Calls.Select(c => c.Path));
        Assert.Equal(session["access_token"], _fake.Calls.Last().Query["access_token"]);
    }

    [Fact]
    public async Task ExpiredRefreshToken_IsMisconfigured()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        _fake.RevokeAccessTokens();
        _fake.RevokeRefreshTokens();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(session, Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("authorise the shop again", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.CallsTo(Refresh)); // once, not in a loop
    }

    [Fact]
    public async Task WrongPartnerKey_FailsTheFakesSignatureCheck_AsMisconfigured()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopeeDrafts.NewConnection(partnerKey: "not-the-key"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("error_sign", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", error.Message, StringComparison.Ordinal);
        Assert.Equal(["error_sign"], _fake.Refused);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task TimestampSixMinutesOff_IsMisconfigured()
    {
        _fake.ClockSkew = TimeSpan.FromMinutes(6);
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopeeDrafts.Connected(_fake), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("clock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_UploadsImages_SearchesBySku_AndAddsTheDocumentedBody()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(ShopeeDrafts.Connected(_fake), ShopeeDrafts.Draft(), Ct);

        var item = Assert.Single(_fake.Items.Values);
        Assert.Equal((PublishOutcome.Live, Id(item.ItemId)), (result.Outcome, result.ExternalId));
        Assert.Equal(
            ["/api/v2/media_space/upload_image", "/api/v2/media_space/upload_image", "/api/v2/product/search_item", AddItem],
            _fake.Calls.Select(c => c.Path));
        var uploads = _fake.CallsTo("/api/v2/media_space/upload_image").ToList();
        Assert.Equal("image", uploads[0].FileField);
        Assert.Equal(ShopeeDrafts.Main, uploads[0].File);
        Assert.Equal(ShopeeDrafts.Scene, uploads[1].File);
        Assert.Equal("normal", uploads[0].Body!["scene"]!.GetValue<string>());
        Assert.Equal("TEACUP-150", _fake.CallsTo("/api/v2/product/search_item").Single().Query["item_sku"]);

        var body = _fake.CallsTo(AddItem).Single().Body!;
        Assert.Equal("Blue Willow porcelain teacup, hand painted, 150 ml", body["item_name"]!.GetValue<string>());
        Assert.Equal("Hand painted in Jingdezhen.\n150 ml", body["description"]!.GetValue<string>());
        Assert.Equal(12.5m, body["original_price"]!.GetValue<decimal>());
        Assert.Equal("""[{"stock":7}]""", body["seller_stock"]!.ToJsonString());
        Assert.Equal(FakeShopeeServer.LeafCategory, body["category_id"]!.GetValue<long>());
        Assert.Equal(0.35m, body["weight"]!.GetValue<decimal>());
        Assert.Equal($$"""[{"logistic_id":{{FakeShopeeServer.LogisticId}},"enabled":true}]""", body["logistic_info"]!.ToJsonString());
        Assert.Equal(
            """[{"attribute_id":100037,"attribute_value_list":[{"value_id":2345}]},{"attribute_id":100134,"attribute_value_list":[{"value_id":0,"original_value_name":"Porcelain"}]}]""",
            body["attribute_list"]!.ToJsonString());
        Assert.Equal("""{"brand_id":0,"original_brand_name":"Blue Willow"}""", body["brand"]!.ToJsonString());
        Assert.Equal(("TEACUP-150", "NEW"), (body["item_sku"]!.GetValue<string>(), body["condition"]!.GetValue<string>()));
        Assert.Equal(2, body["image"]!["image_id_list"]!.AsArray().Count);
    }

    [Fact]
    public async Task PublishTwice_WithoutTheId_FindsTheItemBySku_AndUpdatesIt_WithPriceAndStockOfModel0()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var first = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(), Ct);

        var second = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(title: "Blue Willow teacup, hand painted porcelain", price: 1490), Ct);

        Assert.Equal(first.ExternalId, second.ExternalId);
        var item = Assert.Single(_fake.Items.Values);
        Assert.Single(_fake.CallsTo(AddItem));
        Assert.Equal("Blue Willow teacup, hand painted porcelain", item.Body["item_name"]!.GetValue<string>());
        Assert.Equal(item.ItemId, _fake.CallsTo(UpdateItem).Single().Body!["item_id"]!.GetValue<long>());
        Assert.Equal($$"""{"item_id":{{item.ItemId}},"price_list":[{"model_id":0,"original_price":14.9}]}""", _fake.CallsTo("/api/v2/product/update_price").Single().Body!.ToJsonString());
        Assert.Equal(14.9m, item.Price);
    }

    [Fact]
    public async Task AddWhoseAnswerWasLost_IsNotRepeated_AndTheRetriedPublishUpdatesTheSameItem()
    {
        _fake.LoseAnswer(AddItem);
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(), Ct)));
        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.CallsTo(AddItem));

        var retried = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(), Ct);

        var item = Assert.Single(_fake.Items.Values);
        Assert.Equal((PublishOutcome.Live, Id(item.ItemId)), (retried.Outcome, retried.ExternalId));
        Assert.Single(_fake.CallsTo(AddItem));
        Assert.Single(_fake.CallsTo(UpdateItem));
    }

    [Fact]
    public async Task UpdateByExternalId_SkipsTheSearch()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var first = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(), Ct);

        var second = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(externalId: first.ExternalId), Ct);

        Assert.Equal((PublishOutcome.Live, first.ExternalId), (second.Outcome, second.ExternalId));
        Assert.Single(_fake.CallsTo("/api/v2/product/search_item"));
        Assert.Single(_fake.CallsTo(UpdateItem));
    }

    [Fact]
    public async Task Variants_AreInitialisedAsTierVariation_ThenSyncedPerModelSku()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        ListingVariant[] variants =
        [
            new("TEACUP-BLUE", [new("Colour", "Blue")], 1590, "SGD", 3, null),
            new("TEACUP-RED", [new("Colour", "Red")], 1290, "SGD", 4, null),
        ];

        var created = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(variants: variants), Ct);

        Assert.Equal(PublishOutcome.Live, created.Outcome);
        var init = _fake.CallsTo("/api/v2/product/init_tier_variation").Single().Body!;
        Assert.Equal("""[{"name":"Colour","option_list":[{"option":"Blue"},{"option":"Red"}]}]""", init["tier_variation"]!.ToJsonString());
        Assert.Equal(
            """[{"tier_index":[0],"model_sku":"TEACUP-BLUE","seller_stock":[{"stock":3}],"original_price":15.9},{"tier_index":[1],"model_sku":"TEACUP-RED","seller_stock":[{"stock":4}],"original_price":12.9}]""",
            init["model"]!.ToJsonString());
        Assert.Equal(15.9m, _fake.CallsTo(AddItem).Single().Body!["original_price"]!.GetValue<decimal>()); // from the first variant

        ListingVariant[] restocked = [variants[0] with { Stock = 30 }, variants[1] with { PriceMinor = 990 }];
        var synced = await scope.Publisher.SyncOffersAsync(session, ShopeeDrafts.Draft(externalId: created.ExternalId, variants: restocked), Ct);

        Assert.Equal(PublishOutcome.Live, synced.Outcome);
        var models = Assert.Single(_fake.Items.Values).Models;
        Assert.Equal([("TEACUP-BLUE", 15.9m, 30), ("TEACUP-RED", 9.9m, 4)], models.Select(m => (m.Sku, m.Price, m.Stock)));
        Assert.Single(_fake.CallsTo("/api/v2/product/init_tier_variation"));
    }

    [Theory]
    [InlineData(false, ListingFields.Title, "item_name", "item_name length should be between 20 and 120.")]
    [InlineData(true, ListingFields.Category, "category_id", "category_id 999 is not a leaf category.")]
    public async Task ParamErrors_AreRejected_WithTheIssueUnderOurField(bool badCategory, string field, string attribute, string message)
    {
        await using var scope = Scope();
        var draft = badCategory ? ShopeeDrafts.Draft() with { CategoryId = "999" } : ShopeeDrafts.Draft(title: new string('x', 121));

        var result = await scope.Publisher.PublishAsync(ShopeeDrafts.Connected(_fake), draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((field, "error_param", attribute, message), (issue.Field, issue.Code, issue.PlatformAttribute, issue.Message));
        Assert.Empty(_fake.Items);
    }

    [Fact]
    public async Task Http429WithAShortRetryAfter_IsWaitedOut_AndTheCallGoesAgain()
    {
        _fake.Fail("/api/v2/product/search_item", FakeShopeeServer.Error(429, "error_too_many_request", "Too many requests.", ("Retry-After", "2")));
        await using var scope = Scope();

        var result = await _clock.Drive(scope.Publisher.PublishAsync(ShopeeDrafts.Connected(_fake), ShopeeDrafts.Draft(), Ct));

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        Assert.Equal(2, _fake.CallsTo("/api/v2/product/search_item").Count());
    }

    [Theory]
    [InlineData(429, "120", 120)]
    [InlineData(200, null, null)]
    public async Task RateLimitWithoutAShortWait_GoesBackToTheJob(int status, string? retryAfter, int? seconds)
    {
        _fake.Fail("/api/v2/shop/get_shop_info", retryAfter is null
            ? FakeShopeeServer.Error(status, "error_too_many_request", "Too many requests.")
            : FakeShopeeServer.Error(status, "error_too_many_request", "Too many requests.", ("Retry-After", retryAfter)));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopeeDrafts.Connected(_fake), Ct));

        Assert.Equal((ProviderFailure.RateLimited, seconds is null ? (TimeSpan?)null : TimeSpan.FromSeconds(seconds.Value)), (error.Failure, error.RetryAfter));
        Assert.Single(_fake.CallsTo("/api/v2/shop/get_shop_info"));
    }

    [Fact]
    public async Task ServerErrorOnARepeatableCall_IsRetried_ThenSucceeds()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var first = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(), Ct);
        _fake.Fail("/api/v2/product/update_stock", FakeShopeeServer.Error(500, "error_server", "Internal error."));

        var synced = await _clock.Drive(scope.Publisher.SyncOffersAsync(session, ShopeeDrafts.Draft(externalId: first.ExternalId), Ct));

        Assert.Equal(PublishOutcome.Live, synced.Outcome);
        Assert.Equal(2, _fake.CallsTo("/api/v2/product/update_stock").Count());
    }

    [Fact]
    public async Task ErrorServerInTheEnvelope_IsTransient()
    {
        _fake.Fail("/api/v2/shop/get_shop_info", FakeShopeeServer.Error(200, "error_server", "Something went wrong."));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopeeDrafts.Connected(_fake), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task ServerErrorOnAdd_IsTransient_AndNotRepeated()
    {
        _fake.Fail(AddItem, FakeShopeeServer.Error(502, "error_server", "Bad gateway."));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(ShopeeDrafts.Connected(_fake), ShopeeDrafts.Draft(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.CallsTo(AddItem));
    }

    [Fact]
    public async Task HangingAdd_TimesOut_AsTransient_WithoutASecondAdd()
    {
        _fake.Fail(AddItem, async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var scope = Scope(attemptTimeout: "00:00:30");

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(ShopeeDrafts.Connected(_fake), ShopeeDrafts.Draft(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.CallsTo(AddItem));
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        _fake.Fail("/api/v2/shop/get_shop_info", Faults.MalformedJson());
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopeeDrafts.Connected(_fake), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task Unpublish_UnlistsTheItem_AndAGoneItemCountsAsDone()
    {
        await using var scope = Scope();
        var session = ShopeeDrafts.Connected(_fake);
        var first = await scope.Publisher.PublishAsync(session, ShopeeDrafts.Draft(), Ct);

        var removed = await scope.Publisher.UnpublishAsync(session, ShopeeDrafts.Draft(externalId: first.ExternalId), Ct);

        Assert.Equal((PublishOutcome.Removed, first.ExternalId), (removed.Outcome, removed.ExternalId));
        Assert.Equal("UNLIST", Assert.Single(_fake.Items.Values).Status);
        Assert.Equal($$"""{"item_list":[{"item_id":{{first.ExternalId}},"unlist":true}]}""", _fake.CallsTo("/api/v2/product/unlist_item").Single().Body!.ToJsonString());

        _fake.Items.Clear(); // deleted in Seller Centre
        var again = await scope.Publisher.UnpublishAsync(session, ShopeeDrafts.Draft(externalId: first.ExternalId), Ct);

        Assert.Equal(PublishOutcome.Removed, again.Outcome);
        Assert.Equal(2, _fake.CallsTo("/api/v2/product/unlist_item").Count());
    }

    [Fact]
    public async Task SyncOffers_OfAnItemShopeeDoesNotHave_IsRejected()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.SyncOffersAsync(ShopeeDrafts.Connected(_fake), ShopeeDrafts.Draft(), Ct);

        Assert.Equal((PublishOutcome.Rejected, "not_found"), (result.Outcome, Assert.Single(result.Issues).Code));
        Assert.Empty(_fake.CallsTo("/api/v2/product/update_price"));
    }

    [Fact]
    public async Task Revoke_OffersNothing_AndCallsNothing()
    {
        await using var scope = Scope();

        Assert.False(await scope.Publisher.RevokeAsync(ShopeeDrafts.Connected(_fake), Ct));
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task Registration_DeclaresTheCredentialFields()
    {
        await using var scope = Scope();

        Assert.Equal(["partner_id", "partner_key", "shop_id", "auth_code", "refresh_token", "logistic_id"], scope.Publisher.Fields.Select(f => f.Name));
        Assert.Equal([false, false, false, true, true, false], scope.Publisher.Fields.Select(f => f.Required).Select(r => !r));
    }
}
