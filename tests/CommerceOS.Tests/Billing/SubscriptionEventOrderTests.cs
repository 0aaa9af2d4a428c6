using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// security-privacy.md row W2: subscription events (created, updated to Business, updated to Creator, deleted) delivered in
/// all 24 orders end in the gateway's current state, because each is only a trigger to re-read the subscription.
/// </summary>
public sealed class SubscriptionEventOrderTests : IAsyncLifetime
{
    private static readonly string[] Events = ["created", "updated-business", "updated-creator", "deleted"];

    private readonly ScriptedRecurringGateway _gateway = new();
    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _app = await AppFactory.StartAsync(
            DatabaseKind.Sqlite,
            new Dictionary<string, string?> { ["Billing:PublicBaseUrl"] = "https://app.example.com" },
            s => s.AddSingleton<IPaymentGateway>(_gateway));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string> FinalStates => new()
    {
        { "canceled", PlanCatalog.Starter },
        { "active", PlanCatalog.Business },
    };

    [Theory]
    [MemberData(nameof(FinalStates))]
    public async Task AllTwentyFourOrders_EndInTheGatewaysState(string finalStatus, string expectedPlan)
    {
        var orders = Permutations(Events).ToList();
        Assert.Equal(24, orders.Count);
        var start = TimeProvider.System.GetUtcNow();
        var mismatches = new List<string>();
        foreach (var order in orders)
        {
            using var tenant = await _app.CreateApiTenantAsync();
            var orderId = await CheckoutAsync(tenant.Client);
            var subscriptionId = "sub_" + Guid.NewGuid().ToString("N");
            _gateway.Current[subscriptionId] = ScriptedRecurringGateway.State(subscriptionId, orderId, finalStatus, PlanCatalog.Business, start);

            foreach (var name in order)
            {
                await DeliverAndProcessAsync(subscriptionId, $"evt_{subscriptionId}_{name}", name);
            }

            await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
            var subscription = await db.Subscriptions.SingleAsync(Ct);
            if (subscription.PlanCode != expectedPlan)
            {
                mismatches.Add($"{string.Join(",", order)} → {subscription.PlanCode}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task ACancellation_AtTheGateway_IsAppliedFromItsAnswer_AndPaidPeriodsAreInvoicedOnce()
    {
        using var tenant = await _app.CreateApiTenantAsync();
        var orderId = await CheckoutAsync(tenant.Client);
        var subscriptionId = "sub_" + Guid.NewGuid().ToString("N");
        var start = TimeProvider.System.GetUtcNow();
        _gateway.Current[subscriptionId] = ScriptedRecurringGateway.State(subscriptionId, orderId, "active", PlanCatalog.Business, start);
        await DeliverAndProcessAsync(subscriptionId, $"evt_{subscriptionId}_1", "created");
        await DeliverAndProcessAsync(subscriptionId, $"evt_{subscriptionId}_2", "invoice.paid");

        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(tenant.WorkspaceId, tenant.UserId, WorkspaceRole.Owner);
        var cancelled = await scope.ServiceProvider.GetRequiredService<ChangePlan>().HandleAsync(PlanChangeAction.Cancel, null, null, Ct);

        Assert.True(cancelled.IsSuccess, string.Join(", ", cancelled.Errors));
        Assert.True(cancelled.Value.CancelAtPeriodEnd);
        Assert.Equal(true, Assert.Single(_gateway.Changes, c => c.SubscriptionId == subscriptionId).CancelAtPeriodEnd);
        await using var db = _app.Database.CreateContext(tenant.WorkspaceId);
        var subscription = await db.Subscriptions.SingleAsync(Ct);
        Assert.Equal((PlanCatalog.Business, true), (subscription.PlanCode, subscription.CancelAtPeriodEnd));
        Assert.Equal(1, await db.Invoices.CountAsync(Ct));
        Assert.Equal(OrderStatus.Paid, (await db.BillingOrders.SingleAsync(Ct)).Status);

        // A downgrade of a self-renewing plan goes through the gateway's own billing page.
        var downgrade = await scope.ServiceProvider.GetRequiredService<ChangePlan>().HandleAsync(PlanChangeAction.Downgrade, PlanCatalog.Creator, BillingCycle.Monthly, Ct);
        Assert.Equal($"https://portal.example.com/cus_{subscriptionId}", downgrade.Value.PortalUrl);
        await using var after = _app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Null((await after.Subscriptions.SingleAsync(Ct)).PendingPlanCode);
    }

    private static async Task<Guid> CheckoutAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout", new { plan = PlanCatalog.Business, cycle = "monthly", currency = "USD", gateway = ScriptedRecurringGateway.GatewayId }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("orderId").GetGuid();
    }

    /// <summary>Delivers through the webhook endpoint and waits until that event is processed, so the order of delivery is the order of processing.</summary>
    private async Task DeliverAndProcessAsync(string subscriptionId, string eventId, string type)
    {
        var (body, headers) = ScriptedRecurringGateway.Event(eventId, subscriptionId, type);
        using var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{ScriptedRecurringGateway.GatewayId}") { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = _app.Database.CreateContext();
            if (await db.PaymentInbox.AnyAsync(e => e.EventId == eventId && e.ProcessedAt != null, Ct))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"Event {eventId} was not processed in time.");
            await Task.Delay(50, Ct);
        }
    }

    private static IEnumerable<string[]> Permutations(string[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (string[])[item, .. rest]));
}
