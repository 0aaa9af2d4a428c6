using System.Net;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// security-privacy.md row W1 on SQLite and PostgreSQL: the same signed event delivered 10 times concurrently has one
/// effect, and payments of different workspaces processed at once take different, consecutive invoice numbers.
/// </summary>
public sealed class PaymentEffectsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheSameSignedEvent_DeliveredTenTimesConcurrently_HasOneEffect(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        var gateway = app.Services.GetRequiredService<TestPaymentGateway>();
        using var tenant = await app.CreateApiTenantAsync();
        var orderId = (await BillingWorld.CheckoutAsync(tenant.Client, PlanCatalog.Business, "monthly", "USD")).GetProperty("orderId").GetGuid();
        var delivery = (await gateway.CompleteAsync(orderId, pay: true, Ct))!;
        var body = delivery.Body.ToArray();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => BillingWorld.DeliverAsync(app, PaymentGateways.Test, body, delivery.Headers)));
        await BillingWorld.WaitForPlanAsync(tenant.Client, PlanCatalog.Business);
        // A late duplicate after processing changes nothing either.
        using (await BillingWorld.DeliverAsync(app, PaymentGateways.Test, body, delivery.Headers))
        {
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(1, await db.PaymentInbox.CountAsync(e => e.OrderId == orderId, Ct));
        Assert.Equal(1, await db.Invoices.CountAsync(i => i.OrderId == orderId, Ct));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == BillingAudit.PlanChanged && a.WorkspaceId == tenant.WorkspaceId, Ct));
        Assert.Equal(OrderStatus.Paid, (await db.BillingOrders.SingleAsync(o => o.Id == orderId, Ct)).Status);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task PaymentsProcessedTogether_TakeConsecutiveInvoiceNumbers(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        var tenants = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.CreateApiTenantAsync()));
        var orders = new List<Guid>();
        foreach (var tenant in tenants)
        {
            orders.Add((await BillingWorld.CheckoutAsync(tenant.Client, PlanCatalog.Creator, "monthly", "CNY")).GetProperty("orderId").GetGuid());
        }

        var paidAt = TimeProvider.System.GetUtcNow().UtcDateTime;
        await Task.WhenAll(orders.Select(async order =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
#pragma warning disable RS0030 // The test reads the order's workspace to act in it, as the processor does.
            var workspaceId = await db.BillingOrders.IgnoreQueryFilters().Where(o => o.Id == order).Select(o => o.WorkspaceId).SingleAsync(Ct);
#pragma warning restore RS0030
            scope.ServiceProvider.GetRequiredService<Core.Workspaces.WorkspaceContext>().Set(workspaceId, null, Core.Workspaces.WorkspaceRole.Owner);
            Assert.True(await scope.ServiceProvider.GetRequiredService<FulfilOrder>().HandleAsync(order, paidAt, null, null, Ct));
        }));

        await using var check = app.Database.CreateContext();
#pragma warning disable RS0030 // Numbers are unique across every workspace.
        var numbers = await check.Invoices.IgnoreQueryFilters().Where(i => orders.Contains(i.OrderId!.Value)).Select(i => i.Number).ToListAsync(Ct);
#pragma warning restore RS0030
        var sequence = numbers.Select(n => int.Parse(n[^6..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(sequence[0], 6), sequence);
        foreach (var tenant in tenants)
        {
            tenant.Dispose();
        }
    }
}
