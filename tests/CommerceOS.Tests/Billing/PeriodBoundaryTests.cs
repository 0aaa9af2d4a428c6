using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// A trial, an upgrade, a downgrade and a cancellation each meter and bill correctly across a period boundary, on a fake
/// clock, checked the day before and the day after it: the plan, the quota in force, the period (quotas reset at its
/// start) and the invoices.
/// </summary>
public sealed class PeriodBoundaryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _app = await AppFactory.StartAsync(DatabaseKind.Sqlite, services: s => s.AddSingleton<TimeProvider>(_clock));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ATrial_MetersThePlan_AndEndsOnStarterWithoutBillingAnything()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        Assert.True((await InWorkspace(tenant).GetRequiredService<StartTrial>().HandleAsync(PlanCatalog.Creator, Ct)).IsSuccess);
        Assert.Equal(200, await ImagesLimitAsync(tenant));
        using var product = await tenant.Client.PostAsJsonAsync("/api/v1/products", new { sku = "TRIAL-1", title = "Steel bottle" }, Ct);
        var seo = $"/api/v1/products/{(await product.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid()}/seo?marketplace=amazon";

        _clock.Advance(TimeSpan.FromDays(6));
        using (var during = await tenant.Client.GetAsync(seo, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        Assert.Equal(("creator", "trialing"), await PlanAsync(tenant));

        _clock.Advance(TimeSpan.FromDays(2));
        // The trial's features end with it, before anything has written the period's roll.
        await using (var db = _app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(PlanCatalog.Creator, (await db.Subscriptions.SingleAsync(Ct)).PlanCode);
        }

        using (var after = await tenant.Client.GetAsync(seo, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
        }

        Assert.Equal(("starter", "active"), await PlanAsync(tenant));
        Assert.Equal(5, await ImagesLimitAsync(tenant));
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/billing/invoices", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task AnUpgradeNow_ADowngradeAtThePeriodEnd_PaidAhead_MeterAndBillCorrectly()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        await PayAsync(tenant, PlanCatalog.Creator, "monthly");
        var (start, end) = await PeriodAsync(tenant);
        Assert.Equal(200, await ImagesLimitAsync(tenant));

        _clock.Advance(TimeSpan.FromDays(10));
        var expected = Pricing.Upgrade(5_900, BillingCycle.Monthly, start, end, PlanCatalog.Seed.Single(p => p.Code == PlanCatalog.Business), BillingCycle.Monthly, "CNY", _clock.GetUtcNow().UtcDateTime);
        var upgrade = await PayAsync(tenant, PlanCatalog.Business, "monthly");
        Assert.Equal(expected.DueMinor, upgrade.GetProperty("amountMinor").GetInt64());
        Assert.Equal(("business", "active"), await PlanAsync(tenant));
        Assert.Equal(500, await ImagesLimitAsync(tenant));
        Assert.Equal((start, end), await PeriodAsync(tenant));

        var downgrade = await InWorkspace(tenant).GetRequiredService<ChangePlan>().HandleAsync(PlanChangeAction.Downgrade, PlanCatalog.Creator, BillingCycle.Monthly, Ct);
        Assert.Equal(PlanCatalog.Creator, downgrade.Value.PendingPlan);
        var renewal = await PayAsync(tenant, PlanCatalog.Creator, "monthly");
        Assert.Equal(("renew", 5_900L), (renewal.GetProperty("kind").GetString(), renewal.GetProperty("amountMinor").GetInt64()));

        _clock.SetUtcNow(new DateTimeOffset(end.AddDays(-1), TimeSpan.Zero));
        Assert.Equal(("business", "active"), await PlanAsync(tenant));
        Assert.Equal(500, await ImagesLimitAsync(tenant));

        _clock.SetUtcNow(new DateTimeOffset(end.AddDays(1), TimeSpan.Zero));
        Assert.Equal(("creator", "active"), await PlanAsync(tenant));
        Assert.Equal(200, await ImagesLimitAsync(tenant));
        Assert.Equal(end, (await PeriodAsync(tenant)).Start);

        var totals = (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/billing/invoices", Ct)).EnumerateArray()
            .Select(i => i.GetProperty("totalMinor").GetInt64()).Order().ToList();
        Assert.Equal(new[] { 5_900L, 5_900L, expected.DueMinor }.Order(), totals);

        // Not renewed again: the plan lapses to Starter at the next boundary.
        _clock.SetUtcNow(new DateTimeOffset(end.AddMonths(1).AddDays(1), TimeSpan.Zero));
        Assert.Equal(("starter", "active"), await PlanAsync(tenant));
    }

    [Fact]
    public async Task ACancellation_KeepsThePlanToThePeriodEnd_ThenStarterQuotasApply()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        await PayAsync(tenant, PlanCatalog.Business, "annual");
        var (_, end) = await PeriodAsync(tenant);
        Assert.True((await InWorkspace(tenant).GetRequiredService<ChangePlan>().HandleAsync(PlanChangeAction.Cancel, null, null, Ct)).IsSuccess);

        _clock.SetUtcNow(new DateTimeOffset(end.AddDays(-1), TimeSpan.Zero));
        Assert.Equal(("business", "active"), await PlanAsync(tenant));
        Assert.Equal(500, await ImagesLimitAsync(tenant));

        _clock.SetUtcNow(new DateTimeOffset(end.AddDays(1), TimeSpan.Zero));
        Assert.Equal(("starter", "active"), await PlanAsync(tenant));
        Assert.Equal(5, await ImagesLimitAsync(tenant));
        var invoice = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/billing/invoices", Ct)).EnumerateArray());
        Assert.Equal(159_600, invoice.GetProperty("totalMinor").GetInt64());
    }

    private IServiceProvider InWorkspace(ApiTenant tenant)
    {
        var scope = _app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(tenant.WorkspaceId, tenant.UserId, WorkspaceRole.Owner);
        return scope.ServiceProvider;
    }

    /// <summary>Checkout with the test gateway, pay there, deliver the signed notification, wait until the order is paid.</summary>
    private async Task<JsonElement> PayAsync(ApiTenant tenant, string plan, string cycle)
    {
        var checkout = await BillingWorld.CheckoutAsync(tenant.Client, plan, cycle, "CNY");
        var orderId = checkout.GetProperty("orderId").GetGuid();
        var delivery = (await _app.Services.GetRequiredService<TestPaymentGateway>().CompleteAsync(orderId, pay: true, Ct))!;
        using var response = await BillingWorld.DeliverAsync(_app, PaymentGateways.Test, delivery.Body.ToArray(), delivery.Headers);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await BillingWorld.WaitAsync(async () =>
        {
            await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
            return (await db.BillingOrders.SingleAsync(o => o.Id == orderId, Ct)).Status == OrderStatus.Paid;
        });
        return checkout;
    }

    private static async Task<(string Plan, string Status)> PlanAsync(ApiTenant tenant)
    {
        var subscription = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct);
        return (subscription.GetProperty("plan").GetString()!, subscription.GetProperty("status").GetString()!);
    }

    private static async Task<(DateTime Start, DateTime End)> PeriodAsync(ApiTenant tenant)
    {
        var subscription = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct);
        return (subscription.GetProperty("currentPeriodStart").GetDateTime(), subscription.GetProperty("currentPeriodEnd").GetDateTime());
    }

    private static async Task<long> ImagesLimitAsync(ApiTenant tenant)
    {
        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/usage", Ct);
        return usage.GetProperty("meters").EnumerateArray().Single(m => m.GetProperty("meter").GetString() == Meters.Images).GetProperty("limit").GetInt64();
    }
}
