using System.Net;
using System.Net.Http.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Publishing;

/// <summary>The plan's connections gauge under concurrency, on both databases: it never passes the limit and never leaks.</summary>
public sealed class ConnectionGaugeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ConcurrentConnects_AdmitExactlyThePlansLimit_AndDisconnectsFreeEachPlaceOnce(DatabaseKind kind)
    {
        await using var app = await PublishingWorld.StartAsync(new ScriptedPublisher(), kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await tenant.Client.PostAsJsonAsync(
                "/api/v1/connections", new { platform = "shopify", name = $"Store {i}", credentials = new Dictionary<string, string> { ["shop"] = $"shop-{i}", ["access_token"] = $"t{i}" } }, Ct);
            return response.StatusCode;
        }));

        Assert.Equal(3, attempts.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(5, attempts.Count(s => s == HttpStatusCode.Conflict));
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(3, await db.MarketplaceConnections.CountAsync(Ct));
        }

        Assert.Equal(3, await GaugeAsync(app, tenant.WorkspaceId));

        var ids = (await tenant.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/connections", Ct)).EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(3, ids.Count);
        await Task.WhenAll(ids.Concat(ids).Select(async id =>
        {
            using var response = await tenant.Client.DeleteAsync($"/api/v1/connections/{id}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }));

        Assert.Equal(0, await GaugeAsync(app, tenant.WorkspaceId));
    }

    private static async Task<long> GaugeAsync(AppFactory app, Guid workspaceId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetConnectionsGaugeAsync(workspaceId, Ct)).Connections;
    }
}
