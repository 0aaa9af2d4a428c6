using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// security-privacy.md row W5: a payment whose notification never comes is found by the reconciliation sweep within
/// 5 minutes (with the defaults: asked about after 3 minutes, swept every minute), and an unpaid order is left open.
/// </summary>
public sealed class ReconciliationTimingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMissedPayment_IsFoundWithinFiveMinutes_AndAnUnpaidOrderIsLeftOpen()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, services: s => s.AddSingleton<TimeProvider>(clock));
        using var paying = await app.CreateApiTenantAsync();
        using var waiting = await app.CreateApiTenantAsync();
        var paid = (await BillingWorld.CheckoutAsync(paying.Client, PlanCatalog.Creator, "monthly", "CNY")).GetProperty("orderId").GetGuid();
        var open = (await BillingWorld.CheckoutAsync(waiting.Client, PlanCatalog.Creator, "monthly", "CNY")).GetProperty("orderId").GetGuid();
        Assert.NotNull(await app.Services.GetRequiredService<TestPaymentGateway>().CompleteAsync(paid, pay: true, Ct));
        var sweep = app.Services.GetRequiredService<PaymentReconciliation>();

        clock.Advance(TimeSpan.FromMinutes(2));
        await sweep.RunAsync(Ct);
        Assert.Equal(0, await InboxAsync(app, paid));

        // The next minute's sweep after the 3-minute grace: 4 minutes after the payment at most.
        clock.Advance(TimeSpan.FromMinutes(2));
        await sweep.RunAsync(Ct);
        Assert.Equal(1, await InboxAsync(app, paid));
        await BillingWorld.WaitForPlanAsync(paying.Client, PlanCatalog.Creator);

        await using var db = app.Database.CreateContext(waiting.WorkspaceId);
        Assert.Equal(OrderStatus.Open, (await db.BillingOrders.SingleAsync(o => o.Id == open, Ct)).Status);
        Assert.Equal(PlanCatalog.Starter, (await db.Subscriptions.SingleAsync(Ct)).PlanCode);
    }

    private static async Task<int> InboxAsync(AppFactory app, Guid orderId)
    {
        await using var db = app.Database.CreateContext();
        return await db.PaymentInbox.CountAsync(e => e.OrderId == orderId, Ct);
    }
}
