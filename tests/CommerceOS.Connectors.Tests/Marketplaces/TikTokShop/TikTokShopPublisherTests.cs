using System.Globalization;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Marketplaces.TikTokShop;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommerceOS.Connectors.Tests.Marketplaces.TikTokShop.TikTokShopTestSupport;

namespace CommerceOS.Connectors.Tests.Marketplaces.TikTokShop;

public sealed class TikTokShopPublisherTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeTikTokShopServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeTikTokShopServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TikTokShopScope Scope(Dictionary<string, string?>? settings = null) => new(_clock, settings ?? Settings(_fake));

    private static async Task<MarketplaceSession> ConnectedAsync(TikTokShopScope scope)
    {
        var session = Session();
        await scope.Publisher.TestAsync(session, Ct);
        return session;
    }

    private async Task<(MarketplaceSession Session, string ProductId)> PublishedAsync(TikTokShopScope scope)
    {
        var session = await ConnectedAsync(scope);
        var result = await scope.Publisher.PublishAsync(session, Draft(), Ct);
        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        return (session, Assert.Single(_fake.Products.Keys));
    }

    private static JsonObject Json(TikTokRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    [Theory]
    [InlineData("/product/202309/products", """{"title":"Mug"}""", "49e9d9cf03a8b5fea4e5b34defe7541ce30692fdf6e7953e35b40221c5afb842")]
    [InlineData("/authorization/202309/shops", null, "8559f3d8eccb96768c34177fd996ddc88487179f096f74c3598538da6e86ec01")]
    public void Signature_MatchesAHandComputedVector(string path, string? body, string expected)
    {
        // Computed by hand (Python hmac) from: s3cr3t + path + sorted "key value" pairs without sign, access_token and
        // empty values + body + s3cr3t. "B" sorts before "app_key" (ordinal).
        KeyValuePair<string, string>[] query = body is null
            ? [new("timestamp", "1700000000"), new("app_key", "29a39d")]
            : [new("timestamp", "1700000000"), new("sign", "ignored"), new("access_token", "tok"), new("app_key", "29a39d"), new("empty", ""), new("shop_cipher", "GCP_x"), new("B", "upper")];

        Assert.Equal(expected, TikTokShopSignature.Compute(path, query, body, "s3cr3t"));
    }

    [Fact]
    public async Task Registration_DeclaresTheFields_AndProductionHostsByDefault()
    {
        await using var scope = Scope([]);

        var options = scope.Get<IOptions<TikTokShopOptions>>().Value;
        Assert.Equal("https://open-api.tiktokglobalshop.com", options.ApiBaseUrl);
        Assert.Equal("https://auth.tiktok-shops.com", options.AuthBaseUrl);
        Assert.Equal(
            ["app_key:False:True", "app_secret:True:True", "auth_code:True:False", "refresh_token:True:False", "warehouse_id:False:True"],
            scope.Publisher.Fields.Select(field => $"{field.Name}:{field.Secret}:{field.Required}"));
        Assert.Equal(9, scope.Publisher.MaxImages);
    }

    [Fact]
    public async Task Test_ExchangesTheAuthCode_StoresTokensAndCipher_AndNamesTheShop()
    {
        await using var scope = Scope();
        var session = Session();

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(FakeTikTokShopServer.ShopName, check.AccountLabel);
        var token = Assert.Single(_fake.Calls("token"));
        Assert.Equal("authorized_code", token.Query["grant_type"]);
        Assert.Equal(FakeTikTokShopServer.AuthCode, token.Query["auth_code"]);
        Assert.True(session.Changed);
        Assert.StartsWith("TTP_", session["access_token"], StringComparison.Ordinal);
        Assert.Equal((_clock.GetUtcNow() + TimeSpan.FromDays(7)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), session["access_token_expires_at"]);
        Assert.StartsWith("ROW_", session["refresh_token"], StringComparison.Ordinal);
        Assert.Equal(FakeTikTokShopServer.ShopCipher, session["shop_cipher"]);
        Assert.Null(session["auth_code"]); // single-use: spent
        var shops = Assert.Single(_fake.Calls("shops"));
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), shops.Query["timestamp"]);
        Assert.False(shops.Query.ContainsKey("shop_cipher"));
        Assert.False(shops.Query.ContainsKey("access_token"));
    }

    [Fact]
    public async Task Test_WithOnlyARefreshToken_Refreshes_AndKeepsTheRotatedToken()
    {
        await using var scope = Scope();
        var session = Session(authCode: null, refreshToken: FakeTikTokShopServer.InitialRefreshToken);

        await scope.Publisher.TestAsync(session, Ct);
        var rotated = session["refresh_token"];
        await scope.Publisher.TestAsync(session, Ct); // only works with the rotated token: the first one is spent

        var refreshes = _fake.Calls("refresh").ToList();
        Assert.Equal(2, refreshes.Count);
        Assert.Equal(FakeTikTokShopServer.InitialRefreshToken, refreshes[0].Query["refresh_token"]);
        Assert.Equal(rotated, refreshes[1].Query["refresh_token"]);
        Assert.Equal("refresh_token", refreshes[0].Query["grant_type"]);
        Assert.Empty(_fake.Calls("token"));
    }

    [Fact]
    public async Task Test_RefusedAuthCode_IsMisconfigured()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(Session(authCode: "ROW_wrong"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("36004005", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls("shops"));
    }

    [Fact]
    public async Task Test_WithNeitherAuthCodeNorRefreshToken_IsMisconfigured_WithoutACall()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(Session(authCode: null), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("auth_code", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);
        Assert.Empty(_fake.Refusals);
    }

    [Fact]
    public async Task WrongAppSecret_SignatureRefusedByTheFake_IsMisconfigured()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        var reads = _fake.Calls("get").Count();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.FollowAsync(session.With("app_secret", "not-the-secret"), Draft(productId), productId, Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("106001", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(("get", 106001L), Assert.Single(_fake.Refusals));
        Assert.Equal(reads, _fake.Calls("get").Count());
    }

    [Fact]
    public async Task TimestampMoreThanFiveMinutesOff_IsRefused_AsMisconfigured()
    {
        _fake.ClockSkew = TimeSpan.FromMinutes(6);
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(Session(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("clock", error.Message, StringComparison.Ordinal);
        Assert.Equal(("shops", 106002L), Assert.Single(_fake.Refusals));
    }

    [Fact]
    public async Task AccessToken_IsReused_UntilAMinuteBeforeItExpires_ThenRefreshed()
    {
        _fake.AccessTokenLifetime = TimeSpan.FromHours(2);
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        var first = session["access_token"];

        _clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(61));
        await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);
        Assert.Equal(first, session["access_token"]);
        Assert.Empty(_fake.Calls("refresh"));

        _clock.Advance(TimeSpan.FromSeconds(2)); // 59 s left: inside the renewal minute
        await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);

        Assert.Single(_fake.Calls("refresh"));
        Assert.NotEqual(first, session["access_token"]);
        Assert.Empty(_fake.Refusals);
    }

    [Fact]
    public async Task TokenRefusedByTheServer_IsRefreshedOnce_AndTheCallRepeated()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        _fake.RevokeAccessTokens();

        var result = await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(("get", 105001L), Assert.Single(_fake.Refusals));
        Assert.Single(_fake.Calls("refresh"));
        Assert.Single(_fake.Calls("get"));
    }

    [Fact]
    public async Task TokenRefused_AndTheRefreshTokenToo_IsMisconfigured()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        _fake.RevokeAccessTokens();
        session.Renew("refresh_token", "ROW_revoked");

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("36004006", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls("get"));
    }

    [Fact]
    public async Task Publish_UploadsTheImages_CreatesTheDocumentedProduct_AndIsPendingAudit()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);

        var result = await scope.Publisher.PublishAsync(session, Draft(), Ct);

        var product = Assert.Single(_fake.Products.Values);
        Assert.Equal((PublishOutcome.Pending, product.Id, product.Id), (result.Outcome, result.ExternalId, result.Receipt));
        Assert.Equal(TimeSpan.FromMinutes(5), result.PollAfter);
        Assert.Empty(result.Issues);

        var uploads = _fake.Calls("upload").ToList();
        Assert.Equal(2, uploads.Count);
        Assert.All(uploads, upload => Assert.StartsWith("multipart/form-data", upload.ContentType, StringComparison.Ordinal));
        Assert.Equal(MainImage, _fake.Images.Values.Single(image => image.FileName == "mug-main.png").Bytes);
        Assert.Equal(SceneImage, _fake.Images.Values.Single(image => image.FileName == "mug-scene.png").Bytes);
        Assert.All(_fake.Images.Values, image => Assert.Equal("MAIN_IMAGE", image.UseCase));

        var search = Json(Assert.Single(_fake.Calls("search")));
        Assert.Equal("""["MUG-RED","MUG-BLUE","MUG"]""", search["seller_skus"]!.ToJsonString());
        Assert.Equal("20", Assert.Single(_fake.Calls("search")).Query["page_size"]);

        var create = Assert.Single(_fake.Calls("create"));
        Assert.Equal(FakeTikTokShopServer.ShopCipher, create.Query["shop_cipher"]);
        var body = Json(create);
        Assert.Equal("LISTING", body["save_mode"]!.GetValue<string>());
        Assert.Equal("Stoneware Mug 350 ml", body["title"]!.GetValue<string>());
        Assert.Equal("<p>Hand-glazed stoneware.</p><ul><li>350 ml</li></ul>", body["description"]!.GetValue<string>());
        Assert.Equal(FakeTikTokShopServer.LeafCategory, body["category_id"]!.GetValue<string>());
        var mainUri = _fake.Images.Single(image => image.Value.FileName == "mug-main.png").Key;
        var sceneUri = _fake.Images.Single(image => image.Value.FileName == "mug-scene.png").Key;
        Assert.Equal(new JsonArray(new JsonObject { ["uri"] = mainUri }, new JsonObject { ["uri"] = sceneUri }).ToJsonString(), body["main_images"]!.ToJsonString());
        Assert.Equal(
            $$$"""{"seller_sku":"MUG-RED","price":{"amount":"12.50","currency":"USD"},"inventory":[{"warehouse_id":"{{{FakeTikTokShopServer.WarehouseId}}}","quantity":7}],"sales_attributes":[{"name":"Colour","value_name":"Red"}],"identifier_code":{"code":"0012345678905","type":"EAN"}}""",
            body["skus"]![0]!.ToJsonString());
        Assert.Equal("13.00", body["skus"]![1]!["price"]!["amount"]!.GetValue<string>());
        Assert.Null(body["skus"]![1]!["identifier_code"]);
        Assert.Equal("""{"value":"0.35","unit":"KILOGRAM"}""", body["package_weight"]!.ToJsonString());
        Assert.Equal("""[{"id":"100198","values":[{"name":"Ceramic"}]}]""", body["product_attributes"]!.ToJsonString());
        Assert.Equal("cos-4f1c2a9e", body["external_product_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_RetriedAfterTheCreateAnswerWasLost_UpdatesTheSameProduct_InsteadOfCreatingASecond()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.AfterCreate = Faults.Status(502, "<html>Bad Gateway</html>");

        var lost = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(session, Draft(), Ct));
        var retried = await scope.Publisher.PublishAsync(session, Draft(), Ct);

        Assert.Equal(ProviderFailure.Transient, lost.Failure);
        var product = Assert.Single(_fake.Products.Values);
        Assert.Single(_fake.Calls("create")); // the create POST itself is never repeated
        var update = Assert.Single(_fake.Calls("update"));
        Assert.Equal($"/product/202309/products/{product.Id}", update.Path);
        Assert.Equal((PublishOutcome.Pending, product.Id), (retried.Outcome, retried.ExternalId));
        Assert.Equal(1, product.Updates);
    }

    [Fact]
    public async Task Publish_WithAnExternalId_UpdatesThatProduct_WithoutSearchingOrCreating()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);

        var result = await scope.Publisher.PublishAsync(session, Draft(productId, title: "Stoneware Mug 350 ml, Red or Blue"), Ct);

        Assert.Equal((PublishOutcome.Pending, productId, productId), (result.Outcome, result.ExternalId, result.Receipt));
        Assert.Single(_fake.Calls("search")); // the first publish's
        Assert.Single(_fake.Calls("create"));
        Assert.Equal("Stoneware Mug 350 ml, Red or Blue", Json(Assert.Single(_fake.Calls("update")))["title"]!.GetValue<string>());
        Assert.Equal("Stoneware Mug 350 ml, Red or Blue", Assert.Single(_fake.Products.Values).Body["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_WithTheExternalIdOfAProductDeletedOnTikTok_CreatesItAgain()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        _fake.Delete(productId);

        var result = await scope.Publisher.PublishAsync(session, Draft(productId), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.NotEqual(productId, result.ExternalId);
        Assert.Equal("PENDING", _fake.Products[result.ExternalId!].Status);
        Assert.Single(_fake.Calls("update")); // refused: the product does not exist
        Assert.Equal(2, _fake.Calls("create").Count());
    }

    [Theory]
    [InlineData("attribute", "attributes", "12052230", "product_attributes: attribute 100198 value is invalid: not a material")]
    [InlineData("category", "category", "12052006", "category_id 999 is not a leaf category.")]
    [InlineData("title", "title", "12052002", "The title length must be between 1 and 255 characters.")]
    [InlineData("price", "price", "12052110", "The price amount must be between 0.01 and 7600 USD.")]
    public async Task Publish_RefusedByTikTok_IsRejected_WithTheIssueOnOurField(string broken, string field, string code, string message)
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        if (broken == "attribute")
        {
            _fake.RefusedAttributes["100198"] = "not a material";
        }

        var draft = broken switch
        {
            "category" => Draft(categoryId: "999"),
            "title" => Draft(title: new string('m', 256)),
            "price" => Draft(redPriceMinor: 900_000),
            _ => Draft(),
        };

        var result = await scope.Publisher.PublishAsync(session, draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((field, code, message, PlatformIssueSeverity.Error), (issue.Field, issue.Code, issue.Message, issue.Severity));
        Assert.Empty(_fake.Products);
    }

    [Fact]
    public async Task Publish_WithoutCategoryOrPrice_IsRejectedBeforeAnyCall()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(Session(), Draft(categoryId: null, redPriceMinor: null), Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Equal(["category", "price"], result.Issues.Select(issue => issue.Field));
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task RateLimited_WithAShortRetryAfter_WaitsAndSendsTheCreateAgain()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("create", FakeTikTokShopServer.Error(429, 36009003, "Too many requests", ("Retry-After", "3")));

        var result = await _clock.Drive(scope.Publisher.PublishAsync(session, Draft(), Ct));

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(2, _fake.Calls("create").Count());
        Assert.Single(_fake.Products);
    }

    [Fact]
    public async Task RateLimited_WithoutRetryAfter_BacksOffAndSendsAgain()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("search", Faults.Status(429, """{"code":36009003,"message":"Too many requests","request_id":"r"}"""));

        var result = await _clock.Drive(scope.Publisher.PublishAsync(session, Draft(), Ct));

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(2, _fake.Calls("search").Count());
    }

    [Fact]
    public async Task RateLimited_WithALongRetryAfter_IsRateLimited_WithTheWait_AndNotSlept()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("create", FakeTikTokShopServer.Error(429, 36009003, "Too many requests", ("Retry-After", "120")));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(session, Draft(), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(_fake.Calls("create"));
        Assert.Empty(_fake.Products);
    }

    [Fact]
    public async Task RateLimitCode_InA200Envelope_IsRateLimited()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("create", FakeTikTokShopServer.Error(200, 36009003, "Too many requests"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(session, Draft(), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Single(_fake.Calls("create"));
    }

    [Fact]
    public async Task ServerErrors_OnARepeatableRead_AreRetried_ThenSucceed()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        _fake.Fail("get", Faults.Status(503), FakeTikTokShopServer.Error(500, 1, "internal error"));

        var result = await _clock.Drive(scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct));

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(3, _fake.Calls("get").Count());
    }

    [Fact]
    public async Task ServerError_OnCreate_IsTransient_AndNotRepeated()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("create", Faults.Status(500));

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(session, Draft(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Calls("create"));
    }

    [Fact]
    public async Task HangingCreate_TimesOut_AsTransient_WithoutASecondCreate()
    {
        var settings = Settings(_fake);
        settings["Publishing:TikTokShop:AttemptTimeout"] = "00:00:30";
        await using var scope = Scope(settings);
        var session = await ConnectedAsync(scope);
        _fake.Fail("create", async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(session, Draft(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Calls("create"));
        Assert.Empty(_fake.Products);
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        await using var scope = Scope();
        var session = await ConnectedAsync(scope);
        _fake.Fail("search", Faults.MalformedJson());

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(session, Draft(), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls("create"));
    }

    [Fact]
    public async Task Follow_IsPending_WhileInAudit_ThenLive()
    {
        _fake.AuditPolls = 2;
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);

        var first = await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);
        var second = await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);
        var third = await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);

        Assert.Equal([PublishOutcome.Pending, PublishOutcome.Pending, PublishOutcome.Live], [first.Outcome, second.Outcome, third.Outcome]);
        Assert.Equal(productId, first.Receipt);
        Assert.Equal((productId, null), (third.ExternalId, third.Receipt));
        Assert.Equal(3, _fake.Calls("get").Count());
    }

    [Fact]
    public async Task Follow_FailedAudit_IsRejected_WithTheReasonsOnOurFields()
    {
        _fake.AuditPolls = 0;
        _fake.AuditFailedReasons =
        [
            new JsonObject { ["position"] = "Product Name", ["reasons"] = new JsonArray("Insufficient or Incomplete Product Information"), ["suggestions"] = new JsonArray("Describe the product completely.") },
            new JsonObject { ["position"] = "Main Image", ["reasons"] = new JsonArray("Image contains a watermark") },
        ];
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);

        var result = await scope.Publisher.FollowAsync(session, Draft(productId), productId, Ct);

        Assert.Equal((PublishOutcome.Rejected, productId), (result.Outcome, result.ExternalId));
        Assert.Equal(
            [("title", "Insufficient or Incomplete Product Information Describe the product completely.", "Product Name"), ("images", "Image contains a watermark", "Main Image")],
            result.Issues.Select(issue => (issue.Field, issue.Message, issue.PlatformAttribute)));
    }

    [Fact]
    public async Task SyncOffers_SendsPricesAndStock_ByTikToksSkuIds()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        var product = _fake.Products[productId];
        var red = product.Skus.Single(sku => sku.SellerSku == "MUG-RED");
        var blue = product.Skus.Single(sku => sku.SellerSku == "MUG-BLUE");
        var draft = Draft(productId, redPriceMinor: 1400) with
        {
            Variants = [.. Draft(productId, redPriceMinor: 1400).Variants.Select(variant => variant with { Stock = variant.Sku == "MUG-RED" ? 40 : 0 })],
        };

        var result = await scope.Publisher.SyncOffersAsync(session, draft, Ct);

        Assert.Equal((PublishOutcome.Live, productId), (result.Outcome, result.ExternalId));
        Assert.Empty(result.Issues);
        var prices = Assert.Single(_fake.Calls("prices"));
        Assert.Equal($"/product/202309/products/{productId}/prices/update", prices.Path);
        Assert.Equal(
            $$$"""{"skus":[{"id":"{{{red.Id}}}","price":{"amount":"14.00","currency":"USD"}},{"id":"{{{blue.Id}}}","price":{"amount":"13.00","currency":"USD"}}]}""",
            prices.Body);
        Assert.Equal(
            $$"""{"skus":[{"id":"{{red.Id}}","inventory":[{"warehouse_id":"{{FakeTikTokShopServer.WarehouseId}}","quantity":40}]},{"id":"{{blue.Id}}","inventory":[{"warehouse_id":"{{FakeTikTokShopServer.WarehouseId}}","quantity":0}]}]}""",
            Assert.Single(_fake.Calls("inventory")).Body);
        Assert.Equal(("14.00", 40, 0), (red.Amount, red.Quantity, blue.Quantity));
        Assert.Empty(_fake.Calls("update"));
    }

    [Fact]
    public async Task Unpublish_DeactivatesTheProduct()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);

        var result = await scope.Publisher.UnpublishAsync(session, Draft(productId), Ct);

        Assert.Equal((PublishOutcome.Removed, productId), (result.Outcome, result.ExternalId));
        Assert.Equal($$"""{"product_ids":["{{productId}}"]}""", Assert.Single(_fake.Calls("deactivate")).Body);
        Assert.Equal("SELLER_DEACTIVATED", _fake.Products[productId].Status);
    }

    [Fact]
    public async Task Unpublish_OfAProductAlreadyDeleted_IsRemoved()
    {
        await using var scope = Scope();
        var (session, productId) = await PublishedAsync(scope);
        _fake.Delete(productId);

        var byId = await scope.Publisher.UnpublishAsync(session, Draft(productId), Ct);
        var bySku = await scope.Publisher.UnpublishAsync(session, Draft(), Ct);

        Assert.Equal(PublishOutcome.Removed, byId.Outcome);
        Assert.Equal(PublishOutcome.Removed, bySku.Outcome);
        Assert.Null(bySku.ExternalId); // the search skipped the deleted product: nothing left to deactivate
        Assert.Single(_fake.Calls("deactivate"));
    }

    [Fact]
    public async Task Revoke_IsNotOffered_AndCallsNothing()
    {
        await using var scope = Scope();

        Assert.False(await scope.Publisher.RevokeAsync(Session(), Ct));
        Assert.Empty(_fake.Requests);
    }
}
