using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// Plans and payments end to end with the local test gateway: the server computes every amount, a plan changes only from a
/// verified notification that matches its order, each payment has one effect however often it is delivered, and
/// reconciliation finds a payment whose notification never came.
/// </summary>
public sealed class BillingApiTests : IAsyncLifetime
{
    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Billing:ReconcileAfter"] = "00:00:00" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private TestPaymentGateway Gateway => _app.Services.GetRequiredService<TestPaymentGateway>();

    [Fact]
    public async Task Checkout_ComputesTheAmountOnTheServer_AndChangesNothingUntilPaid()
    {
        using var tenant = await _app.CreateApiTenantAsync();

        var checkout = await CheckoutAsync(tenant.Client, PlanCatalog.Creator, "annual", "CNY");

        Assert.Equal(48_000, checkout.GetProperty("amountMinor").GetInt64());
        Assert.True(checkout.GetProperty("testMode").GetBoolean());
        var orderId = checkout.GetProperty("orderId").GetGuid();
        Assert.Equal($"/app/billing/orders/{orderId:N}", checkout.GetProperty("url").GetString());
        var subscription = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct);
        Assert.Equal(PlanCatalog.Starter, subscription.GetProperty("plan").GetString());
        Assert.Contains(subscription.GetProperty("gateways").EnumerateArray(), g => g.GetProperty("id").GetString() == PaymentGateways.Test && g.GetProperty("testMode").GetBoolean());
    }

    [Fact]
    public async Task BadCheckouts_AreRefusedWithTheirCodes_AndStoreNoOrder()
    {
        using var tenant = await _app.CreateApiTenantAsync();

        var problem = await ProblemAsync(tenant.Client, new { plan = PlanCatalog.Enterprise, cycle = "weekly", currency = "EUR", gateway = "paypal" });

        var errors = problem.GetProperty("errors");
        Assert.Equal(BillingErrors.PlanNotSold, errors.GetProperty("plan")[0].GetString());
        Assert.Equal(BillingErrors.CycleUnknown, errors.GetProperty("cycle")[0].GetString());
        Assert.Equal(BillingErrors.GatewayUnknown, errors.GetProperty("gateway")[0].GetString());
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.BillingOrders.CountAsync(Ct));
    }

    [Fact]
    public async Task Paying_GrantsThePlan_StartsAPeriod_Invoices_AndRaisesTheQuotas()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        var orderId = (await CheckoutAsync(tenant.Client, PlanCatalog.Creator, "monthly", "CNY")).GetProperty("orderId").GetGuid();

        using var response = await DeliverAsync((await Gateway.CompleteAsync(orderId, pay: true, Ct))!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subscription = await WaitForPlanAsync(tenant.Client, PlanCatalog.Creator);
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.Equal("CNY", subscription.GetProperty("currency").GetString());
        var invoice = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/billing/invoices", Ct)).EnumerateArray());
        Assert.Matches(@"^CO-\d{4}-\d{6}$", invoice.GetProperty("number").GetString());
        Assert.Equal(5_900, invoice.GetProperty("totalMinor").GetInt64());
        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/usage", Ct);
        Assert.Contains(usage.GetProperty("meters").EnumerateArray(), m => m.GetProperty("meter").GetString() == Meters.Images && m.GetProperty("limit").GetInt64() == 200);
    }

    [Fact]
    public async Task TamperedStaleOrMismatchedNotifications_AreRefused_WithNoEffect()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        var order = (await CheckoutAsync(tenant.Client, PlanCatalog.Creator, "monthly", "CNY")).GetProperty("orderId").GetGuid();
        var valid = (await Gateway.CompleteAsync(order, pay: true, Ct))!;
        var body = valid.Body.ToArray();
        var flipped = (byte[])body.Clone();
        flipped[body.Length / 2] ^= 0x01;
        var json = Encoding.UTF8.GetString(body);
        var now = TimeProvider.System.GetUtcNow();

        WebhookDelivery[] bad =
        [
            valid with { Body = flipped },
            valid with { Headers = new Dictionary<string, string>(valid.Headers) { [TestPaymentGateway.SignatureHeader] = new string('0', 64) } },
            valid with { Headers = new Dictionary<string, string> { [TestPaymentGateway.TimestampHeader] = valid.Headers[TestPaymentGateway.TimestampHeader] } },
            Gateway.Sign(body, now.AddMinutes(-6)),
            Gateway.Sign(body, now.AddMinutes(6)),
            // Verified, but not what the order asked for: another amount, another currency.
            Gateway.Sign(Encoding.UTF8.GetBytes(json.Replace("\"amountMinor\":5900", "\"amountMinor\":1", StringComparison.Ordinal)), now),
            Gateway.Sign(Encoding.UTF8.GetBytes(json.Replace("\"currency\":\"CNY\"", "\"currency\":\"USD\"", StringComparison.Ordinal)), now),
            // An order nobody made.
            Gateway.Sign(Encoding.UTF8.GetBytes(json.Replace(order.ToString("N"), Guid.NewGuid().ToString("N"), StringComparison.Ordinal)), now),
        ];

        foreach (var delivery in bad)
        {
            using var response = await DeliverAsync(delivery);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.PaymentInbox.CountAsync(e => e.OrderId == order, Ct));
        Assert.Equal(OrderStatus.Open, (await db.BillingOrders.SingleAsync(o => o.Id == order, Ct)).Status);
        Assert.Equal(PlanCatalog.Starter, (await db.Subscriptions.SingleAsync(Ct)).PlanCode);
#pragma warning disable RS0030 // A refused webhook has no workspace yet: its audit row is the operators'.
        Assert.True(await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.Action == BillingAudit.PaymentRejected && a.Target!.Contains(order.ToString("N")), Ct) >= 2);
#pragma warning restore RS0030
        using var unknown = await DeliverAsync(valid, "paypal");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnUpgrade_IsProrated_ADowngradeWaitsForThePeriodEnd_AndTheCurrencyStays()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        await PayAsync(tenant, PlanCatalog.Creator, "monthly", "CNY");

        var upgrade = await CheckoutAsync(tenant.Client, PlanCatalog.Business, "monthly", "CNY");
        Assert.Equal("upgrade", upgrade.GetProperty("kind").GetString());
        Assert.InRange(upgrade.GetProperty("amountMinor").GetInt64(), 13_990, 14_000);
        Assert.InRange(upgrade.GetProperty("creditMinor").GetInt64(), 5_890, 5_900);

        await DeliverAndWaitAsync(tenant, upgrade.GetProperty("orderId").GetGuid(), PlanCatalog.Business);
        var downgrade = await ProblemAsync(tenant.Client, new { plan = PlanCatalog.Creator, cycle = "monthly", currency = "CNY", gateway = PaymentGateways.Test }, HttpStatusCode.Conflict);
        Assert.Equal(BillingErrors.DowngradeAtPeriodEnd, downgrade.GetProperty("errors").GetProperty("plan")[0].GetString());
        var currency = await ProblemAsync(tenant.Client, new { plan = PlanCatalog.Business, cycle = "annual", currency = "USD", gateway = PaymentGateways.Test });
        Assert.Equal(BillingErrors.CurrencyMismatch, currency.GetProperty("errors").GetProperty("currency")[0].GetString());

        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        var subscription = await db.Subscriptions.SingleAsync(Ct);
        var first = await db.BillingOrders.OrderBy(o => o.CreatedAt).FirstAsync(Ct);
        // The upgrade keeps the period the first payment started.
        Assert.Equal(first.PaidAt, subscription.CurrentPeriodStart);
    }

    [Fact]
    public async Task ATrial_StartsOnce_WithoutAGateway_AndAPaymentDuringItKeepsItsDays()
    {
        using var tenant = await _app.CreateApiTenantAsync();

        var started = await TrialAsync(tenant, PlanCatalog.Business);
        var again = await TrialAsync(tenant, PlanCatalog.Creator);

        Assert.True(started.IsSuccess);
        Assert.Equal(BillingErrors.TrialUsed, Assert.Single(again.Errors).Code);
        var subscription = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct);
        Assert.Equal(PlanCatalog.Business, subscription.GetProperty("plan").GetString());
        Assert.Equal("trialing", subscription.GetProperty("status").GetString());
        Assert.False(subscription.GetProperty("trialAvailable").GetBoolean());
        var trialEnd = subscription.GetProperty("trialEndsAt").GetDateTime();
        Assert.InRange(trialEnd - TimeProvider.System.GetUtcNow().UtcDateTime, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));

        // Paying during the trial keeps its days: the paid period starts when the trial ends.
        var order = await CheckoutAsync(tenant.Client, PlanCatalog.Business, "monthly", "CNY");
        Assert.Equal(19_900, order.GetProperty("amountMinor").GetInt64());
        await DeliverAndWaitAsync(tenant, order.GetProperty("orderId").GetGuid(), PlanCatalog.Business, status: "trialing", paid: true);
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(trialEnd.AddMonths(1), (await db.Subscriptions.SingleAsync(Ct)).PaidThrough!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Reconciliation_FulfilsAPaymentWhoseNotificationNeverCame_Once()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        var orderId = (await CheckoutAsync(tenant.Client, PlanCatalog.Creator, "monthly", "CNY")).GetProperty("orderId").GetGuid();
        Assert.NotNull(await Gateway.CompleteAsync(orderId, pay: true, Ct));
        var sweep = _app.Services.GetRequiredService<PaymentReconciliation>();

        await sweep.RunAsync(Ct);
        await WaitForPlanAsync(tenant.Client, PlanCatalog.Creator);
        await sweep.RunAsync(Ct);

        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(1, await db.Invoices.CountAsync(i => i.OrderId == orderId, Ct));
        Assert.Equal(ReceiveWebhook.SourceReconcile, (await db.PaymentInbox.SingleAsync(e => e.OrderId == orderId, Ct)).Source);
    }

    private async Task<Result> TrialAsync(ApiTenant tenant, string plan)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(tenant.WorkspaceId, tenant.UserId, WorkspaceRole.Owner);
        return await scope.ServiceProvider.GetRequiredService<StartTrial>().HandleAsync(plan, Ct);
    }

    private static Task<JsonElement> CheckoutAsync(HttpClient client, string plan, string cycle, string currency) =>
        BillingWorld.CheckoutAsync(client, plan, cycle, currency);

    private static async Task<JsonElement> ProblemAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.BadRequest)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout", body, Ct);
        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private Task<HttpResponseMessage> DeliverAsync(WebhookDelivery delivery, string gateway = PaymentGateways.Test) =>
        BillingWorld.DeliverAsync(_app, gateway, delivery.Body.ToArray(), delivery.Headers);

    private async Task PayAsync(ApiTenant tenant, string plan, string cycle, string currency)
    {
        var orderId = (await CheckoutAsync(tenant.Client, plan, cycle, currency)).GetProperty("orderId").GetGuid();
        await DeliverAndWaitAsync(tenant, orderId, plan);
    }

    private async Task DeliverAndWaitAsync(ApiTenant tenant, Guid orderId, string plan, string status = "active", bool paid = false)
    {
        using var response = await DeliverAsync((await Gateway.CompleteAsync(orderId, pay: true, Ct))!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (paid)
        {
            await WaitAsync(async () =>
            {
                await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
                return (await db.BillingOrders.SingleAsync(o => o.Id == orderId, Ct)).Status == OrderStatus.Paid;
            });
        }

        var subscription = await WaitForPlanAsync(tenant.Client, plan);
        Assert.Equal(status, subscription.GetProperty("status").GetString());
    }

    private static Task<JsonElement> WaitForPlanAsync(HttpClient client, string plan) => BillingWorld.WaitForPlanAsync(client, plan);

    private static Task WaitAsync(Func<Task<bool>> done) => BillingWorld.WaitAsync(done);
}
