using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Billing;

/// <summary>Enterprise by contact: only a system administrator sets it, with the contract's limits, which apply at once.</summary>
public sealed class EnterprisePlanTests : IAsyncLifetime
{
    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await AppFactory.StartAsync(DatabaseKind.Sqlite);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnAdministrator_SetsEnterpriseWithCustomLimits_AndTakesItBack()
    {
        using var seller = await _app.CreateApiTenantAsync();
        using var admin = await _app.CreateApiTenantAsync();
        await using (var db = _app.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == admin.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, true), Ct);
        }

        var byTheSeller = await SetAsync(seller.UserId, new EnterpriseTerms(seller.WorkspaceId, true, new Dictionary<string, long?>()));
        var invalid = await SetAsync(admin.UserId, new EnterpriseTerms(seller.WorkspaceId, true, new Dictionary<string, long?> { ["rockets"] = 1, [Meters.Images] = -5 }));
        var set = await SetAsync(admin.UserId, new EnterpriseTerms(seller.WorkspaceId, true, new Dictionary<string, long?> { [Meters.Images] = 1_000, [Meters.Videos] = null }));

        Assert.Equal(ResultStatus.Forbidden, byTheSeller.Status);
        Assert.Equal([BillingErrors.LimitOutOfRange, BillingErrors.MeterUnknown], invalid.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
        Assert.True(set.IsSuccess);
        var subscription = await seller.Client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct);
        Assert.Equal(PlanCatalog.Enterprise, subscription.GetProperty("plan").GetString());
        var meters = (await seller.Client.GetFromJsonAsync<JsonElement>("/api/v1/usage", Ct)).GetProperty("meters").EnumerateArray()
            .ToDictionary(m => m.GetProperty("meter").GetString()!, m => m.GetProperty("limit"));
        Assert.Equal(1_000, meters[Meters.Images].GetInt64());
        Assert.Equal(JsonValueKind.Null, meters[Meters.Videos].ValueKind);

        Assert.True((await SetAsync(admin.UserId, new EnterpriseTerms(seller.WorkspaceId, false, new Dictionary<string, long?>()))).IsSuccess);
        var back = await seller.Client.GetFromJsonAsync<JsonElement>("/api/v1/usage", Ct);
        Assert.Contains(back.GetProperty("meters").EnumerateArray(), m => m.GetProperty("meter").GetString() == Meters.Images && m.GetProperty("limit").GetInt64() == 5);
    }

    [Fact]
    public async Task AnAdministrator_GrantsFeaturesOnTopOfThePlan_AndTakesThemBack()
    {
        using var seller = await _app.CreateApiTenantAsync();
        using var admin = await _app.CreateApiTenantAsync();
        await using (var db = _app.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == admin.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, true), Ct);
        }

        using var product = await seller.Client.PostAsJsonAsync("/api/v1/products", new { sku = "GRANT-1", title = "Steel bottle" }, Ct);
        var productId = (await product.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using (var starter = await seller.Client.GetAsync($"/api/v1/products/{productId}/seo?marketplace=amazon", Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, starter.StatusCode);
        }

        var unknown = await SetAsync(admin.UserId, new EnterpriseTerms(seller.WorkspaceId, false, new Dictionary<string, long?>(), ["rockets"]));
        var granted = await SetAsync(admin.UserId, new EnterpriseTerms(seller.WorkspaceId, false, new Dictionary<string, long?>(), [PlanFeatures.ApiAccess, PlanFeatures.Seo]));

        Assert.Equal([BillingErrors.FeatureUnknown], unknown.Errors.Select(e => e.Code));
        Assert.True(granted.IsSuccess);
        using (var withSeo = await seller.Client.GetAsync($"/api/v1/products/{productId}/seo?marketplace=amazon", Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, withSeo.StatusCode);
        }

        // Still Starter: a grant adds a feature, not a plan.
        Assert.Equal(PlanCatalog.Starter, (await seller.Client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct)).GetProperty("plan").GetString());

        Assert.True((await SetAsync(admin.UserId, new EnterpriseTerms(seller.WorkspaceId, false, new Dictionary<string, long?>(), []))).IsSuccess);
        using var refused = await seller.Client.GetAsync("/api/v1/subscription", Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("api.feature_required", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    private async Task<Result> SetAsync(Guid userId, EnterpriseTerms terms)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SetEnterprisePlan>().HandleAsync(userId, terms, Ct);
    }
}
