using System.Net;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Workflows.Pages.WorkflowPageHelpers;

namespace CommerceOS.Tests.Publishing;

/// <summary>The Publish Center pages against a fake Shopify adapter: connections, the gate on the product page, batch publish, plans, roles, Chinese.</summary>
public sealed class PublishCenterPageTests
{
    private const string Center = "/app/publish";

    private const string GoodToken = "shpat_good";

    private const string ShopLabel = "Test Shop";

    /// <summary>A shop that takes one token and needs a title, prices and a category.</summary>
    private static ScriptedPublisher PageShop() => new()
    {
        OnlyToken = GoodToken,
        AccountLabel = ShopLabel,
        RequiredFields = [ListingFields.Title, ListingFields.Price, ListingFields.Category],
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Center_ConnectRefusalsShownOnTheirFields_ThenConnectCheckAndDisconnect(DatabaseKind kind)
    {
        var fake = PageShop();
        await using var app = await PublishingWorld.StartAsync(fake, kind);
        using var session = await BrowserSession.SignUpAsync(app);

        var empty = await session.Client.GetStringAsync(Center, Ct);
        Has(empty,
            "id=\"connections-empty\"",
            "0 of 1 connections",
            "data-connect=\"shopify\"",
            "type=\"password\" name=\"Connect.Values[access_token]\"",
            "Admin API access token",
            "value=\"2026-01\"");
        Assert.DoesNotContain("id=\"coming-soon\"", empty, StringComparison.Ordinal);
        // The Starter plan connects but does not publish: the explanation and the plans, not an error page.
        Assert.Contains("id=\"publish-upgrade\"", empty, StringComparison.Ordinal);
        Assert.Contains("Publishing to marketplaces is part of the Creator plan", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"batch-form\"", empty, StringComparison.Ordinal);

        // Missing and malformed fields: each message under its own input, nothing saved.
        using (var missing = await ConnectAsync(session, "bad shop", ""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            var html = await missing.Content.ReadAsStringAsync(Ct);
            Has(html,
                "data-field-error=\"access_token\">This field is required to connect.",
                "data-field-error=\"shop\">This value is not in the form the platform uses",
                "value=\"bad shop\"");
        }

        // The platform refuses the token: said in words on the form; the secret is not sent back.
        using (var refused = await ConnectAsync(session, "test-shop.myshopify.com", "shpat_wrong_secret"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Contains("The platform refused these credentials.", html, StringComparison.Ordinal);
            Assert.DoesNotContain("shpat_wrong_secret", html, StringComparison.Ordinal);
            Assert.Contains("<details class=\"card stack\" data-connect=\"shopify\" open=\"open\">", html, StringComparison.Ordinal);
        }

        Assert.Empty(await app.InWorkspaceAsync(session, async s => await s.GetRequiredService<Core.Data.AppDbContext>().MarketplaceConnections.ToListAsync(Ct)));

        using (var connected = await ConnectAsync(session, "test-shop.myshopify.com", GoodToken, "EU store"))
        {
            Assert.Equal(HttpStatusCode.Redirect, connected.StatusCode);
            Assert.Equal($"{Center}?done=connected#connections", connected.Headers.Location!.OriginalString);
        }

        var page = await session.Client.GetStringAsync($"{Center}?done=connected", Ct);
        var connectionId = await app.InWorkspaceAsync(session, async s => (await s.GetRequiredService<Core.Data.AppDbContext>().MarketplaceConnections.SingleAsync(Ct)).Id);
        Has(page,
            "id=\"publish-notice\"",
            $"data-connection=\"{connectionId}\" data-status=\"active\"",
            "EU store",
            ShopLabel,
            "1 of 1 connections");
        Assert.DoesNotContain(GoodToken, page, StringComparison.Ordinal);
        Assert.Contains($"data-disconnect=\"{connectionId}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-confirm=\"Disconnect EU store?", page, StringComparison.Ordinal);

        // The plan's gauge is full: a second store is refused in words.
        using (var second = await ConnectAsync(session, "other-shop.myshopify.com", GoodToken))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains("Your plan allows 1 store connection(s) and 1 are in use.", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var check = await session.PostFormAsync($"{Center}?handler=check&connection={connectionId}", [], Center))
        {
            Assert.Equal(HttpStatusCode.Redirect, check.StatusCode);
        }

        using (var disconnect = await session.PostFormAsync($"{Center}?handler=disconnect&connection={connectionId}", [], Center))
        {
            Assert.Equal(HttpStatusCode.Redirect, disconnect.StatusCode);
        }

        var after = await session.Client.GetStringAsync(Center, Ct);
        Assert.Contains($"data-connection=\"{connectionId}\" data-status=\"disconnected\"", after, StringComparison.Ordinal);
        Assert.Contains("0 of 1 connections", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-disconnect=\"{connectionId}\"", after, StringComparison.Ordinal);

        using var unknown = await session.PostFormAsync($"{Center}?handler=check&connection={Guid.CreateVersion7()}", [], Center);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ProductPage_ShowsTheGateWithFixesAndTheChecklist_RefusesBlocked_PublishesMapped_AndTheCenterShowsListingAndQueue(DatabaseKind kind)
    {
        var fake = PageShop();
        await using var app = await PublishingWorld.StartAsync(fake, kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);
        var store = await ConnectedStoreAsync(app, session);
        var productId = await PublishingWorld.ProductAsync(app, session, "BOTTLE-1", 1999);

        var product = await session.Client.GetStringAsync($"/app/products/{productId}", Ct);
        Assert.Contains($"href=\"/app/publish/products/{productId}\" id=\"open-publish\"", product, StringComparison.Ordinal);

        var url = $"{Center}/products/{productId}?store={store}";
        var page = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("data-blocked=\"true\"", page, StringComparison.Ordinal);
        // The category is required and not mapped yet: blocking, on its field, with the fix.
        Has(page,
            "<li data-field=\"category\">",
            "data-issue=\"publishing.gate.required\" data-blocking=\"true\"",
            "The platform requires a category.",
            "How to fix: Add it to the product, or map it in the listing&#x27;s category and attributes.");
        // No listing copy yet: a warning (amber) that lets the publish through.
        Has(page,
            "class=\"alert alert-warn\" data-issue=\"publishing.gate.no_copy\" data-blocking=\"false\"",
            "data-required=\"title\" data-done=\"true\"",
            "data-required=\"price\" data-done=\"true\"",
            "data-required=\"category\" data-done=\"false\"");
        // The attributes editor starts from the product's attributes, normalised.
        Has(page,
            "name=\"Form.Attributes[0].Name\" value=\"Colour\"",
            "name=\"Form.Attributes[0].Value\" value=\"Navy\"",
            "id=\"publish-submit\"");

        // Publishing it as it is: refused, the blocking problem and its fix shown, nothing queued.
        using (var blocked = await session.PostFormAsync($"{Center}/products/{productId}?handler=publish&store={store}", new() { ["Form.CategoryId"] = "" }, url))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
            var html = await blocked.Content.ReadAsStringAsync(Ct);
            Has(html,
                "id=\"publish-refused\"",
                "The compliance check found problems",
                "The platform requires a category.");
        }

        Assert.Equal(0, await app.InWorkspaceAsync(session, s => s.GetRequiredService<Core.Data.AppDbContext>().Publications.CountAsync(Ct)));

        // A schedule that is not a date is refused on its field.
        using (var badDate = await session.PostFormAsync($"{Center}/products/{productId}?handler=publish&store={store}", new() { ["Form.CategoryId"] = "gid://shopify/TaxonomyCategory/hg-11", ["Form.ScheduledFor"] = "soon" }, url))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
            Assert.Contains("data-field-error=\"scheduledFor\">Enter a date and time", await badDate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var published = await session.PostFormAsync($"{Center}/products/{productId}?handler=publish&store={store}", new()
        {
            ["Form.CategoryId"] = "gid://shopify/TaxonomyCategory/hg-11",
            ["Form.Attributes[0].Name"] = "Color",
            ["Form.Attributes[0].Value"] = "navy blue",
            ["Form.Attributes[1].Name"] = "",
            ["Form.KeepInSync"] = "true",
        }, url))
        {
            Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
            Assert.Equal($"{url}&done=queued#publish-history", published.Headers.Location!.OriginalString);
        }

        var listing = await app.InWorkspaceAsync(session, s => s.GetRequiredService<Core.Data.AppDbContext>().MarketplaceListings.SingleAsync(Ct));
        Assert.Equal("gid://shopify/TaxonomyCategory/hg-11", listing.CategoryId);
        Assert.True(listing.KeepInSync);
        Assert.Equal("{\"Color\":\"Navy\"}", listing.AttributesJson);

        var history = await session.Client.GetStringAsync($"{url}&done=queued", Ct);
        Has(history,
            "id=\"publish-notice\"",
            "id=\"publish-history\"",
            "data-publication=",
            "data-required=\"category\" data-done=\"true\"",
            "value=\"gid://shopify/TaxonomyCategory/hg-11\"");

        // The center lists the listing and the publication; the queue polls while it is not finished.
        var center = await session.Client.GetStringAsync(Center, Ct);
        Has(center,
            $"data-listing=\"{listing.Id}\"",
            "data-keep-in-sync=\"true\"",
            "Product BOTTLE-1",
            "id=\"publish-queue\"");
        var publication = await app.InWorkspaceAsync(session, s => s.GetRequiredService<Core.Data.AppDbContext>().Publications.SingleAsync(Ct));
        Assert.Contains($"data-publication=\"{publication.Id}\"", center, StringComparison.Ordinal);
        var live = await session.Client.GetStringAsync($"{Center}?handler=live", Ct);
        Assert.StartsWith("<div id=\"publish-queue\"", live.TrimStart(), StringComparison.Ordinal);
        // Polling exactly while a shown publication can still change (the job may finish between two reads).
        var active = new[] { "scheduled", "queued", "running", "pending" }.Any(s => live.Contains($"data-status=\"{s}\"", StringComparison.Ordinal));
        Assert.Equal(active, live.Contains("hx-trigger=\"every 3s\"", StringComparison.Ordinal));
        var productLive = await session.Client.GetStringAsync($"{Center}/products/{productId}?handler=live", Ct);
        Assert.StartsWith("<div id=\"publish-history\"", productLive.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Batch_QueuesThePassingProducts_ReportsBlockedOnesWithWhyAndUnknownSkus(DatabaseKind kind)
    {
        var fake = PageShop();
        await using var app = await PublishingWorld.StartAsync(fake, kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);
        var store = await ConnectedStoreAsync(app, session);
        var priced = await PublishingWorld.ProductAsync(app, session, "BATCH-1", 2500);
        var unpriced = await PublishingWorld.ProductAsync(app, session, "BATCH-2", null);
        // The category is mapped on the priced product's listing beforehand, so only the price decides.
        await app.InWorkspaceAsync(session, async s =>
        {
            foreach (var id in new[] { priced, unpriced })
            {
                var result = await s.GetRequiredService<RequestPublication>().PublishAsync(
                    id, new PublishInput(null, store, s.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(1), CategoryId: "gid://shopify/TaxonomyCategory/hg-11"), Ct);
                Assert.True(result.IsSuccess, result.ToString());
            }

            var db = s.GetRequiredService<Core.Data.AppDbContext>();
            await db.Publications.ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PublicationStatus.Cancelled), Ct);
            return 0;
        });

        var page = await session.Client.GetStringAsync(Center, Ct);
        Assert.Contains("id=\"batch-form\"", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"Batch.ProductIds\" value=\"{priced}\"", page, StringComparison.Ordinal);

        using var batch = await PostAsync(session, $"{Center}?handler=batch", [
            new("Batch.Store", store.ToString()), new("Batch.ProductIds", priced.ToString()), new("Batch.Skus", "BATCH-2, NOPE-9")], Center);
        Assert.Equal(HttpStatusCode.Redirect, batch.StatusCode);
        var location = batch.Headers.Location!.OriginalString;
        Has(location,
            $"queued={priced}",
            $"blocked={unpriced}",
            "unknown=NOPE-9");

        var report = await session.Client.GetStringAsync(location, Ct);
        Has(report,
            "Batch publish: 1 queued, 2 not published",
            "data-batch-product=\"BATCH-1\" data-outcome=\"queued\"",
            "data-batch-product=\"BATCH-2\" data-outcome=\"blocked\"",
            "data-issue=\"publishing.gate.no_price\" data-blocking=\"true\"",
            "Set a price for every variant in the product.",
            "data-batch-product=\"NOPE-9\" data-outcome=\"unknown\"",
            "No product has this SKU.");

        // Nothing chosen: said in words, nothing queued.
        using var none = await PostAsync(session, $"{Center}?handler=batch", [new("Batch.Store", store.ToString())], Center);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("Choose at least one product or SKU.", await none.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WithoutThePlanFeature_TheProductPageExplainsAndPointsToThePlans_AndAViewerSeesButCannotAct(DatabaseKind kind)
    {
        var fake = PageShop();
        await using var app = await PublishingWorld.StartAsync(fake, kind);
        using var session = await BrowserSession.SignUpAsync(app);
        var store = await ConnectedStoreAsync(app, session);
        var productId = await PublishingWorld.ProductAsync(app, session, "STARTER-1", 1500);
        var url = $"{Center}/products/{productId}?store={store}";

        var page = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("id=\"publish-upgrade\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/billing\" id=\"publish-upgrade-link\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"publish-submit\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"publish-checklist\"", page, StringComparison.Ordinal);

        using (var refused = await session.PostFormAsync($"{Center}/products/{productId}?handler=publish&store={store}", new() { ["Form.CategoryId"] = "x" }, url))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
            Assert.Contains("Publishing to marketplaces is part of the Creator plan", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);
        await SetRoleAsync(app, session, WorkspaceRole.Viewer);
        var center = await session.Client.GetStringAsync(Center, Ct);
        Has(center,
            "id=\"publish-read-only\"",
            "id=\"connect-admins-only\"",
            $"data-connection=\"{store}\"");
        Assert.DoesNotContain("data-check=", center, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"batch-form\"", center, StringComparison.Ordinal);
        var viewerPage = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("id=\"publish-read-only\"", viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"publish-submit\"", viewerPage, StringComparison.Ordinal);

        using (var publish = await session.PostFormAsync($"{Center}/products/{productId}?handler=publish&store={store}", [], url))
        {
            Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
        }

        using (var disconnect = await session.PostFormAsync($"{Center}?handler=disconnect&connection={store}", [], Center))
        {
            Assert.Equal(HttpStatusCode.Forbidden, disconnect.StatusCode);
        }

        using var batch = await PostAsync(session, $"{Center}?handler=batch", [new("Batch.Store", store.ToString()), new("Batch.ProductIds", productId.ToString())], Center);
        Assert.Equal(HttpStatusCode.Forbidden, batch.StatusCode);
        Assert.Equal(0, await app.InWorkspaceAsync(session, s => s.GetRequiredService<Core.Data.AppDbContext>().Publications.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Pages_RenderInChinese_WithLocalizedFieldsIssuesAndRefusals(DatabaseKind kind)
    {
        var fake = PageShop();
        await using var app = await PublishingWorld.StartAsync(fake, kind);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        await app.SetPlanAsync(session.WorkspaceId, PlanCatalog.Creator);

        var center = await session.Client.GetStringAsync(Center, Ct);
        Has(center,
            "<html lang=\"zh-CN\">",
            "发布中心",
            "已用 0 / 3 个连接",
            "验证并连接");

        using (var refused = await ConnectAsync(session, "test-shop.myshopify.com", "wrong"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("平台拒绝了这些凭据", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var store = await ConnectedStoreAsync(app, session);
        var productId = await PublishingWorld.ProductAsync(app, session, "ZH-1", null);
        var page = await session.Client.GetStringAsync($"{Center}/products/{productId}?store={store}", Ct);
        Has(page,
            "合规检查",
            "<strong>类目</strong>",
            "阻止发布",
            "修改建议：",
            "平台必填字段");
    }

    private static void Has(string html, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, html, StringComparison.Ordinal);
        }
    }

    internal static async Task<HttpResponseMessage> ConnectAsync(BrowserSession session, string shop, string token, string? name = null) =>
        await session.PostFormAsync($"{Center}?handler=connect", new()
        {
            ["Connect.Platform"] = "shopify",
            ["Connect.Name"] = name ?? "",
            ["Connect.Values[shop]"] = shop,
            ["Connect.Values[access_token]"] = token,
            ["Connect.Values[api_version]"] = "",
        }, Center);

    /// <summary>Connects the fake store through the page and returns its id.</summary>
    internal static async Task<Guid> ConnectedStoreAsync(AppFactory app, BrowserSession session)
    {
        using (var connected = await ConnectAsync(session, "test-shop.myshopify.com", GoodToken, "Main store"))
        {
            Assert.Equal(HttpStatusCode.Redirect, connected.StatusCode);
        }

        return await app.InWorkspaceAsync(session, async s => (await s.GetRequiredService<Core.Data.AppDbContext>().MarketplaceConnections
            .SingleAsync(c => c.Status == ConnectionStatus.Active, Ct)).Id);
    }
}
