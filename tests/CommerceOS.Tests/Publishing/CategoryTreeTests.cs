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
/// The platforms' own category trees: read in the background when a store is connected, kept fresh by the daily sweep,
/// matched against the product on its publish page, and dropped when the store is disconnected.
/// </summary>
public sealed class CategoryTreeTests : IAsyncLifetime
{
    private readonly ScriptedPublisher _platform = new(Platforms.Taobao);
    private readonly ScriptedCategorySource _categories = new(Platforms.Taobao);
    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await PublishingWorld.StartAsync(_platform, categories: _categories);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Connecting_ReadsTheTree_AndThePreviewSuggestsItsLeaves_WithTheirPaths()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, await TreeJobAsync(tenant.WorkspaceId, connection));
        Assert.Equal(6, job.GetProperty("output").GetProperty("nodes").GetInt32());
        var product = await CopyApiTests.BottleAsync(tenant.Client, "TREE-1");

        var preview = await PreviewAsync(tenant.Client, product, connection);

        var tree = preview.GetProperty("categoryTree");
        Assert.Equal(4, tree.GetProperty("leaves").GetInt32());
        Assert.True(tree.GetProperty("complete").GetBoolean());
        Assert.False(tree.GetProperty("refreshing").GetBoolean());
        Assert.Equal(JsonValueKind.String, tree.GetProperty("fetchedAt").ValueKind);
        var first = preview.GetProperty("categorySuggestions")[0];
        Assert.Equal("3", first.GetProperty("id").GetString());
        Assert.Equal("家居 Home > Kitchen & Dining > Water Bottles & Flasks", first.GetProperty("path").GetString());
        Assert.DoesNotContain(preview.GetProperty("categorySuggestions").EnumerateArray(), s => s.GetProperty("id").GetString() is "5" or "2");
    }

    [Fact]
    public async Task AnExplicitCategoryId_StaysFirst_AndGainsThePlatformsPath()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, await TreeJobAsync(tenant.WorkspaceId, connection));
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/products", new
        {
            sku = "TREE-2",
            title = "Insulated Stainless Steel Water Bottle XR-500",
            category = "Water Bottles",
            attributes = new object[] { new { name = "淘宝类目", type = "text", value = "4" } },
        }, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var product = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var suggestions = (await PreviewAsync(tenant.Client, product, connection)).GetProperty("categorySuggestions");

        Assert.Equal("4", suggestions[0].GetProperty("id").GetString());
        Assert.Equal(1.0, suggestions[0].GetProperty("score").GetDouble());
        Assert.Equal("家居 Home > Kitchen & Dining > Mugs", suggestions[0].GetProperty("path").GetString());
        Assert.Equal("3", suggestions[1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ARateLimit_WaitsWithoutAnAttempt_AndRenewedTokensAreStored()
    {
        using var tenant = await ReadyTenantAsync();
        _categories.Script.Enqueue(session =>
        {
            session.Renew("access_token", "renewed-token");
            throw new ProviderException(ProviderFailure.RateLimited, "slow down", retryAfter: TimeSpan.FromSeconds(1));
        });
        var before = _categories.Calls;
        var connection = await ConnectedAsync(tenant.Client);

        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, await TreeJobAsync(tenant.WorkspaceId, connection));

        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.True(_categories.Calls >= before + 2);
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        var row = await db.MarketplaceConnections.SingleAsync(c => c.Id == connection, Ct);
        Assert.Equal("renewed-token", _app.Services.GetRequiredService<ConnectionSecrets>().Unprotect(row)!["access_token"]);
        Assert.Equal(1, await db.MarketplaceCategoryCaches.CountAsync(c => c.ConnectionId == connection, Ct));
    }

    [Fact]
    public async Task RefusedCredentials_EndTheJob_AndStoreNothing()
    {
        using var tenant = await ReadyTenantAsync();
        _categories.Script.Enqueue(_ => throw new ProviderException(ProviderFailure.Misconfigured, "session expired"));
        var connection = await ConnectedAsync(tenant.Client);

        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, await TreeJobAsync(tenant.WorkspaceId, connection));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(PublishingErrors.CredentialsRefused, job.GetProperty("lastErrorCode").GetString());
        var preview = await PreviewAsync(tenant.Client, await CopyApiTests.BottleAsync(tenant.Client, "TREE-3"), connection);
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("categoryTree").GetProperty("fetchedAt").ValueKind);
    }

    [Fact]
    public async Task TheSweep_RereadsOnlyStaleTrees_Once()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, await TreeJobAsync(tenant.WorkspaceId, connection));
        var sweep = _app.Services.GetRequiredService<CategoryTreeSweep>();

        // Fresh trees (this one and any other test's) are left alone.
        await using (var db = _app.Database.CreateContext(tenant.WorkspaceId))
        {
            await sweep.RunAsync(Ct);
            Assert.Equal(1, await db.Jobs.CountAsync(j => j.Kind == CategoryTrees.JobKind && j.SubjectId == connection, Ct));

            await db.MarketplaceCategoryCaches.Where(c => c.ConnectionId == connection)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FetchedAt, c => c.FetchedAt.AddDays(-8)), Ct);
        }

        await Task.WhenAll(sweep.RunAsync(Ct), sweep.RunAsync(Ct));

        await using var check = _app.Database.CreateContext(tenant.WorkspaceId);
        var jobs = await check.Jobs.Where(j => j.Kind == CategoryTrees.JobKind && j.SubjectId == connection).OrderBy(j => j.CreatedAt).ToListAsync(Ct);
        Assert.Equal(2, jobs.Count);
        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, jobs[1].Id);
    }

    [Fact]
    public async Task Disconnecting_DropsTheTree()
    {
        using var tenant = await ReadyTenantAsync();
        var connection = await ConnectedAsync(tenant.Client);
        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, await TreeJobAsync(tenant.WorkspaceId, connection));

        using var response = await tenant.Client.DeleteAsync($"/api/v1/connections/{connection}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.MarketplaceCategoryCaches.CountAsync(c => c.ConnectionId == connection, Ct));
    }

    private async Task<ApiTenant> ReadyTenantAsync()
    {
        var tenant = await _app.CreateApiTenantAsync();
        await _app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        return tenant;
    }

    private static async Task<Guid> ConnectedAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync(
            "/api/v1/connections",
            new { platform = Platforms.Taobao, name = "淘宝店", credentials = new Dictionary<string, string> { ["shop"] = "acme", ["access_token"] = "token-" + Guid.NewGuid().ToString("N") } },
            Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private async Task<Guid> TreeJobAsync(Guid workspaceId, Guid connection)
    {
        await using var db = _app.Database.CreateContext(workspaceId);
        return await db.Jobs.Where(j => j.Kind == CategoryTrees.JobKind && j.SubjectId == connection).Select(j => j.Id).SingleAsync(Ct);
    }

    private static async Task<JsonElement> PreviewAsync(HttpClient client, Guid product, Guid connection)
    {
        using var response = await client.GetAsync($"/api/v1/products/{product}/listing-preview?connectionId={connection}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
