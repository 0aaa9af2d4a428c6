using CommerceOS.Connectors.Marketplaces.Taobao;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Taobao;

public sealed class TaobaoPublisherTests : FakeTaobaoTests
{
    private PublisherScope Scope(string signMethod = "hmac-sha256", string attemptTimeout = "01:00:00", FakeTaobaoServer? fake = null) =>
        TaobaoDrafts.Scope(Clock, fake ?? Fake, signMethod, attemptTimeout);

    [Theory]
    [InlineData("md5", "94C37F1E93AF8C9C557CB99A40658275")]
    [InlineData("hmac", "0D1653C2877A9391D210CCE05192F17B")]
    [InlineData("hmac-sha256", "D37FC926813DF2DF54764D16411D94B2CA363765D75A0288739DE7D018A955D6")]
    public void Sign_MatchesHandComputedVectors(string method, string expected)
    {
        // Computed with Python's hashlib/hmac over the §10.3 string; the empty value is left out, "sign" too.
        Dictionary<string, string> parameters = new()
        {
            ["method"] = "taobao.item.add", ["app_key"] = "12345678", ["session"] = "sess-abc", ["timestamp"] = "2026-11-29 17:00:00",
            ["format"] = "json", ["v"] = "2.0", ["sign_method"] = method, ["title"] = "青花瓷茶杯", ["num"] = "5", ["empty"] = "", ["sign"] = "OLD",
        };

        Assert.Equal($"app_key12345678formatjsonmethodtaobao.item.addnum5sessionsess-abcsign_method{method}timestamp2026-11-29 17:00:00title青花瓷茶杯v2.0", TaobaoSignature.CanonicalText(parameters));
        Assert.Equal(expected, TaobaoSignature.Sign(parameters, "top-secret-5f2a", method));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("hmac")]
    [InlineData("hmac-sha256")]
    public async Task Test_ReadsTheSellersNick_SignedWithTheConfiguredMethod_AtChinaTime(string signMethod)
    {
        await using var scope = Scope(signMethod);
        var session = TaobaoDrafts.Session();

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(FakeTaobaoServer.Nick, check.AccountLabel);
        var call = Assert.Single(Fake.Calls);
        Assert.Equal("taobao.user.seller.get", call.Method);
        Assert.Equal("nick", call.Parameters["fields"]);
        Assert.Equal(signMethod, call.Parameters["sign_method"]);
        Assert.Equal("2026-11-29 17:00:00", call.Parameters["timestamp"]); // 09:00 UTC is 17:00 in GMT+8
        Assert.Equal(("json", "2.0"), (call.Parameters["format"], call.Parameters["v"]));
        Assert.False(session.Changed); // TOP sessions are not renewed by the adapter
    }

    [Fact]
    public async Task WrongSecret_FailsTheFakesSignatureCheck_AsMisconfigured()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(TaobaoDrafts.Session(secret: "not-the-secret"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("code 25", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal([25], Fake.Refused);
        Assert.Empty(Fake.Calls);
    }

    [Fact]
    public async Task ExpiredSession_IsMisconfigured()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(TaobaoDrafts.Session(session: "6100expired"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("authorise the app again", error.Message, StringComparison.Ordinal);
        Assert.Equal([27], Fake.Refused);
    }

    [Fact]
    public async Task ClockTwentyMinutesOff_IsRefusedAsATimestamp_Misconfigured()
    {
        // The fake's clock runs 20 minutes behind ours: TOP allows 10.
        var behind = new FakeTimeProvider(Clock.GetUtcNow() - TimeSpan.FromMinutes(20));
        await using var fake = await FakeTaobaoServer.StartAsync(behind);
        await using var skewed = Scope(fake: fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => skewed.Publisher.TestAsync(TaobaoDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("clock", error.Message, StringComparison.Ordinal);
        Assert.Equal([31], fake.Refused);
    }

    [Fact]
    public async Task Publish_UploadsPictures_AddsTheItem_AndAttachesTheSecondPicture()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        var item = Assert.Single(Fake.Items.Values);
        Assert.Equal(item.NumIid.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ExternalId);
        Assert.Equal($"https://item.taobao.com/item.htm?id={item.NumIid}", result.ExternalUrl);
        Assert.Equal(
            ["taobao.picture.upload", "taobao.picture.upload", "taobao.items.custom.get", "taobao.item.add", "taobao.item.img.upload"],
            Fake.Calls.Select(c => c.Method));

        var uploads = Fake.CallsTo("taobao.picture.upload").ToList();
        Assert.All(uploads, u => Assert.True(u.Multipart));
        Assert.Equal("img", uploads[0].FileField);
        Assert.Equal(TaobaoDrafts.Main, uploads[0].File);
        Assert.Equal(TaobaoDrafts.Scene, uploads[1].File);
        Assert.Equal("teacup-main.png", uploads[0].Parameters["image_input_title"]);

        Assert.Equal("TEACUP-150", Fake.CallsTo("taobao.items.custom.get").Single().Parameters["outer_id"]);
        var add = Fake.CallsTo("taobao.item.add").Single().Parameters;
        Assert.Equal("7", add["num"]);
        Assert.Equal("12.50", add["price"]);
        Assert.Equal(("fixed", "new", "onsale"), (add["type"], add["stuff_status"], add["approve_status"]));
        Assert.Equal("青花瓷茶杯 手绘 150ml", add["title"]);
        Assert.Equal("<p>景德镇手绘青花瓷茶杯。</p>", add["desc"]);
        Assert.Equal(("浙江", "杭州"), (add["location.state"], add["location.city"]));
        Assert.Equal(FakeTaobaoServer.LeafCategory, add["cid"]);
        Assert.Equal("TEACUP-150", add["outer_id"]);
        Assert.Equal("20000:3275069", add["props"]);
        Assert.Equal(("122216343", "手绘"), (add["input_pids"], add["input_str"]));
        Assert.False(add.ContainsKey("sku_properties"));

        Assert.StartsWith("https://img.alicdn.com/", add["pic_path"], StringComparison.Ordinal);
        var extra = Fake.CallsTo("taobao.item.img.upload").Single().Parameters;
        Assert.Equal(("1", "false"), (extra["position"], extra["is_major"]));
        Assert.NotEqual(add["pic_path"], extra["url"]);
        Assert.Equal(extra["url"], item.ExtraPictures[1]);
    }

    [Fact]
    public async Task PublishTwice_WithoutTheId_FindsTheItemByOuterId_AndUpdatesIt()
    {
        await using var scope = Scope();
        var first = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);

        var second = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(title: "青花瓷茶杯 手绘 新款"), Ct);

        Assert.Equal(first.ExternalId, second.ExternalId);
        var item = Assert.Single(Fake.Items.Values);
        Assert.Equal("青花瓷茶杯 手绘 新款", item.Fields["title"]);
        Assert.Single(Fake.CallsTo("taobao.item.add"));
        Assert.Equal(first.ExternalId, Fake.CallsTo("taobao.item.update").Single().Parameters["num_iid"]);
    }

    [Fact]
    public async Task AddWhoseAnswerWasLost_IsNotRepeated_AndTheRetriedPublishUpdatesTheSameItem()
    {
        Fake.LoseAnswer("taobao.item.add");
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Clock.Drive(scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct)));
        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(Fake.CallsTo("taobao.item.add")); // a create is never sent twice by the pipeline

        var retried = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);

        var item = Assert.Single(Fake.Items.Values);
        Assert.Equal(PublishOutcome.Live, retried.Outcome);
        Assert.Equal(item.NumIid.ToString(System.Globalization.CultureInfo.InvariantCulture), retried.ExternalId);
        Assert.Single(Fake.CallsTo("taobao.item.add"));
        Assert.Single(Fake.CallsTo("taobao.item.update"));
    }

    [Fact]
    public async Task UpdateByExternalId_SkipsTheLookup()
    {
        await using var scope = Scope();
        var first = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);
        var lookups = Fake.CallsTo("taobao.items.custom.get").Count();

        var second = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(externalId: first.ExternalId, price: 1999), Ct);

        Assert.Equal((PublishOutcome.Live, first.ExternalId), (second.Outcome, second.ExternalId));
        Assert.Equal(lookups, Fake.CallsTo("taobao.items.custom.get").Count());
        var update = Fake.CallsTo("taobao.item.update").Single().Parameters;
        Assert.Equal((first.ExternalId, "19.99"), (update["num_iid"], update["price"]));
        Assert.Equal("19.99", Assert.Single(Fake.Items.Values).Fields["price"]);
    }

    [Fact]
    public async Task Variants_TravelAsSkuArrays_WithTheLowestPriceOnTheItem()
    {
        await using var scope = Scope();
        ListingVariant[] variants =
        [
            new("TEACUP-150-BLUE", [new("颜色分类", "1627207:28320")], 1590, "CNY", 3, null),
            new("TEACUP-150-RED", [new("颜色分类", "1627207:-1001")], 1290, "CNY", 4, null),
        ];

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(variants: variants), Ct);

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        var add = Fake.CallsTo("taobao.item.add").Single().Parameters;
        Assert.Equal("1627207:28320,1627207:-1001", add["sku_properties"]);
        Assert.Equal("3,4", add["sku_quantities"]);
        Assert.Equal("15.90,12.90", add["sku_prices"]);
        Assert.Equal("TEACUP-150-BLUE,TEACUP-150-RED", add["sku_outer_ids"]);
        Assert.Equal(("7", "12.90"), (add["num"], add["price"]));
        Assert.Empty(Fake.CallsTo("taobao.itemprops.get")); // options already pid:vid need no mapping
        Assert.False(add.ContainsKey("property_alias"));
    }

    [Fact]
    public async Task PricesInAnotherCurrency_AreRejectedUnderPrice()
    {
        await using var scope = Scope();
        var draft = TaobaoDrafts.Draft() with { Variants = [new ListingVariant("TEACUP-150", [], 1250, "USD", 7, null)] };

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(ListingFields.Price, Assert.Single(result.Issues).Field);
        Assert.Empty(Fake.Calls);
    }

    [Theory]
    [InlineData("青花瓷茶杯 景德镇手绘 釉下彩 家用 办公 功夫茶具 品茗杯 主人杯", null, ListingFields.Title, "isv.invalid-parameter:title", "标题不能超过60个字节", "title")]
    [InlineData("青花瓷茶杯", "99999", ListingFields.Category, "isv.item-add-service-error:ERROR_CATEGORY_NOT_LEAF", "类目不存在或不是叶子类目", null)]
    public async Task ContentErrors_AreRejected_WithTheIssueUnderOurField(string title, string? category, string field, string code, string message, string? attribute)
    {
        await using var scope = Scope();
        var draft = TaobaoDrafts.Draft(title: title) with { CategoryId = category ?? FakeTaobaoServer.LeafCategory };

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((field, code, attribute), (issue.Field, issue.Code, issue.PlatformAttribute));
        Assert.Contains(message, issue.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Items);
    }

    [Fact]
    public async Task MissingPrice_IsTops40_UnderPrice()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(price: null), Ct);

        var issue = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Price, "40", "price"), (issue.Field, issue.Code, issue.PlatformAttribute));
        Assert.Equal("Missing required arguments:price", issue.Message);
    }

    [Theory]
    [InlineData("This ban will last for 3 more seconds", 3)]
    [InlineData(null, null)]
    public async Task AppCallLimited_IsRateLimited_WithTheBanLeftWhenTopSaysIt(string? subMsg, int? seconds)
    {
        Fake.Fail("taobao.user.seller.get", FakeTaobaoServer.Error(7, "App Call Limited", subMsg is null ? null : "accesscontrol.limited-by-app-access-count", subMsg));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(TaobaoDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), error.RetryAfter);
        Assert.Single(Fake.Calls);
    }

    [Fact]
    public async Task Http429WithAShortRetryAfter_IsWaitedOut_AndTheCallGoesAgain()
    {
        Fake.Fail("taobao.items.custom.get", Faults.RateLimitedSeconds(2));
        await using var scope = Scope();

        var result = await Clock.Drive(scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct));

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        Assert.Equal(2, Fake.CallsTo("taobao.items.custom.get").Count());
        Assert.Single(Fake.Items);
    }

    [Fact]
    public async Task Http429WithALongRetryAfter_GoesBackToTheJob()
    {
        Fake.Fail("taobao.user.seller.get", Faults.RateLimitedSeconds(120));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(TaobaoDrafts.Session(), Ct));

        Assert.Equal((ProviderFailure.RateLimited, TimeSpan.FromSeconds(120)), (error.Failure, error.RetryAfter));
        Assert.Single(Fake.Calls);
    }

    [Fact]
    public async Task ServerErrorOnARepeatableCall_IsRetried_ThenSucceeds()
    {
        await using var scope = Scope();
        var first = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);
        Fake.Fail("taobao.item.update", Faults.Status(502, "<html>Bad Gateway</html>"));

        var synced = await Clock.Drive(scope.Publisher.SyncOffersAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(externalId: first.ExternalId), Ct));

        Assert.Equal(PublishOutcome.Live, synced.Outcome);
        Assert.Equal(2, Fake.CallsTo("taobao.item.update").Count());
    }

    [Fact]
    public async Task RemoteServiceErrorWithAnIspSubCode_IsTransient()
    {
        Fake.Fail("taobao.user.seller.get", FakeTaobaoServer.Error(15, "Remote service error", "isp.remote-service-timeout", "服务超时"));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(TaobaoDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("isp.remote-service-timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrorOnAdd_IsTransient_AndNotRepeated()
    {
        Fake.Fail("taobao.item.add", Faults.Status(503, "<html>Service Unavailable</html>"));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Clock.Drive(scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(Fake.CallsTo("taobao.item.add"));
        Assert.Empty(Fake.Items);
    }

    [Fact]
    public async Task HangingAdd_TimesOut_AsTransient_WithoutASecondAdd()
    {
        Fake.Fail("taobao.item.add", async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var scope = Scope(attemptTimeout: "00:00:30");

        var error = await Assert.ThrowsAsync<ProviderException>(() => Clock.Drive(scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(Fake.CallsTo("taobao.item.add"));
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        Fake.Fail("taobao.user.seller.get", Faults.MalformedJson());
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(TaobaoDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task SyncOffers_SendsOnlyNumAndPrice_ToItemUpdate()
    {
        await using var scope = Scope();
        var first = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);
        var draft = TaobaoDrafts.Draft(externalId: first.ExternalId) with { Variants = [new ListingVariant("TEACUP-150", [], 1100, "CNY", 42, null)] };

        var synced = await scope.Publisher.SyncOffersAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal((PublishOutcome.Live, first.ExternalId), (synced.Outcome, synced.ExternalId));
        var update = Fake.CallsTo("taobao.item.update").Single().Parameters;
        Assert.Equal(["num", "num_iid", "price"], update.Keys.Where(k => k is not ("method" or "app_key" or "session" or "timestamp" or "format" or "v" or "sign_method" or "sign")).Order(StringComparer.Ordinal));
        Assert.Equal(("42", "11.00"), (update["num"], update["price"]));
        var item = Assert.Single(Fake.Items.Values);
        Assert.Equal(("42", "11.00", "青花瓷茶杯 手绘 150ml"), (item.Fields["num"], item.Fields["price"], item.Fields["title"]));
    }

    [Fact]
    public async Task Unpublish_DelistsTheItem_AndAGoneItemCountsAsDone()
    {
        await using var scope = Scope();
        var first = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);

        var removed = await scope.Publisher.UnpublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(externalId: first.ExternalId), Ct);

        Assert.Equal((PublishOutcome.Removed, first.ExternalId), (removed.Outcome, removed.ExternalId));
        Assert.Equal("instock", Assert.Single(Fake.Items.Values).ApproveStatus);
        Assert.Equal(first.ExternalId, Fake.CallsTo("taobao.item.update.delisting").Single().Parameters["num_iid"]);

        Fake.Items.Clear(); // deleted in the seller's back office
        var again = await scope.Publisher.UnpublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(externalId: first.ExternalId), Ct);

        Assert.Equal(PublishOutcome.Removed, again.Outcome);
        Assert.Equal(2, Fake.CallsTo("taobao.item.update.delisting").Count());
    }

    [Fact]
    public async Task Unpublish_OfAnItemTaobaoNeverHad_IsDone_WithoutADelisting()
    {
        await using var scope = Scope();

        var removed = await scope.Publisher.UnpublishAsync(TaobaoDrafts.Session(), TaobaoDrafts.Draft(), Ct);

        Assert.Equal((PublishOutcome.Removed, null), (removed.Outcome, removed.ExternalId));
        Assert.Equal(["taobao.items.custom.get"], Fake.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task Revoke_OffersNothing_AndCallsNothing()
    {
        await using var scope = Scope();

        Assert.False(await scope.Publisher.RevokeAsync(TaobaoDrafts.Session(), Ct));
        Assert.Empty(Fake.Calls);
    }

    [Fact]
    public async Task Registration_DeclaresTheCredentialFields()
    {
        await using var scope = Scope();

        Assert.Equal(["app_key", "app_secret", "session", "location_state", "location_city"], scope.Publisher.Fields.Select(f => f.Name));
        Assert.Equal([false, true, true, false, false], scope.Publisher.Fields.Select(f => f.Secret));
    }
}
