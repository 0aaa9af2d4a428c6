using System.Globalization;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Marketplaces.Amazon;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Amazon;

public sealed class AmazonPublisherTests : IAsyncLifetime
{
    private const string Us = "ATVPDKIKX0DER";
    private const string Uk = "A1F83G8C2ARO7P";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeAmazonServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeAmazonServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AmazonScope Scope(Action<Dictionary<string, string?>>? tweak = null) => new(_clock, _fake, tweak);

    [Fact]
    public async Task TestAsync_ExchangesTheRefreshToken_ReadsProductTypes_AndKeepsTheTokenInTheSession()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();

        var check = await scope.Publisher.TestAsync(session, Ct);

        Assert.Equal($"{FakeAmazonServer.SellerId} · {Us}", check.AccountLabel);
        var form = Assert.Single(_fake.Exchanges);
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal(FakeAmazonServer.RefreshToken, form["refresh_token"]);
        Assert.Equal(FakeAmazonServer.ClientId, form["client_id"]);
        Assert.Equal(FakeAmazonServer.ClientSecret, form["client_secret"]);
        var call = Assert.Single(_fake.Requests);
        Assert.Equal("productTypes", call.Operation);
        Assert.Equal(Us, call.Query["marketplaceIds"]);
        Assert.False(string.IsNullOrEmpty(call.Query["keywords"]));
        Assert.Equal(Assert.Single(_fake.IssuedTokens), call.Token);
        Assert.Equal("CommerceOS/1.0 (Language=C#)", call.UserAgent);
        Assert.True(session.Changed);
        Assert.Equal(call.Token, session["access_token"]);
        Assert.Equal(_clock.GetUtcNow().AddHours(1), DateTimeOffset.Parse(session["access_token_expires"]!, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("not-the-secret", FakeAmazonServer.RefreshToken, "invalid_client")]
    [InlineData(FakeAmazonServer.ClientSecret, "Atzr|revoked-by-the-seller", "invalid_grant")]
    public async Task TestAsync_RefusedCredentials_AreMisconfigured_WithoutCallingSpApi(string secret, string refreshToken, string error)
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session(secret: secret, refreshToken: refreshToken);

        var refused = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(session, Ct));

        Assert.Equal(ProviderFailure.Misconfigured, refused.Failure);
        Assert.Contains(error, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, refused.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Exchanges); // a 400 from LWA is not retried
        Assert.Empty(_fake.Requests);
        Assert.False(session.Changed);
    }

    [Fact]
    public async Task Token_IsReusedFromTheSession_AndRenewedInItsLastMinute()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);

        // The caller persisted the session: a later operation starts from the stored values.
        var stored = new MarketplaceSession(session.ConnectionId, Platforms.Amazon, session.Values);
        _clock.Advance(TimeSpan.FromMinutes(58));
        await scope.Publisher.SyncOffersAsync(stored, AmazonTestSupport.Draft(), Ct);
        Assert.Single(_fake.Exchanges);
        Assert.False(stored.Changed);

        _clock.Advance(TimeSpan.FromSeconds(61)); // 59 s left
        await scope.Publisher.SyncOffersAsync(stored, AmazonTestSupport.Draft(), Ct);

        Assert.Equal(2, _fake.Exchanges.Count);
        var tokens = _fake.Requests.Select(r => r.Token).ToArray();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
        Assert.True(stored.Changed);
        Assert.Equal(tokens[2], stored["access_token"]);
    }

    [Fact]
    public async Task TokenAmazonNoLongerAccepts_IsRenewedOnce_AndTheCallGoesThrough()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        await scope.Publisher.TestAsync(session, Ct);
        _fake.ForgetTokens();

        var result = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(2, _fake.Exchanges.Count);
        Assert.Equal(_fake.IssuedTokens.Last(), Assert.Single(_fake.Calls("put")).Token);
        Assert.Equal(_fake.IssuedTokens.Last(), session["access_token"]);
    }

    [Fact]
    public async Task RefusalThatANewTokenDoesNotCure_IsMisconfigured()
    {
        await using var scope = Scope();
        var values = new Dictionary<string, string>(AmazonTestSupport.Session().Values) { ["seller_id"] = "A0SOMEONEELSE1" };
        var session = new MarketplaceSession(Guid.NewGuid(), Platforms.Amazon, values);
        await scope.Publisher.TestAsync(session, Ct); // product types are not the seller's: the token is cached

        var cached = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct));
        var fresh = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(new MarketplaceSession(Guid.NewGuid(), Platforms.Amazon, values), AmazonTestSupport.Draft(), Ct));

        Assert.Equal((ProviderFailure.Misconfigured, ProviderFailure.Misconfigured), (cached.Failure, fresh.Failure));
        Assert.Contains("Unauthorized", cached.Message, StringComparison.Ordinal);
        // Test, then the cached token refused and renewed once; then a token minted for the call is not renewed again.
        Assert.Equal(3, _fake.Exchanges.Count);
        Assert.Empty(_fake.Listings);
    }

    [Fact]
    public async Task Publish_PutsTheParentThenEachVariantSku_WithTheExportsAttributes_AndIsPendingWithAReceipt()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(variants: 2, language: "de"), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal("BTL-750", result.ExternalId);
        Assert.Empty(result.Issues);
        var puts = _fake.Calls("put").ToArray();
        Assert.Equal(["BTL-750", "BTL-750-01", "BTL-750-02"], puts.Select(p => p.Sku));
        Assert.All(puts, p => Assert.Equal((Us, "de_DE"), (p.Query["marketplaceIds"], p.Query["issueLocale"])));
        Assert.Equal("COLOR", puts[0].Body!["attributes"]!["variation_theme"]![0]!["name"]!.GetValue<string>());
        var body = puts[1].Body!;
        Assert.Equal("WATER_BOTTLE", body["productType"]!.GetValue<string>());
        Assert.Equal("LISTING", body["requirements"]!.GetValue<string>());
        var attributes = body["attributes"]!.AsObject();
        Assert.Equal("Insulated Steel Bottle 750 ml", attributes["item_name"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("de_DE", attributes["item_name"]![0]!["language_tag"]!.GetValue<string>());
        Assert.Equal(Us, attributes["item_name"]![0]!["marketplace_id"]!.GetValue<string>());
        Assert.Equal(2, attributes["bullet_point"]!.AsArray().Count);
        Assert.Equal("water bottle flask", attributes["generic_keyword"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(20.00m, attributes["purchasable_offer"]![0]!["our_price"]![0]!["schedule"]![0]!["value_with_tax"]!.GetValue<decimal>());
        Assert.Equal(13, attributes["fulfillment_availability"]![0]!["quantity"]!.GetValue<int>());
        // Only images with a public address: the scene image has none.
        Assert.Equal("https://cdn.example.test/btl-main.png", attributes["main_product_image_locator"]![0]!["media_location"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.test/btl-studio.png", attributes["other_product_image_locator_1"]![0]!["media_location"]!.GetValue<string>());
        Assert.Null(attributes["other_product_image_locator_2"]);
        Assert.Equal("""[{"value":"Stainless Steel","marketplace_id":"ATVPDKIKX0DER"}]""", attributes["material"]!.ToJsonString());
        Assert.Equal("""[{"value":"Colour 1","language_tag":"de_DE","marketplace_id":"ATVPDKIKX0DER"}]""", attributes["color"]!.ToJsonString());
        Assert.Equal(20.01m, puts[2].Body!["attributes"]!["purchasable_offer"]![0]!["our_price"]![0]!["schedule"]![0]!["value_with_tax"]!.GetValue<decimal>());

        var receipt = JsonNode.Parse(result.Receipt!)!["submissions"]!.AsArray();
        Assert.Equal(["BTL-750", "BTL-750-01", "BTL-750-02"], receipt.Select(s => s!["sku"]!.GetValue<string>()));
        Assert.All(receipt, s => Assert.False(string.IsNullOrEmpty(s!["submissionId"]!.GetValue<string>())));
        Assert.Equal(3, _fake.Listings.Count);
    }

    [Fact]
    public async Task DuplicatedPublish_ReplacesTheListing_InsteadOfCreatingASecond()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();

        await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);
        var again = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(title: "Insulated Steel Bottle 750 ml, Matte"), Ct);

        Assert.Equal(PublishOutcome.Pending, again.Outcome);
        Assert.Equal(2, _fake.Calls("put").Count());
        var listing = Assert.Single(_fake.Listings);
        Assert.Equal("BTL-750", listing.Key);
        Assert.Equal("Insulated Steel Bottle 750 ml, Matte", listing.Value.Value("item_name"));
    }

    [Fact]
    public async Task PublishWithExternalId_UpdatesTheListingItMadeBefore()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        var first = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);

        var update = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(price: 2499, externalId: first.ExternalId), Ct);

        Assert.Equal("BTL-750", update.ExternalId);
        Assert.Equal(["BTL-750", "BTL-750"], _fake.Calls("put").Select(p => p.Sku));
        var listing = Assert.Single(_fake.Listings).Value;
        Assert.Equal("24.99", listing.Attributes["purchasable_offer"]![0]!["our_price"]![0]!["schedule"]![0]!["value_with_tax"]!.ToJsonString());
    }

    [Fact]
    public async Task InvalidListing_IsRejected_WithAmazonsIssuesMappedToOurFields()
    {
        _fake.PutIssues.Add(FakeAmazonServer.Issue("8541", "Bullet point 2 is too long.", "ERROR", "bullet_point"));
        _fake.PutIssues.Add(FakeAmazonServer.Issue("18027", "The price is outside the allowed range.", "ERROR", "purchasable_offer"));
        _fake.PutIssues.Add(FakeAmazonServer.Issue("90001", "'material' has an invalid value.", "ERROR", "material"));
        _fake.PutIssues.Add(FakeAmazonServer.Issue("99300", "Image is smaller than 1000 px.", "WARNING", "other_product_image_locator_1"));
        _fake.PutIssues.Add(FakeAmazonServer.Issue("99022", "Brand and keywords disagree.", "WARNING", "brand", "generic_keyword"));
        await using var scope = Scope();
        var draft = AmazonTestSupport.Draft(title: "") with { CategoryId = "SPACESHIP" };

        var result = await scope.Publisher.PublishAsync(AmazonTestSupport.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Null(result.Receipt);
        Assert.Empty(_fake.Listings);
        Assert.Equal(
            [
                (ListingFields.Category, "productType", "4000001", PlatformIssueSeverity.Error),
                (ListingFields.Title, "item_name", "90220", PlatformIssueSeverity.Error),
                (ListingFields.Bullets, "bullet_point", "8541", PlatformIssueSeverity.Error),
                (ListingFields.Price, "purchasable_offer", "18027", PlatformIssueSeverity.Error),
                (ListingFields.Attributes, "material", "90001", PlatformIssueSeverity.Error),
                (ListingFields.Images, "other_product_image_locator_1", "99300", PlatformIssueSeverity.Warning),
                (ListingFields.Brand, "brand", "99022", PlatformIssueSeverity.Warning),
                (ListingFields.Keywords, "generic_keyword", "99022", PlatformIssueSeverity.Warning),
            ],
            result.Issues.Select(i => (i.Field, i.PlatformAttribute!, i.Code, i.Severity)));
        Assert.Equal("'item_name' is required but not supplied.", result.Issues[1].Message);
    }

    [Fact]
    public async Task WarningsOnly_ArePendingAndKept()
    {
        _fake.PutIssues.Add(FakeAmazonServer.Issue("99300", "Image is smaller than 1000 px.", "WARNING", "main_product_image_locator"));
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        var warning = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Images, PlatformIssueSeverity.Warning, "Image is smaller than 1000 px."), (warning.Field, warning.Severity, warning.Message));
        Assert.Single(_fake.Listings);
    }

    [Fact]
    public async Task QuotaExceeded_WithAShortRetryAfter_IsWaitedOut_AndSentAgain()
    {
        _fake.FaultsFor("put").Enqueue(Faults.Status(429, FakeAmazonServer.ErrorList("QuotaExceeded", "You exceeded your quota for the requested resource."), ("Retry-After", "2")));
        await using var scope = Scope();

        var result = await _clock.Drive(scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(), Ct));

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        var puts = _fake.Calls("put").ToArray();
        Assert.Equal(2, puts.Length);
        Assert.True(puts[1].At - puts[0].At >= TimeSpan.FromSeconds(2));
        Assert.Single(_fake.Listings);
    }

    [Fact]
    public async Task QuotaExceeded_WithALongRetryAfter_IsRateLimited_WithAmazonsWait()
    {
        _fake.FaultsFor("put").Enqueue(Faults.Status(429, FakeAmazonServer.ErrorList("QuotaExceeded", "You exceeded your quota."), ("Retry-After", "120")));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(), Ct)));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(_fake.Calls("put"));
    }

    [Fact]
    public async Task QuotaExceeded_WithoutRetryAfter_BacksOff_ThenIsRateLimited()
    {
        for (var i = 0; i < 3; i++)
        {
            _fake.FaultsFor("put").Enqueue(Faults.Status(429, FakeAmazonServer.ErrorList("QuotaExceeded", "You exceeded your quota.")));
        }

        await using var scope = Scope(s => s["Publishing:Amazon:MaxRetries"] = "2");

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(), Ct)));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Null(error.RetryAfter);
        Assert.Equal(3, _fake.Calls("put").Count());
        Assert.Empty(_fake.Listings);
    }

    [Fact]
    public async Task ManySkus_AreMeteredByTheSellersTokenBucket_FiveASecondAfterABurstOfTen()
    {
        await using var scope = Scope();

        // Eleven variants and their parent: twelve puts.
        var publish = scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(variants: 11), Ct);

        await WaitUntilAsync(() => _fake.Calls("put").Count() == 10);
        await Task.Delay(300, Ct);
        Assert.Equal(10, _fake.Calls("put").Count()); // the clock has not moved: no token was added
        Assert.False(publish.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await WaitUntilAsync(() => _fake.Calls("put").Count() == 11);
        await Task.Delay(300, Ct);
        Assert.Equal(11, _fake.Calls("put").Count()); // one token a fifth of a second
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        var result = await publish;

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(12, _fake.Listings.Count);
    }

    [Fact]
    public async Task ServerErrorOnAReplacingPatch_IsRetried_ThenSucceeds()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);
        _fake.FaultsFor("patch").Enqueue(Faults.Status(503, FakeAmazonServer.ErrorList("ServiceUnavailable", "Service temporarily unavailable.")));

        var result = await _clock.Drive(scope.Publisher.SyncOffersAsync(session, AmazonTestSupport.Draft(stock: 4), Ct));

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(2, _fake.Calls("patch").Count());
        Assert.Equal("4", _fake.Listings["BTL-750"].Value("fulfillment_availability", "quantity"));
    }

    [Fact]
    public async Task HangingRead_TimesOut_AsTransient_AfterItsRetries()
    {
        await using var scope = Scope(s =>
        {
            s["Publishing:Amazon:AttemptTimeout"] = "00:00:30";
            s["Publishing:Amazon:MaxRetries"] = "1";
        });
        var session = AmazonTestSupport.Session();
        var pending = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);
        for (var i = 0; i < 2; i++)
        {
            _fake.FaultsFor("get").Enqueue(async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        }

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Publisher.FollowAsync(session, AmazonTestSupport.Draft(), pending.Receipt!, Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Equal(2, _fake.Calls("get").Count());
    }

    [Fact]
    public async Task MalformedSubmissionResponse_IsTransient_AndNotRepeated()
    {
        _fake.FaultsFor("put").Enqueue(Faults.MalformedJson());
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Draft(), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Calls("put"));
    }

    [Fact]
    public async Task Follow_IsPendingWhileAmazonProcesses_ThenLive_WithTheDetailPage()
    {
        _fake.HiddenReads = 1;
        _fake.PendingReads = 1;
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        var draft = AmazonTestSupport.Draft();
        var pending = await scope.Publisher.PublishAsync(session, draft, Ct);

        var notYetThere = await scope.Publisher.FollowAsync(session, draft, pending.Receipt!, Ct);
        var processing = await scope.Publisher.FollowAsync(session, draft, pending.Receipt!, Ct);
        var live = await scope.Publisher.FollowAsync(session, draft, pending.Receipt!, Ct);

        Assert.Equal((PublishOutcome.Pending, pending.Receipt), (notYetThere.Outcome, notYetThere.Receipt));
        Assert.Equal((PublishOutcome.Pending, pending.Receipt), (processing.Outcome, processing.Receipt));
        Assert.Equal(PublishOutcome.Live, live.Outcome);
        Assert.Equal("BTL-750", live.ExternalId);
        Assert.Equal($"https://www.amazon.com/dp/{_fake.Listings["BTL-750"].Asin}", live.ExternalUrl);
        var gets = _fake.Calls("get").ToArray();
        Assert.Equal(3, gets.Length);
        Assert.All(gets, g => Assert.Equal(("summaries,issues", Us, "en_US"), (g.Query["includedData"], g.Query["marketplaceIds"], g.Query["issueLocale"])));
    }

    [Fact]
    public async Task Follow_ProcessingError_IsRejected_OnTheImages()
    {
        _fake.PendingReads = 0;
        _fake.ProcessingIssues.Add(FakeAmazonServer.Issue("18155", "The image could not be downloaded from the media_location.", "ERROR", "main_product_image_locator"));
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        var pending = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(), Ct);

        var result = await scope.Publisher.FollowAsync(session, AmazonTestSupport.Draft(), pending.Receipt!, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Images, "main_product_image_locator", "18155"), (issue.Field, issue.PlatformAttribute, issue.Code));
    }

    [Fact]
    public async Task Follow_OutsideAmazonCom_IsLiveWithoutALink_OnTheRegionsHost()
    {
        _fake.PendingReads = 0;
        await using var scope = Scope(s => s["Publishing:Amazon:NaBaseUrl"] = "https://unused.example.test");
        var session = AmazonTestSupport.Session(marketplaceId: Uk, region: "eu");
        var pending = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(variants: 2), Ct);

        var live = await scope.Publisher.FollowAsync(session, AmazonTestSupport.Draft(variants: 2), pending.Receipt!, Ct);

        Assert.Equal(PublishOutcome.Live, live.Outcome);
        Assert.Null(live.ExternalUrl);
        Assert.All(_fake.Requests, r => Assert.Equal(Uk, r.Query["marketplaceIds"]));
        Assert.Equal(3, _fake.Calls("get").Count());
    }

    [Fact]
    public async Task SyncOffers_PatchesOnlyPriceAndStock_OfEachChild_NotTheParent()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        await scope.Publisher.PublishAsync(session, AmazonTestSupport.Draft(variants: 2), Ct);

        var result = await scope.Publisher.SyncOffersAsync(session, AmazonTestSupport.Draft(variants: 2, price: 2499, stock: 3, title: "Not sent"), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        var patches = _fake.Calls("patch").ToArray();
        Assert.Equal(["BTL-750-01", "BTL-750-02"], patches.Select(p => p.Sku));
        var body = patches[0].Body!;
        Assert.Equal("WATER_BOTTLE", body["productType"]!.GetValue<string>());
        Assert.Equal(
            """[{"op":"replace","path":"/attributes/purchasable_offer","value":[{"currency":"USD","marketplace_id":"ATVPDKIKX0DER","our_price":[{"schedule":[{"value_with_tax":25.00}]}]}]},"""
            + """{"op":"replace","path":"/attributes/fulfillment_availability","value":[{"fulfillment_channel_code":"DEFAULT","quantity":4}]}]""",
            body["patches"]!.ToJsonString());
        Assert.Equal("Insulated Steel Bottle 750 ml", _fake.Listings["BTL-750-01"].Value("item_name"));
        Assert.Equal("5", _fake.Listings["BTL-750-02"].Value("fulfillment_availability", "quantity"));
        Assert.True(_fake.Listings["BTL-750"].IsParent);
        Assert.Null(_fake.Listings["BTL-750"].Attributes["purchasable_offer"]);
    }

    [Fact]
    public async Task Unpublish_DeletesTheChildrenThenTheParent_AndAgain_CountsWhatIsGoneAsRemoved()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        var draft = AmazonTestSupport.Draft(variants: 2);
        await scope.Publisher.PublishAsync(session, draft, Ct);

        var removed = await scope.Publisher.UnpublishAsync(session, draft, Ct);
        var again = await scope.Publisher.UnpublishAsync(session, draft, Ct);

        Assert.Equal((PublishOutcome.Removed, "BTL-750"), (removed.Outcome, removed.ExternalId));
        Assert.Equal(PublishOutcome.Removed, again.Outcome);
        Assert.Empty(again.Issues);
        Assert.Empty(_fake.Listings);
        Assert.Equal(["BTL-750-01", "BTL-750-02", "BTL-750", "BTL-750-01", "BTL-750-02", "BTL-750"], _fake.Calls("delete").Select(d => d.Sku));
        Assert.All(_fake.Calls("delete"), d => Assert.Equal(Us, d.Query["marketplaceIds"]));
    }

    [Fact]
    public async Task Family_PutsTheParentFirst_WithoutAnOffer_ThenChildrenNamingIt_WithTheirOffersAndOptions()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Family(), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Empty(result.Issues);
        var puts = _fake.Calls("put").ToArray();
        Assert.Equal(["BTL-750", "BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE"], puts.Select(p => p.Sku));
        var parent = puts[0].Body!["attributes"]!.AsObject();
        Assert.Equal("""[{"value":"parent","marketplace_id":"ATVPDKIKX0DER"}]""", parent["parentage_level"]!.ToJsonString());
        Assert.Equal("""[{"name":"SIZE/COLOR"}]""", parent["variation_theme"]!.ToJsonString());
        Assert.Equal("Insulated Steel Bottle 750 ml", parent["item_name"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.test/btl-main.png", parent["main_product_image_locator"]![0]!["media_location"]!.GetValue<string>());
        Assert.Null(parent["purchasable_offer"]);
        Assert.Null(parent["fulfillment_availability"]);
        Assert.Null(parent["child_parent_sku_relationship"]);
        foreach (var child in puts.Skip(1).Select(p => p.Body!["attributes"]!.AsObject()))
        {
            Assert.Equal("""[{"value":"child","marketplace_id":"ATVPDKIKX0DER"}]""", child["parentage_level"]!.ToJsonString());
            Assert.Equal("""[{"child_relationship_type":"variation","parent_sku":"BTL-750","marketplace_id":"ATVPDKIKX0DER"}]""", child["child_parent_sku_relationship"]!.ToJsonString());
            Assert.Null(child["variation_theme"]);
        }

        var first = puts[1].Body!["attributes"]!;
        Assert.Equal("""[{"value":"500 ml","language_tag":"en_US","marketplace_id":"ATVPDKIKX0DER"}]""", first["size"]!.ToJsonString());
        Assert.Equal("""[{"value":"Black","language_tag":"en_US","marketplace_id":"ATVPDKIKX0DER"}]""", first["color"]!.ToJsonString());
        Assert.Equal(17.99m, first["purchasable_offer"]![0]!["our_price"]![0]!["schedule"]![0]!["value_with_tax"]!.GetValue<decimal>());
        Assert.Equal([5, 6, 7], puts.Skip(1).Select(p => p.Body!["attributes"]!["fulfillment_availability"]![0]!["quantity"]!.GetValue<int>()));
        Assert.Equal("Sage", _fake.Listings["BTL-750-SGE"].Value("color"));
        var receipt = JsonNode.Parse(result.Receipt!)!["submissions"]!.AsArray();
        Assert.Equal(["BTL-750", "BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE"], receipt.Select(s => s!["sku"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Family_WhoseParentIsRefused_SendsNoChild()
    {
        _fake.FaultsFor("put").Enqueue(Faults.Status(400, FakeAmazonServer.ErrorList("InvalidInput", "Request has missing or invalid parameters and cannot be parsed.")));
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Family(), Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Equal(("InvalidInput", ListingFields.Listing), (Assert.Single(result.Issues).Code, result.Issues[0].Field));
        Assert.Equal(["BTL-750"], _fake.Calls("put").Select(p => p.Sku));
        Assert.Empty(_fake.Listings);
    }

    [Fact]
    public async Task Family_OptionsThatFitNoTheme_ArePublishedAsFlatSkus_WithAVariantsWarning()
    {
        await using var scope = Scope();

        var result = await scope.Publisher.PublishAsync(AmazonTestSupport.Session(), AmazonTestSupport.Family(colour: "Finish"), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        var warning = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Variants, PlatformIssueSeverity.Warning, "variation_theme"), (warning.Field, warning.Severity, warning.PlatformAttribute));
        Assert.Contains("Finish", warning.Message, StringComparison.Ordinal);
        var puts = _fake.Calls("put").ToArray();
        Assert.Equal(["BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE"], puts.Select(p => p.Sku));
        Assert.All(puts, p =>
        {
            Assert.Null(p.Body!["attributes"]!["parentage_level"]);
            Assert.Null(p.Body!["attributes"]!["size"]);
            Assert.NotNull(p.Body!["attributes"]!["purchasable_offer"]);
        });
    }

    [Fact]
    public async Task Family_FollowsTheParentAndEveryChild_AndIsLiveOnTheParentsDetailPage()
    {
        _fake.PendingReads = 1;
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        var pending = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Family(), Ct);

        var processing = await scope.Publisher.FollowAsync(session, AmazonTestSupport.Family(), pending.Receipt!, Ct);
        // Twelve calls: past the burst of ten, so the clock has to move.
        var live = await _clock.Drive(scope.Publisher.FollowAsync(session, AmazonTestSupport.Family(), pending.Receipt!, Ct));

        Assert.Equal(PublishOutcome.Pending, processing.Outcome);
        Assert.Equal(PublishOutcome.Live, live.Outcome);
        Assert.Equal($"https://www.amazon.com/dp/{_fake.Listings["BTL-750"].Asin}", live.ExternalUrl);
        Assert.Equal(
            ["BTL-750", "BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE", "BTL-750", "BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE"],
            _fake.Calls("get").Select(g => g.Sku));
    }

    [Fact]
    public async Task Family_FollowWithAnInvalidChild_IsRejected_WithTheIssueOnTheVariants()
    {
        _fake.PendingReads = 0;
        _fake.ProcessingIssuesOf["BTL-750-SGE"] = [FakeAmazonServer.Issue("8560", "The value 'Sage' for 'color' is not allowed.", "ERROR", "color")];
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        var pending = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Family(), Ct);

        var result = await scope.Publisher.FollowAsync(session, AmazonTestSupport.Family(), pending.Receipt!, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Variants, "color", "8560", PlatformIssueSeverity.Error), (issue.Field, issue.PlatformAttribute, issue.Code, issue.Severity));
        Assert.Equal(4, _fake.Calls("get").Count());
    }

    [Fact]
    public async Task Family_ChildrenOfAParentAmazonDoesNotHold_AreRejected_OnTheVariants()
    {
        // Amazon answers ACCEPTED for the parent but does not hold it: each child meets the check that its parent exists.
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        _fake.FaultsFor("put").Enqueue(Faults.Status(200, """{"sku":"BTL-750","status":"ACCEPTED","submissionId":"s-1","issues":[]}"""));

        var result = await scope.Publisher.PublishAsync(session, AmazonTestSupport.Family(), Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        // The three children's issue is one and the same for the seller.
        var issue = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Variants, "child_parent_sku_relationship", "8105"), (issue.Field, issue.PlatformAttribute, issue.Code));
        Assert.Equal(4, _fake.Calls("put").Count());
    }

    [Fact]
    public async Task Family_SyncOffers_PatchesOnlyTheChildren()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        await scope.Publisher.PublishAsync(session, AmazonTestSupport.Family(), Ct);

        var result = await scope.Publisher.SyncOffersAsync(session, AmazonTestSupport.Family(stock: 1), Ct);

        Assert.Equal(PublishOutcome.Pending, result.Outcome);
        Assert.Equal(["BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE"], _fake.Calls("patch").Select(p => p.Sku));
        Assert.Equal(["1", "2", "3"], new[] { "BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE" }.Select(s => _fake.Listings[s].Value("fulfillment_availability", "quantity")));
        Assert.Null(_fake.Listings["BTL-750"].Attributes["fulfillment_availability"]);
    }

    [Fact]
    public async Task Family_Unpublish_DeletesTheChildrenThenTheParent()
    {
        await using var scope = Scope();
        var session = AmazonTestSupport.Session();
        await scope.Publisher.PublishAsync(session, AmazonTestSupport.Family(), Ct);

        var removed = await scope.Publisher.UnpublishAsync(session, AmazonTestSupport.Family(), Ct);

        Assert.Equal(PublishOutcome.Removed, removed.Outcome);
        Assert.Equal(["BTL-500-BLK", "BTL-750-BLK", "BTL-750-SGE", "BTL-750"], _fake.Calls("delete").Select(d => d.Sku));
        Assert.Empty(_fake.Listings);
    }

    [Fact]
    public async Task Revoke_IsNotOffered_AndSendsNothing()
    {
        await using var scope = Scope();

        Assert.False(await scope.Publisher.RevokeAsync(AmazonTestSupport.Session(), Ct));
        Assert.Empty(_fake.Exchanges);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task UnknownRegion_IsMisconfigured_BeforeAnythingIsSent()
    {
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.TestAsync(AmazonTestSupport.Session(region: "sa"), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Empty(_fake.Exchanges);
    }

    [Fact]
    public void Registration_DeclaresTheConnectionForm_AndProductionDefaults()
    {
        using var services = Providers.Build(_clock, new Dictionary<string, string?>(), (s, c) =>
        {
            s.AddAmazonPublisher(c);
            s.AddAmazonPublisher(c);
        });

        var publisher = Assert.Single(services.GetServices<IMarketplacePublisher>());
        Assert.Equal("amazon", publisher.Platform);
        Assert.Equal(["seller_id", "marketplace_id", "region", "lwa_client_id", "lwa_client_secret", "refresh_token"], publisher.Fields.Select(f => f.Name));
        Assert.Equal(["lwa_client_secret", "refresh_token"], publisher.Fields.Where(f => f.Secret).Select(f => f.Name));
        Assert.Equal((Us, "na"), (publisher.Fields[1].Default, publisher.Fields[2].Default));
        Assert.Equal(9, publisher.MaxImages);
        var options = services.GetRequiredService<IOptions<AmazonOptions>>().Value;
        Assert.Equal(
            ("https://api.amazon.com/auth/o2/token", "https://sellingpartnerapi-na.amazon.com", "https://sellingpartnerapi-eu.amazon.com", "https://sellingpartnerapi-fe.amazon.com"),
            (options.LwaTokenUrl, options.NaBaseUrl, options.EuBaseUrl, options.FeBaseUrl));
        Assert.Equal(("CommerceOS/1.0 (Language=C#)", 5d, 10), (options.UserAgent, options.RequestsPerSecond, options.Burst));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(condition());
    }
}
