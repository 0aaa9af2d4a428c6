using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using CommerceOS.Tests.Copy;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Publishing;

/// <summary>
/// The Publish Center end to end through the API and the real job runner, against an in-process marketplace: connections
/// (live test, encryption, the plan's gauge), the gate, publish, follow, rate limits, refused credentials, idempotency,
/// scheduling, keep-in-sync and unpublish.
/// </summary>
public sealed class PublishCenterApiTests : IAsyncLifetime
{
    private readonly ScriptedPublisher _platform = new();
    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await PublishingWorld.StartAsync(_platform);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Connect_RefusedCredentials_SaveNothing_AndTheErrorIsOnTheCredentials()
    {
        using var tenant = await _app.CreateApiTenantAsync();

        using var response = await ConnectAsync(tenant.Client, "acme", ScriptedPublisher.BadToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(PublishingErrors.CredentialsRefused, problem.GetProperty("errors").GetProperty("credentials")[0].GetString());
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.MarketplaceConnections.CountAsync(Ct));
        Assert.Equal(0, await GaugeAsync(tenant.WorkspaceId));
    }

    [Fact]
    public async Task Connect_BadFields_AreRefusedBeforeThePlatformIsAsked()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        var before = _platform.TestCalls;

        using var response = await tenant.Client.PostAsJsonAsync(
            "/api/v1/connections", new { platform = "shopify", credentials = new Dictionary<string, string> { ["shop"] = "Bad Shop!", ["secret_extra"] = "x" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("credentials.shop", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("credentials.access_token", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("credentials.secret_extra", out _), errors.ToString());
        Assert.Equal(before, _platform.TestCalls);
    }

    [Fact]
    public async Task Connect_StoresTheCredentialsEncrypted_WithRenewedTokens_NeverReturnsThem_AndCountsTheGauge()
    {
        using var tenant = await _app.CreateApiTenantAsync();

        using var response = await ConnectAsync(tenant.Client, "acme", "shpat_secret_value_123");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("shpat_secret_value_123", body, StringComparison.Ordinal);
        var connection = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Shop acme", connection.GetProperty("accountLabel").GetString());
        Assert.Equal("active", connection.GetProperty("status").GetString());
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        var row = await db.MarketplaceConnections.SingleAsync(Ct);
        Assert.DoesNotContain("shpat_secret_value_123", row.ProtectedCredentials, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", row.ProtectedCredentials, StringComparison.Ordinal);
        var values = _app.Services.GetRequiredService<ConnectionSecrets>().Unprotect(row)!;
        Assert.Equal("shpat_secret_value_123", values["access_token"]);
        Assert.Equal("renewed-shpat_secret_value_123", values["renewed_token"]);
        Assert.Equal("2026-01", values["api_version"]);
        Assert.Equal(1, await GaugeAsync(tenant.WorkspaceId));

        // Bound to its row: the same ciphertext under another connection id does not decrypt.
        var copy = new MarketplaceConnection { WorkspaceId = row.WorkspaceId, Platform = row.Platform, Name = row.Name, ProtectedCredentials = row.ProtectedCredentials };
        Assert.Null(_app.Services.GetRequiredService<ConnectionSecrets>().Unprotect(copy));
    }

    [Fact]
    public async Task Connect_OverThePlansLimit_IsRefused_BeforeThePlatformIsAsked()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        await _app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Starter);
        using (var first = await ConnectAsync(tenant.Client, "one", "token-1"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var tests = _platform.TestCalls;
        using var second = await ConnectAsync(tenant.Client, "two", "token-2");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(PublishingErrors.ConnectionLimit, problem.GetProperty("code").GetString());
        Assert.Equal(tests, _platform.TestCalls);
        Assert.Equal(1, await GaugeAsync(tenant.WorkspaceId));
    }

    [Fact]
    public async Task Disconnect_Twice_RevokesOnce_ErasesTheCredentials_AndFreesTheGaugeOnce()
    {
        using var tenant = await ReadyTenantAsync();
        var id = await ConnectedAsync(tenant.Client);
        using (var second = await ConnectAsync(tenant.Client, "other", "token-2"))
        {
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        }

        var revokes = _platform.RevokeCalls;
        using var first = await tenant.Client.DeleteAsync($"/api/v1/connections/{id}", Ct);
        using var again = await tenant.Client.DeleteAsync($"/api/v1/connections/{id}", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("disconnected", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        Assert.Equal(revokes + 1, _platform.RevokeCalls);
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        var row = await db.MarketplaceConnections.SingleAsync(c => c.Id == id, Ct);
        Assert.Equal("", row.ProtectedCredentials);
        Assert.True(row.RevokedAtPlatform);
        Assert.Equal(1, await GaugeAsync(tenant.WorkspaceId));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == PublishingAudit.Connect && e.WorkspaceId == tenant.WorkspaceId, Ct));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == PublishingAudit.Disconnect && e.WorkspaceId == tenant.WorkspaceId, Ct));
    }

    [Fact]
    public async Task Publish_OnAPlanWithoutThePublishCenter_IsRefusedWithItsCode()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        await _app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Starter);
        var connection = await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-STARTER");

        using var response = await PublishAsync(tenant.Client, product, new { connectionId = connection });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(PublishingErrors.FeatureRequired, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Publish_BlockedByTheGate_ReturnsEachProblemOnItsField_AndChangesNothing()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-BLOCK");
        _platform.RequiredFields = [ListingFields.Title, ListingFields.Price, ListingFields.Weight, ListingFields.Category];
        try
        {
            using var response = await PublishAsync(tenant.Client, product, new { connectionId = connection, categoryId = "", attributes = new Dictionary<string, string> { ["Colour"] = "navy blue" } });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
            Assert.True(errors.TryGetProperty("listing.weight", out _), errors.ToString());
            Assert.True(errors.TryGetProperty("listing.category", out _), errors.ToString());
            Assert.False(errors.TryGetProperty("listing.title", out _), errors.ToString());

            using var preview = await tenant.Client.GetAsync($"/api/v1/products/{product}/listing-preview?connectionId={connection}", Ct);
            var body = await preview.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(body.GetProperty("blocked").GetBoolean());
            var checklist = body.GetProperty("checklist").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!, c => c.GetProperty("done").GetBoolean());
            Assert.Equal(new Dictionary<string, bool> { ["title"] = true, ["price"] = true, ["weight"] = false, ["category"] = false }, checklist);
            // Water bottles map to Shopify's drinkware category, suggested for the seller to confirm.
            Assert.Contains(body.GetProperty("categorySuggestions").EnumerateArray(), s => s.GetProperty("id").GetString()!.StartsWith("gid://shopify/TaxonomyCategory/", StringComparison.Ordinal));
            Assert.Equal("Stainless Steel", body.GetProperty("proposedAttributes").GetProperty("Material").GetString());

            await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
            Assert.Equal(0, await db.MarketplaceListings.CountAsync(Ct));
            Assert.Equal(0, await db.Publications.CountAsync(Ct));
            Assert.Equal(0, await db.Jobs.CountAsync(j => j.Kind == RequestPublication.JobKind, Ct));
        }
        finally
        {
            _platform.RequiredFields = [ListingFields.Title, ListingFields.Price];
        }
    }

    [Fact]
    public async Task Publish_RunsTheJob_TheListingGoesLive_AndRepublishingUpdatesTheSameListing()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-LIVE");
        var before = _platform.Listings.Count;

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify", attributes = new Dictionary<string, string> { ["Colour"] = "navy blue", ["Weight"] = "1.2 lb" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/publications/{id}", response.Headers.Location!.OriginalString);
        Assert.NotEqual(JsonValueKind.Null, accepted.GetProperty("jobId").ValueKind);
        var done = await WaitAsync(tenant.Client, id, "succeeded");
        var externalId = done.GetProperty("externalId").GetString();
        Assert.StartsWith("gid://shopify/Product/", externalId, StringComparison.Ordinal);
        var sent = _platform.Sent.Single(d => d.ProductId == product);
        Assert.Equal("PUB-LIVE", sent.Sku);
        Assert.Equal(2, sent.Variants.Count);
        Assert.Equal(2499, sent.Variants[0].PriceMinor);
        // The mapping's values are normalised before they are stored and sent.
        Assert.Equal("Navy", sent.Attributes["Colour"]);
        Assert.Equal("544.311 g", sent.Attributes["Weight"]);

        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, accepted.GetProperty("jobId").GetGuid());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());

        using var again = await PublishAsync(tenant.Client, product, new { connectionId = connection });
        var second = await WaitAsync(tenant.Client, (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(), "succeeded");

        Assert.Equal(externalId, second.GetProperty("externalId").GetString());
        Assert.Equal(before + 1, _platform.Listings.Count);
        Assert.Equal(externalId, _platform.Sent.Where(d => d.ProductId == product).Select(d => d.ExternalId).Last(e => e is not null));
        var listings = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/listings?productId={product}", Ct);
        var listing = Assert.Single(listings.EnumerateArray());
        Assert.Equal("live", listing.GetProperty("status").GetString());
        var history = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{product}/publications", Ct);
        Assert.Equal(2, history.GetArrayLength());
    }

    [Fact]
    public async Task Publish_WhoseAnswerIsLostAfterThePlatformWroteIt_IsRetried_AndThePlatformStillHoldsOneListing()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-LOST");
        var before = _platform.Listings.Count;
        _platform.PublishScript.Enqueue(draft =>
        {
            _platform.Upsert(draft);
            throw new ProviderException(ProviderFailure.Transient, "connection reset after the write");
        });

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        await WaitAsync(tenant.Client, accepted.GetProperty("id").GetGuid(), "succeeded");

        Assert.Equal(before + 1, _platform.Listings.Count);
        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, accepted.GetProperty("jobId").GetGuid());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task PendingAnswers_AreFollowedUntilFinal()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-PEND");
        _platform.PublishScript.Enqueue(_ => new PublishResult(PublishOutcome.Pending, "PUB-PEND", null, "submission-1", []));
        _platform.FollowScript.Enqueue(() => new PublishResult(PublishOutcome.Pending, "PUB-PEND", null, "submission-1", []));
        _platform.FollowScript.Enqueue(() => new PublishResult(PublishOutcome.Live, "PUB-PEND", "https://www.amazon.com/dp/B0TEST", null, []));
        var follows = _platform.FollowCalls;

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var done = await WaitAsync(tenant.Client, accepted.GetProperty("id").GetGuid(), "succeeded");

        Assert.Equal("https://www.amazon.com/dp/B0TEST", done.GetProperty("externalUrl").GetString());
        Assert.Equal(follows + 2, _platform.FollowCalls);
        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, accepted.GetProperty("jobId").GetGuid());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task PlatformRefusals_AreShownOnTheirFields_WithThePlatformsWords()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-REJ");
        _platform.PublishScript.Enqueue(_ => new PublishResult(PublishOutcome.Rejected, null, null, null,
        [
            new PlatformIssue(ListingFields.Title, "TOO_LONG", "Title is too long (max 255)", PlatformIssueSeverity.Error, "title"),
            new PlatformIssue("not-a-field", "W1", "Consider a video", PlatformIssueSeverity.Warning),
        ]));

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var failed = await WaitAsync(tenant.Client, accepted.GetProperty("id").GetGuid(), "failed");

        Assert.Equal(PublishingErrors.Rejected, failed.GetProperty("errorCode").GetString());
        var issues = failed.GetProperty("issues").EnumerateArray().Where(i => i.GetProperty("source").GetString() == "platform").ToList();
        var title = Assert.Single(issues, i => i.GetProperty("field").GetString() == "title");
        Assert.Equal("publishing.platform.title", title.GetProperty("code").GetString());
        Assert.Equal("Title is too long (max 255)", title.GetProperty("detail").GetString());
        Assert.True(title.GetProperty("blocking").GetBoolean());
        var other = Assert.Single(issues, i => i.GetProperty("field").GetString() == "listing");
        Assert.False(other.GetProperty("blocking").GetBoolean());
        var listing = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/listings?productId={product}", Ct)).EnumerateArray());
        Assert.Equal("failed", listing.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARefusalOutsideTheListingAnswer_FailsAtOnce_WithoutRetries()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-400");
        _platform.PublishScript.Enqueue(_ => throw new ProviderException(ProviderFailure.Rejected, "400: body could not be parsed"));

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var failed = await WaitAsync(tenant.Client, accepted.GetProperty("id").GetGuid(), "failed");

        Assert.Equal(PublishingErrors.Rejected, failed.GetProperty("errorCode").GetString());
        var issue = Assert.Single(failed.GetProperty("issues").EnumerateArray(), i => i.GetProperty("source").GetString() == "platform");
        Assert.Equal("400: body could not be parsed", issue.GetProperty("detail").GetString());
        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, accepted.GetProperty("jobId").GetGuid());
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(PublishingErrors.Rejected, job.GetProperty("lastErrorCode").GetString());
    }

    [Fact]
    public async Task RateLimits_WaitWithoutSpendingAnAttempt()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-429");
        _platform.PublishScript.Enqueue(_ => throw new ProviderException(ProviderFailure.RateLimited, "429", TimeSpan.FromSeconds(1)));

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        await WaitAsync(tenant.Client, accepted.GetProperty("id").GetGuid(), "succeeded");

        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, accepted.GetProperty("jobId").GetGuid());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task RefusedCredentials_FailThePublication_AndMarkTheConnection()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-401");
        _platform.PublishScript.Enqueue(_ => throw new ProviderException(ProviderFailure.Misconfigured, "401"));

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var failed = await WaitAsync(tenant.Client, accepted.GetProperty("id").GetGuid(), "failed");

        Assert.Equal(PublishingErrors.CredentialsRefused, failed.GetProperty("errorCode").GetString());
        var connections = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/connections", Ct);
        var row = Assert.Single(connections.EnumerateArray(), c => c.GetProperty("id").GetGuid() == connection);
        Assert.Equal("failing", row.GetProperty("status").GetString());
        Assert.Equal(PublishingErrors.CredentialsRefused, row.GetProperty("lastErrorCode").GetString());
    }

    [Fact]
    public async Task ScheduledPublish_WaitsForItsTime()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-SCHED");
        var at = TimeProvider.System.GetUtcNow().AddHours(3);
        var calls = _platform.PublishCalls;

        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify", scheduledFor = at });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("scheduled", accepted.GetProperty("status").GetString());
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        var jobId = accepted.GetProperty("jobId").GetGuid();
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId, Ct);
        Assert.Equal(at.UtcDateTime, job.NotBefore!.Value, TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.Equal(calls, _platform.PublishCalls);

        // While it waits, publishing again returns it; once its job is cancelled, it is closed and a new publish goes ahead.
        using (var again = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" }))
        {
            Assert.Equal(accepted.GetProperty("id").GetGuid(), (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        }

        using (var cancel = await tenant.Client.PostAsJsonAsync($"/api/v1/jobs/{jobId}/cancel", new { }, Ct))
        {
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct));
        }

        using (var now = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" }))
        {
            var fresh = (await now.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
            Assert.NotEqual(accepted.GetProperty("id").GetGuid(), fresh);
            await WaitAsync(tenant.Client, fresh, "succeeded");
        }

        var cancelled = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/publications/{accepted.GetProperty("id").GetGuid()}", Ct);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        using var past = await PublishAsync(tenant.Client, await CopyApiTests.BottleAsync(tenant.Client, "PUB-PAST"), new { marketplace = "shopify", scheduledFor = TimeProvider.System.GetUtcNow().AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(PublishingErrors.ScheduleInPast, (await past.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("scheduledFor")[0].GetString());
    }

    [Fact]
    public async Task KeepInSync_PushesAChangedPriceOnce_AndNothingWhenUnchanged()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-SYNC");
        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify", keepInSync = true });
        await WaitAsync(tenant.Client, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(), "succeeded");
        var sweep = _app.Services.GetRequiredService<KeepInSyncSweep>();
        Assert.Equal(0, await sweep.RunAsync(Ct));

        var detail = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{product}", Ct);
        var variants = detail.GetProperty("variants").EnumerateArray().Select(v => new
        {
            sku = v.GetProperty("sku").GetString(),
            options = v.GetProperty("options"),
            priceMinor = v.GetProperty("sku").GetString()!.EndsWith("BLK", StringComparison.Ordinal) ? 1999 : v.GetProperty("priceMinor").GetInt64(),
            currency = v.GetProperty("currency").GetString(),
            stock = v.GetProperty("stock").GetInt32(),
        }).ToList();
        using (var patch = await tenant.Client.PatchAsJsonAsync($"/api/v1/products/{product}", new { variants }, Ct))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync(Ct));
        }

        var syncs = _platform.SyncCalls;
        Assert.Equal(1, await sweep.RunAsync(Ct));
        var second = await sweep.RunAsync(Ct);
        Assert.True(second == 0, "second sweep queued again: " + await tenant.Client.GetStringAsync($"/api/v1/products/{product}/publications", Ct)); // one under way: not queued twice
        var history = await WaitForHistoryAsync(tenant.Client, product, h => h.Any(p => p.GetProperty("action").GetString() == "syncOffers" && p.GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(syncs + 1, _platform.SyncCalls);
        Assert.Equal(1999, _platform.Sent.Last(d => d.ProductId == product).Variants.Single(v => v.Sku.EndsWith("BLK", StringComparison.Ordinal)).PriceMinor);
        Assert.Equal(0, await sweep.RunAsync(Ct));
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task Unpublish_TakesTheListingDown_AndASecondIsRefused()
    {
        using var tenant = await ReadyTenantAsync();
        await ConnectedAsync(tenant.Client);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-DOWN");
        using var response = await PublishAsync(tenant.Client, product, new { marketplace = "shopify" });
        await WaitAsync(tenant.Client, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(), "succeeded");
        var listing = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/listings?productId={product}", Ct)).EnumerateArray());
        var listingId = listing.GetProperty("id").GetGuid();

        using var down = await tenant.Client.PostAsync($"/api/v1/listings/{listingId}/unpublish", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, down.StatusCode);
        await WaitAsync(tenant.Client, (await down.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(), "succeeded");

        Assert.False(_platform.Listings.ContainsKey(listingId.ToString("N")));
        listing = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/listings?productId={product}", Ct)).EnumerateArray());
        Assert.Equal("unpublished", listing.GetProperty("status").GetString());
        using var again = await tenant.Client.PostAsync($"/api/v1/listings/{listingId}/unpublish", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private async Task<ApiTenant> ReadyTenantAsync()
    {
        var tenant = await _app.CreateApiTenantAsync();
        await _app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        return tenant;
    }

    private static Task<HttpResponseMessage> ConnectAsync(HttpClient client, string shop, string token) =>
        client.PostAsJsonAsync("/api/v1/connections", new { platform = "shopify", name = "Main store", credentials = new Dictionary<string, string> { ["shop"] = shop, ["access_token"] = token } }, Ct);

    private static async Task<Guid> ConnectedAsync(HttpClient client)
    {
        using var response = await ConnectAsync(client, "acme", "token-" + Guid.NewGuid().ToString("N"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> PublishAsync(HttpClient client, Guid product, object body) =>
        client.PostAsJsonAsync($"/api/v1/products/{product}/publications", body, Ct);

    private async Task<long> GaugeAsync(Guid workspaceId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetConnectionsGaugeAsync(workspaceId, Ct)).Connections;
    }

    internal static async Task<JsonElement> WaitAsync(HttpClient client, Guid publicationId, string status)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var publication = await client.GetFromJsonAsync<JsonElement>($"/api/v1/publications/{publicationId}", Ct);
            var now = publication.GetProperty("status").GetString();
            if (now == status)
            {
                return publication;
            }

            Assert.False(now is "succeeded" or "failed" or "blocked" or "cancelled", $"publication ended {now}, expected {status}: {publication}");
            // A bound, not a speed check: retries and polls wait for the scheduler on two shared cores.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"publication {publicationId} is still {now}: {publication}");
            await Task.Delay(200, Ct);
        }
    }

    private static async Task<List<JsonElement>> WaitForHistoryAsync(HttpClient client, Guid product, Func<List<JsonElement>, bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var history = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{product}/publications", Ct)).EnumerateArray().ToList();
            if (done(history))
            {
                return history;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "history: " + string.Join(", ", history));
            await Task.Delay(200, Ct);
        }
    }
}
