using System.Globalization;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Marketplaces.Shopify;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopify;

public sealed class ShopifyPublisherTests : IAsyncLifetime
{
    private const string ProductSet = "CommerceOSProductSet";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeShopifyServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeShopifyServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ShopifyScope Scope(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = ShopifyScope.Settings(_fake);
        configure?.Invoke(settings);
        return new ShopifyScope(_clock, settings);
    }

    /// <summary>
    /// Steps the clock only once the first call has reached the shop, so the emptied cost bucket cannot refill while
    /// the request is still on its way.
    /// </summary>
    private async Task<T> DriveFromFirstCall<T>(Task<T> work, TimeSpan? step = null)
    {
        while (_fake.Calls.IsEmpty && !work.IsCompleted)
        {
            await Task.Delay(2, Ct);
        }

        return await _clock.Drive(work, step);
    }

    private JsonObject LastInput(string operation = ProductSet) => _fake.CallsOf(operation).Last().Variables;

    [Fact]
    public async Task Test_WithAStaticToken_AsksTheShopItsName_AndNormalisesTheShopDomain()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session(shop: " CommerceOS-Test ");

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(FakeShopifyServer.ShopTitle, check.AccountLabel);
        var call = Assert.Single(_fake.Calls);
        Assert.Equal("CommerceOSShop", call.Operation);
        Assert.Equal(FakeShopifyServer.StaticToken, call.Token);
        Assert.Equal(FakeShopifyServer.Shop, session["shop"]);
        Assert.Equal("USD", session["shop_currency"]);
        Assert.Empty(_fake.TokenRequests);
    }

    [Fact]
    public async Task Test_RefusedToken_IsMisconfigured_WithoutQuotingTheToken()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(token: "shpat_wrong_9999"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_wrong_9999", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _fake.Refused401);
    }

    [Theory]
    [InlineData("commerceos-test", null, null)]
    [InlineData("evil.example.com/x", FakeShopifyServer.StaticToken, null)]
    [InlineData("https://other.com", FakeShopifyServer.StaticToken, null)]
    public async Task Test_WithoutCredentialsOrWithAForeignShop_IsMisconfigured_BeforeAnyRequest(string shop, string? token, string? secret)
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(shop, token, secret), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Empty(_fake.Calls);
        Assert.Empty(_fake.TokenRequests);
    }

    [Fact]
    public async Task ClientCredentials_AreExchangedOnce_KeptInTheSession_AndRenewedAMinuteBeforeExpiry()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session(token: null, clientSecret: FakeShopifyServer.ClientSecret);

        await scope.Publisher.TestAsync(session, Ct);
        await scope.Publisher.TestAsync(session, Ct);

        var form = Assert.Single(_fake.TokenRequests);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(FakeShopifyServer.ClientId, form["client_id"]);
        Assert.Equal(FakeShopifyServer.ClientSecret, form["client_secret"]);
        var first = session["grant_access_token"];
        Assert.True(session.Changed);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(FakeShopifyServer.GrantSeconds), DateTimeOffset.Parse(session["grant_expires_at"]!, CultureInfo.InvariantCulture));
        Assert.All(_fake.Calls, call => Assert.Equal(first, call.Token));

        _clock.Advance(TimeSpan.FromSeconds(FakeShopifyServer.GrantSeconds - 59)); // 59 s left: inside the renewal minute
        await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(2, _fake.TokenRequests.Count);
        Assert.NotEqual(first, session["grant_access_token"]);
        Assert.Equal(session["grant_access_token"], _fake.Calls.Last().Token);
    }

    [Fact]
    public async Task GrantedToken_RefusedWith401_IsRenewedOnce_AndTheCallRepeated()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session(token: null, clientSecret: FakeShopifyServer.ClientSecret, extra: new()
        {
            ["grant_access_token"] = "shpat_revoked_by_the_seller",
            ["grant_expires_at"] = _clock.GetUtcNow().AddHours(20).ToString("O", CultureInfo.InvariantCulture),
        });

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal(FakeShopifyServer.ShopTitle, check.AccountLabel);
        Assert.Equal(1, _fake.Refused401);
        Assert.Single(_fake.TokenRequests);
        Assert.NotEqual("shpat_revoked_by_the_seller", session["grant_access_token"]);
        Assert.Equal(session["grant_access_token"], Assert.Single(_fake.Calls).Token);
    }

    [Fact]
    public async Task WrongClientSecret_IsRefusedByTheShop_AsMisconfigured()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(
            () => scope.Publisher.TestAsync(ShopifyDrafts.Session(token: null, clientSecret: "shpss_not_the_secret"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("shpss_not_the_secret", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.TokenRequests);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task Publish_CreatesOneProduct_WithOneDocumentedProductSet_KeyedByTheListingKey()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();

        var result = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        var product = Assert.Single(_fake.Products);
        Assert.Equal(product.Id, result.ExternalId);
        Assert.Equal($"https://admin.shopify.com/store/commerceos-test/products/{product.Id["gid://shopify/Product/".Length..]}", result.ExternalUrl);
        Assert.Equal(["CommerceOSContext", "CommerceOSListingKey", ProductSet], _fake.Calls.Select(call => call.Operation));

        var variables = LastInput();
        Assert.True(variables["synchronous"]!.GetValue<bool>());
        Assert.Equal("""{"customId":{"namespace":"commerceos","key":"listing_key","value":"lk-0192f3b4-mug"}}""", variables["identifier"]!.ToJsonString());
        var input = variables["input"]!;
        Assert.Equal("Stoneware mug", input["title"]!.GetValue<string>());
        Assert.Equal("<p>Hand-glazed.</p><ul><li>350 ml</li></ul>", input["descriptionHtml"]!.GetValue<string>());
        Assert.Equal("stoneware-mug", input["handle"]!.GetValue<string>());
        Assert.Equal("Kiln & Co", input["vendor"]!.GetValue<string>());
        Assert.Equal("Mugs", input["productType"]!.GetValue<string>());
        Assert.Equal("ACTIVE", input["status"]!.GetValue<string>());
        Assert.Equal("""["mug","kitchen"]""", input["tags"]!.ToJsonString());
        Assert.Equal("""{"title":"Stoneware mug 350 ml","description":"A hand-glazed stoneware mug."}""", input["seo"]!.ToJsonString());
        Assert.Equal("gid://shopify/TaxonomyCategory/hg-11-10-2", input["category"]!.GetValue<string>());
        Assert.Equal("""[{"namespace":"commerceos","key":"listing_key","type":"id","value":"lk-0192f3b4-mug"}]""", input["metafields"]!.ToJsonString());
        Assert.Equal("""[{"name":"Color","position":1,"values":[{"name":"Blue"},{"name":"Red"}]}]""", input["productOptions"]!.ToJsonString());
        Assert.Equal(
            """{"optionValues":[{"optionName":"Color","name":"Blue"}],"sku":"MUG-01-BLU","inventoryItem":{"tracked":true,"measurement":{"weight":{"value":420,"unit":"GRAMS"}}},"price":"19.90","barcode":"0123456789012","inventoryQuantities":[{"locationId":"gid://shopify/Location/7001","name":"available","quantity":12}]}""",
            input["variants"]![0]!.ToJsonString());
        Assert.Equal("21.90", input["variants"]![1]!["price"]!.GetValue<string>());
        Assert.Null(input["variants"]![1]!["barcode"]);
        Assert.Equal("""[{"originalSource":"https://cdn.example.com/mug-main.png","alt":"Stoneware mug","contentType":"IMAGE","filename":"mug-main.png"}]""", input["files"]!.ToJsonString());
        Assert.Equal(FakeShopifyServer.LocationId, session["location_id"]);
    }

    [Fact]
    public async Task DuplicatedPublish_UpdatesTheSameProduct_AndAsksTheShopOnlyOnce()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var first = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);

        var second = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(title: "Stoneware mug, blue glaze"), Ct);

        var product = Assert.Single(_fake.Products);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal("Stoneware mug, blue glaze", product.Title);
        Assert.Equal(2, product.Writes);
        Assert.Single(_fake.CallsOf("CommerceOSContext"));
        Assert.Single(_fake.CallsOf("CommerceOSListingKey"));
    }

    [Fact]
    public async Task AnswerLostAfterTheWrite_TheRepeatedUpsertUpdates_InsteadOfCreatingASecondProduct()
    {
        _fake.FaultsAfterWrite.Enqueue(Faults.Status(503, "<html>Service Unavailable</html>"));
        await using var scope = Scope();

        var result = await _clock.Drive(scope.Publisher.PublishAsync(ShopifyDrafts.Session(), ShopifyDrafts.Listing(), Ct));

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        var calls = _fake.CallsOf(ProductSet).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Body, calls[1].Body);
        var product = Assert.Single(_fake.Products);
        Assert.Equal(2, product.Writes);
        Assert.Equal(product.Id, result.ExternalId);
    }

    [Fact]
    public async Task ServerErrorBeforeTheWrite_ThenSuccess_IsRetriedWithinThePublish()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);
        _fake.GraphQlFaults.Enqueue(Faults.Status(502, "<html>Bad Gateway</html>"));

        var result = await _clock.Drive(scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(title: "Mug v2"), Ct));

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        Assert.Equal(3, _fake.CallsOf(ProductSet).Count());
        Assert.Equal("Mug v2", Assert.Single(_fake.Products).Title);
    }

    [Fact]
    public async Task Publish_WithExternalId_UpdatesThatProductById()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var first = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);

        var second = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(title: "Mug, updated", externalId: first.ExternalId), Ct);

        Assert.Equal(PublishOutcome.Live, second.Outcome);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal($$"""{"id":"{{first.ExternalId}}"}""", LastInput()["identifier"]!.ToJsonString());
        Assert.Null(LastInput()["input"]!["metafields"]); // a replaced list: the seller's other metafields stay
        var product = Assert.Single(_fake.Products);
        Assert.Equal(("Mug, updated", "lk-0192f3b4-mug"), (product.Title, product.ListingKey));
    }

    [Fact]
    public async Task Publish_WithTheIdOfAProductDeletedOnShopify_MakesItAgainByListingKey_Once()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var first = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);
        _fake.Delete(first.ExternalId!);

        var again = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(externalId: first.ExternalId), Ct);

        Assert.Equal(PublishOutcome.Live, again.Outcome);
        var product = Assert.Single(_fake.Products);
        Assert.Equal(product.Id, again.ExternalId);
        Assert.NotEqual(first.ExternalId, again.ExternalId);
        Assert.Equal(3, _fake.CallsOf(ProductSet).Count());
        Assert.NotNull(LastInput()["identifier"]!["customId"]);
        Assert.Equal("lk-0192f3b4-mug", product.ListingKey);
    }

    [Fact]
    public async Task InvalidVariants_AreRejected_WithShopifysMessagesMappedToOurFields()
    {
        await using var scope = Scope();
        var listing = ShopifyDrafts.Listing(
            variants: [new("MUG-01-BLU", [new("Color", "Blue"), new("Size", "S"), new("Glaze", "Matte"), new("Handle", "Left")], -100, "USD", 3, null)],
            optionNames: ["Color", "Size", "Glaze", "Handle"]);

        var result = await scope.Publisher.PublishAsync(ShopifyDrafts.Session(), listing, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Empty(_fake.Products);
        Assert.Collection(
            result.Issues,
            options =>
            {
                Assert.Equal((ListingFields.Variants, "OPTIONS_OVER_LIMIT", "productOptions"), (options.Field, options.Code, options.PlatformAttribute));
                Assert.Equal("Options count is over the allowed limit.", options.Message);
            },
            price =>
            {
                Assert.Equal((ListingFields.Price, "INVALID_VARIANT", "variants.0.price"), (price.Field, price.Code, price.PlatformAttribute));
                Assert.Equal("Price must be greater than or equal to 0", price.Message);
            });
    }

    [Theory]
    [InlineData("input.title", ListingFields.Title)]
    [InlineData("input.descriptionHtml", ListingFields.Description)]
    [InlineData("input.seo.title", ListingFields.Seo)]
    [InlineData("input.handle", ListingFields.Seo)]
    [InlineData("input.vendor", ListingFields.Brand)]
    [InlineData("input.category", ListingFields.Category)]
    [InlineData("input.tags", ListingFields.Keywords)]
    [InlineData("input.files.0.originalSource", ListingFields.Images)]
    [InlineData("input.metafields.0.value", ListingFields.Attributes)]
    [InlineData("input.variants.1.sku", ListingFields.Sku)]
    [InlineData("input.variants.0.inventoryQuantities.0.quantity", ListingFields.Stock)]
    [InlineData("input.variants.0.inventoryItem.measurement.weight.value", ListingFields.Weight)]
    [InlineData("input.variants.0.optionValues", ListingFields.Variants)]
    [InlineData("input.giftCard", ListingFields.Listing)]
    public async Task UserErrorPaths_MapToOurListingFields(string path, string expected)
    {
        _fake.InjectedUserErrors.Enqueue(FakeShopifyServer.InjectedError(path, "is invalid"));
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(ShopifyDrafts.Session(), ShopifyDrafts.Listing(), Ct);

        var issue = Assert.Single(result.Issues);
        Assert.Equal(expected, issue.Field);
        Assert.Equal(path["input.".Length..], issue.PlatformAttribute);
        Assert.Equal(("is invalid", "INVALID"), (issue.Message, issue.Code));
        Assert.Empty(_fake.Products);
    }

    [Fact]
    public async Task VariantPricedInAnotherCurrencyThanTheShop_IsRejected_BeforeAnyWrite()
    {
        _fake.Currency = "EUR";
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(ShopifyDrafts.Session(), ShopifyDrafts.Listing(), Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Equal([ListingFields.Price, ListingFields.Price], result.Issues.Select(issue => issue.Field));
        Assert.Empty(_fake.CallsOf(ProductSet));
    }

    [Fact]
    public async Task ImagesWithoutAPublicUrl_AreStaged_PostedAsMultipart_ThenAttachedByResourceUrl()
    {
        await using var scope = Scope();
        var listing = ShopifyDrafts.Listing(images: [ShopifyDrafts.Image("mug-main.png"), ShopifyDrafts.Image("mug-scene.png", "https://cdn.example.com/scene.png")]);

        var result = await scope.Publisher.PublishAsync(ShopifyDrafts.Session(), listing, Ct);

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        Assert.Equal(
            $$"""[{"filename":"mug-main.png","mimeType":"image/png","resource":"IMAGE","httpMethod":"POST","fileSize":"{{ShopifyDrafts.Png.Length}}"}]""",
            LastInput("CommerceOSStage")["input"]!.ToJsonString());
        var upload = Assert.Single(_fake.Uploads);
        Assert.Equal(["Content-Type", "success_action_status", "acl", "key", "x-goog-date", "x-goog-credential", "x-goog-algorithm", "policy", "x-goog-signature"], upload.FieldOrder);
        Assert.Equal(("mug-main.png", "image/png"), (upload.FileName, upload.FileContentType));
        Assert.Equal(ShopifyDrafts.Png, upload.Bytes);
        Assert.False(upload.CarriedShopifyToken);
        var files = LastInput()["input"]!["files"]!.AsArray();
        Assert.Equal($"{_fake.BaseUrl}/staged/{upload.TargetId}/resource", files[0]!["originalSource"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.com/scene.png", files[1]!["originalSource"]!.GetValue<string>());
        Assert.Equal(ShopifyDrafts.Png, Assert.Single(_fake.Products).Media[0].Bytes);
    }

    [Fact]
    public async Task MediaStillProcessing_IsPending_WithTheProductAsReceipt_ThenLiveWhenReady()
    {
        _fake.MediaPendingPolls = 2;
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var listing = ShopifyDrafts.Listing();

        var pending = await scope.Publisher.PublishAsync(session, listing, Ct);
        var product = Assert.Single(_fake.Products);
        Assert.Equal((PublishOutcome.Pending, product.Id, product.Id, TimeSpan.FromSeconds(10)), (pending.Outcome, pending.Receipt, pending.ExternalId, pending.PollAfter));

        var second = await scope.Publisher.FollowAsync(session, listing, pending.Receipt!, Ct);
        var third = await scope.Publisher.FollowAsync(session, listing, pending.Receipt!, Ct);
        var done = await scope.Publisher.FollowAsync(session, listing, pending.Receipt!, Ct);

        Assert.Equal([PublishOutcome.Pending, PublishOutcome.Pending, PublishOutcome.Live], [second.Outcome, third.Outcome, done.Outcome]);
        Assert.Equal(3, _fake.CallsOf("CommerceOSMedia").Count());
        Assert.Equal($$"""{"id":"{{product.Id}}"}""", LastInput("CommerceOSMedia").ToJsonString());
        Assert.Equal(product.Id, done.ExternalId);
        Assert.Single(_fake.Products);
    }

    [Fact]
    public async Task MediaThatFails_IsRejected_OnImages_WithShopifysReason()
    {
        _fake.MediaPendingPolls = 1;
        _fake.MediaFailure = "Image could not be processed because the file is corrupt.";
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var pending = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);
        Assert.Equal(PublishOutcome.Pending, (await scope.Publisher.FollowAsync(session, ShopifyDrafts.Listing(), pending.Receipt!, Ct)).Outcome);

        var failed = await scope.Publisher.FollowAsync(session, ShopifyDrafts.Listing(), pending.Receipt!, Ct);

        Assert.Equal(PublishOutcome.Rejected, failed.Outcome);
        var issue = Assert.Single(failed.Issues);
        Assert.Equal((ListingFields.Images, "GENERIC_FILE_DOWNLOAD_FAILURE", _fake.MediaFailure), (issue.Field, issue.Code, issue.Message));
    }

    [Fact]
    public async Task Throttled_With200_WaitsTheCostFormulaOnTheClock_ThenSendsTheSameRequestAgain()
    {
        _fake.RestoreRate = 0.5;
        _fake.SetAvailable(0);
        await using var scope = Scope();

        var check = await DriveFromFirstCall(scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct), TimeSpan.FromMilliseconds(250));

        Assert.Equal(FakeShopifyServer.ShopTitle, check.AccountLabel);
        var calls = _fake.Calls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Body, calls[1].Body);
        var gap = calls[1].At - calls[0].At;
        Assert.InRange(gap, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)); // (1 - 0) / 0.5 = 2 s
    }

    [Fact]
    public async Task Throttled_WithAWaitLongerThanMaxRetryAfter_IsRateLimited_WithThatWait()
    {
        _fake.RestoreRate = 0.01;
        _fake.SetAvailable(0);
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(100), error.RetryAfter); // (1 - 0) / 0.01, beyond MaxRetryAfter (30 s)
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task Throttled_With429AndAShortRetryAfter_IsWaitedOut_AndRetried()
    {
        _fake.ThrottleStatus = 429;
        _fake.ThrottleRetryAfterSeconds = 3;
        _fake.RestoreRate = 0.5;
        _fake.SetAvailable(0);
        await using var scope = Scope();

        var check = await DriveFromFirstCall(scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(FakeShopifyServer.ShopTitle, check.AccountLabel);
        var calls = _fake.Calls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(3)); // the Retry-After, not the 2 s the bucket needs
    }

    [Fact]
    public async Task Throttled_With429AndALongRetryAfter_IsRateLimited_WithoutWaiting()
    {
        _fake.ThrottleStatus = 429;
        _fake.ThrottleRetryAfterSeconds = 120;
        _fake.RestoreRate = 0.001;
        _fake.SetAvailable(0);
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task HangingShop_TimesOut_AsTransient_AfterTheConfiguredRetries()
    {
        _fake.AlwaysOnGraphQl = async context => await Task.Delay(Timeout.Infinite, context.RequestAborted);
        await using var scope = Scope(settings =>
        {
            settings["Publishing:Shopify:AttemptTimeout"] = "00:00:30";
            settings["Publishing:Shopify:MaxRetries"] = "1";
        });

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Equal(2, _fake.Calls.Count);
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        _fake.GraphQlFaults.Enqueue(Faults.MalformedJson());
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessDenied_IsMisconfigured()
    {
        _fake.Denied.Add("CommerceOSShop");
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("ACCESS_DENIED", error.Message, StringComparison.Ordinal);
        Assert.Contains("write_products", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(402, "frozen")]
    [InlineData(403, "scope")]
    [InlineData(423, "locked")]
    public async Task ShopStatuses_AreMisconfigured_AndNotRetried(int status, string reason)
    {
        _fake.GraphQlFaults.Enqueue(Faults.Status(status, """{"errors":"refused"}"""));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task UnsupportedApiVersion_Is404_Misconfigured()
    {
        await using var scope = Scope(settings => settings["Publishing:Shopify:ApiVersion"] = "2024-01");

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(ShopifyDrafts.Session(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("2024-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpublish_FindsTheProductByListingKey_AndArchivesItById()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var published = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);

        var removed = await scope.Publisher.UnpublishAsync(session, ShopifyDrafts.Listing(), Ct);

        Assert.Equal((PublishOutcome.Removed, published.ExternalId), (removed.Outcome, removed.ExternalId));
        Assert.Equal(
            """{"identifier":{"customId":{"namespace":"commerceos","key":"listing_key","value":"lk-0192f3b4-mug"}}}""",
            LastInput("CommerceOSLookup").ToJsonString());
        Assert.Equal($$"""{"input":{"status":"ARCHIVED"},"identifier":{"id":"{{published.ExternalId}}"},"synchronous":true}""", LastInput().ToJsonString());
        Assert.Equal("ARCHIVED", Assert.Single(_fake.Products).Status);
    }

    [Fact]
    public async Task Unpublish_OfAProductAlreadyGone_IsRemoved_AndCreatesNothing()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var published = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);
        _fake.Delete(published.ExternalId!);

        var byId = await scope.Publisher.UnpublishAsync(session, ShopifyDrafts.Listing(externalId: published.ExternalId), Ct);
        var byKey = await scope.Publisher.UnpublishAsync(session, ShopifyDrafts.Listing(), Ct);

        Assert.Equal([PublishOutcome.Removed, PublishOutcome.Removed], [byId.Outcome, byKey.Outcome]);
        Assert.Empty(_fake.Products);
        Assert.Equal(2, _fake.CallsOf(ProductSet).Count()); // the publish and the archive by id; the key lookup found nothing
    }

    [Fact]
    public async Task SyncOffers_SendsOnlyOptionsAndVariants_ToTheProductById()
    {
        await using var scope = Scope();
        var session = ShopifyDrafts.Session();
        var published = await scope.Publisher.PublishAsync(session, ShopifyDrafts.Listing(), Ct);
        var repriced = ShopifyDrafts.Listing(
            externalId: published.ExternalId,
            variants: [new("MUG-01-BLU", [new("Color", "Blue")], 1790, "USD", 30, "0123456789012"), new("MUG-01-RED", [new("Color", "Red")], 2190, "USD", 4, null)]);

        var result = await scope.Publisher.SyncOffersAsync(session, repriced, Ct);

        Assert.Equal((PublishOutcome.Live, published.ExternalId), (result.Outcome, result.ExternalId));
        var variables = LastInput();
        Assert.Equal(["productOptions", "variants"], variables["input"]!.AsObject().Select(pair => pair.Key));
        Assert.Equal($$"""{"id":"{{published.ExternalId}}"}""", variables["identifier"]!.ToJsonString());
        var product = Assert.Single(_fake.Products);
        Assert.Equal("Stoneware mug", product.Title);
        Assert.Equal("17.90", product.Variants[0]!["price"]!.GetValue<string>());
        Assert.Equal(30, product.Variants[0]!["inventoryQuantities"]![0]!["quantity"]!.GetValue<int>());
        Assert.Equal(4, product.Variants[1]!["inventoryQuantities"]![0]!["quantity"]!.GetValue<int>());
        Assert.Single(product.Media);
    }

    [Fact]
    public async Task SyncOffers_OfAListingNeverPublished_IsRejected_AndCreatesNothing()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.SyncOffersAsync(ShopifyDrafts.Session(), ShopifyDrafts.Listing(), Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Equal("NOT_PUBLISHED", Assert.Single(result.Issues).Code);
        Assert.Empty(_fake.CallsOf(ProductSet));
        Assert.Empty(_fake.Products);
    }

    [Fact]
    public async Task Revoke_HasNothingToRevoke_AndSendsNothing()
    {
        await using var scope = Scope();

        var revoked = await scope.Publisher.RevokeAsync(ShopifyDrafts.Session(token: null, clientSecret: FakeShopifyServer.ClientSecret), Ct);

        Assert.False(revoked);
        Assert.Empty(_fake.Calls);
        Assert.Empty(_fake.TokenRequests);
    }

    [Fact]
    public async Task Options_WithAnUnusableVersionOrTemplate_StopTheHostAtStart()
    {
        var message = await ConfiguredHost.StartFailureAsync(
            new() { ["Publishing:Shopify:ApiVersion"] = "2025-11", ["Publishing:Shopify:ShopUrlTemplate"] = "http://shops.example.com/{shop}" },
            (services, configuration) => services.AddShopifyPublisher(configuration));

        Assert.Contains("Publishing:Shopify:ApiVersion", message, StringComparison.Ordinal);
        Assert.Contains("Publishing:Shopify:ShopUrlTemplate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_AreTheShopAndEitherATokenOrClientCredentials()
    {
        await using var scope = Scope();
        var fields = scope.Publisher.Fields;

        Assert.Equal(["shop", "access_token", "client_id", "client_secret"], fields.Select(field => field.Name));
        Assert.Equal([false, true, false, true], fields.Select(field => field.Secret));
        Assert.Equal([true, false, false, false], fields.Select(field => field.Required));
        var pattern = new System.Text.RegularExpressions.Regex(fields[0].Pattern!);
        Assert.Matches(pattern, "my-shop");
        Assert.Matches(pattern, "my-shop.myshopify.com");
        Assert.DoesNotMatch(pattern, "evil.example.com");
    }
}
