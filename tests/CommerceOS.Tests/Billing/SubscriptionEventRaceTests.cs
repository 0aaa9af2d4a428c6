using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// Two events of one subscription processed at once: the one that read the gateway first may finish last, and its older
/// answer must not overwrite the newer one. The subscription is locked before the gateway is read, so the second reader
/// waits and reads after the first has applied (SQLite and PostgreSQL).
/// </summary>
public sealed class SubscriptionEventRaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AnAnswerReadEarlier_NeverOverwritesOneReadLater(DatabaseKind kind)
    {
        var gateway = new ScriptedRecurringGateway();
        await using var app = await AppFactory.StartAsync(
            kind, new Dictionary<string, string?> { ["Billing:PublicBaseUrl"] = "https://app.example.com" }, s => s.AddSingleton<IPaymentGateway>(gateway));
        using var tenant = await app.CreateApiTenantAsync();
        using var checkout = await tenant.Client.PostAsJsonAsync(
            "/api/v1/billing/checkout", new { plan = PlanCatalog.Business, cycle = "monthly", currency = "USD", gateway = ScriptedRecurringGateway.GatewayId }, Ct);
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var orderId = (await checkout.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("orderId").GetGuid();
        var subscriptionId = "sub_" + Guid.NewGuid().ToString("N");
        var start = TimeProvider.System.GetUtcNow();
        gateway.Current[subscriptionId] = ScriptedRecurringGateway.State(subscriptionId, orderId, "active", PlanCatalog.Business, start);
        Assert.Equal("applied-active", await ApplyAsync(app, gateway, subscriptionId));

        // The first reader sees "active" and is held before it answers; meanwhile the subscription is cancelled at the gateway.
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.HoldNextAnswer = async () =>
        {
            reading.SetResult();
            await release.Task;
        };
        // On threads of their own: SQLite's provider waits for a lock synchronously, inside the async call.
        var first = Task.Run(() => ApplyAsync(app, gateway, subscriptionId), Ct);
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        gateway.Current[subscriptionId] = ScriptedRecurringGateway.State(subscriptionId, orderId, "canceled", PlanCatalog.Business, start);
        var second = Task.Run(() => ApplyAsync(app, gateway, subscriptionId), Ct);

        // Without the lock the second event would apply "canceled" now, and the first would then restore "active".
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(500), Ct));
        Assert.False(second.IsCompleted, $"The second event went ahead while the first held the subscription: {second.Exception}");
        release.SetResult();
        Assert.Equal("applied-active", await first);
        Assert.Equal("ended-canceled", await second);

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var subscription = await db.Subscriptions.SingleAsync(Ct);
        Assert.Equal(PlanCatalog.Starter, subscription.PlanCode);
    }

    private static async Task<string?> ApplyAsync(AppFactory app, ScriptedRecurringGateway gateway, string subscriptionId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplyGatewaySubscription>()
            .HandleAsync(gateway, new GatewayObject(subscriptionId, null), null, Ct);
    }
}
