using System.Net;
using System.Text.RegularExpressions;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Platform;

/// <summary>
/// The page counterpart of the API sweep (security-privacy.md A6): every app page with an {id}, and every
/// POST handler of it, answered for another workspace's id exactly as for a random id, and nothing of the
/// owner changes. A new page with an {id} and no mapping here fails the test.
/// </summary>
public sealed partial class PageTenantIsolationTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EveryIdPage_OtherWorkspacesId_IsNotFoundLikeARandomIdAndChangesNothing(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var owner = await BrowserSession.SignUpAsync(app, displayName: "Owner");
        await app.SetPlanAsync(owner.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        using var intruder = await BrowserSession.SignUpAsync(app, displayName: "Intruder");
        await app.SetPlanAsync(intruder.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var ct = TestContext.Current.CancellationToken;

        var ids = await app.InWorkspaceAsync(owner, async services =>
        {
            var product = await services.GetRequiredService<CreateProduct>().HandleAsync(
                new CreateProduct.Request(new ProductInput("OWN-1", "Owner's product")), ct);
            var brand = await services.GetRequiredService<CreateBrand>().HandleAsync(
                new CreateBrand.Request(new BrandInput("Owner Brand")), ct);
            using var png = new MemoryStream(TestImages.Png(32, 24));
            var asset = await services.GetRequiredService<UploadAsset>().HandleAsync(new UploadAsset.Request(png, "own.png"), ct);
            var db = services.GetRequiredService<AppDbContext>();
            (await db.Subscriptions.SingleAsync(ct)).PlanCode = PlanCatalog.Creator;
            await db.SaveChangesAsync(ct);
            var template = await services.GetRequiredService<SaveWorkflowTemplate>().HandleAsync(
                new SaveWorkflowTemplate.Request(null, "Owner's gate", null, null, new WorkflowDefinition(["amazon"], [new("approval", "approval-gate")])), ct);
            var started = await services.GetRequiredService<StartWorkflowRuns>().HandleAsync(
                new StartWorkflowRuns.Request(template.Value.Id, [product.Value.Id]), ct);
            var order = await services.GetRequiredService<StartCheckout>().HandleAsync(new CheckoutInput(PlanCatalog.Business, "monthly", "CNY", PaymentGateways.Test), ct);
            Assert.True(order.IsSuccess, string.Join(", ", order.Errors));
            // A receipt row as payment processing writes it (the page only reads it).
            var invoice = new Invoice
            {
                WorkspaceId = owner.WorkspaceId, Number = "CO-2026-900001", Gateway = PaymentGateways.Test, GatewayReference = $"isolation-{Guid.NewGuid():N}",
                PlanCode = PlanCatalog.Creator, Currency = "CNY", SubtotalMinor = 5_900, TotalMinor = 5_900,
                PeriodStart = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), PeriodEnd = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc),
                IssuedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            };
            db.Invoices.Add(invoice);
            await db.SaveChangesAsync(ct);
            var engine = services.GetRequiredService<WorkflowEngine>();
            // The gate is launched here (not by the pump later), so the owner's pages do not change during the test.
            while (await db.WorkflowRuns.AnyAsync(r => r.Status == WorkflowRunStatus.Running, ct))
            {
                await engine.PumpAsync(ct);
                await Task.Delay(20, ct);
            }

            return new Dictionary<string, Guid>
            {
                ["/app/workflows/templates/"] = Guid.Parse(template.Value.Id),
                ["/app/workflows/batches/"] = started.Value.Batch.Id,
                ["/app/workflows/runs/"] = started.Value.Runs[0].Id,
                ["/app/products/"] = product.Value.Id,
                ["/app/brands/"] = brand.Value.Id,
                ["/app/content-hub/"] = asset.Asset!.Id,
                // The Listing Copy page takes a product id (every handler answers an unknown product 404 before anything else).
                ["/app/listing-copy/"] = product.Value.Id,
                // The Publish Center's product page (its publish handler answers an unknown product 404 before anything else).
                ["/app/publish/products/"] = product.Value.Id,
                // A payment's page (for the test gateway also its Pay and Cancel buttons).
                ["/app/billing/orders/"] = order.Value.OrderId,
                // A receipt download (GET only).
                ["/app/billing/invoices/"] = invoice.Id,
            };
        });
        var before = await OwnerViewAsync(owner, ids, ct);
        var token = await intruder.AntiforgeryTokenAsync("/app/dashboard");

        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").StartsWith("app/", StringComparison.Ordinal) || (e.RoutePattern.RawText ?? "").StartsWith("/app/", StringComparison.Ordinal))
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == "id"))
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), Page: e.Metadata.GetMetadata<CompiledPageActionDescriptor>()))
            .Where(p => p.Page is not null)
            .ToList();
        Assert.True(pages.Count >= 3, $"Found only {pages.Count} app pages with an id.");

        var requests = 0;
        foreach (var (route, page) in pages)
        {
            var prefix = ids.Keys.SingleOrDefault(key => route.StartsWith(key, StringComparison.Ordinal));
            Assert.True(prefix is not null, $"No tenant-isolation mapping for page {route}: add one.");
            var theirs = IdParameter().Replace(route, ids[prefix!].ToString());
            var random = IdParameter().Replace(route, Guid.CreateVersion7().ToString());

            using (var get = await intruder.Client.GetAsync(theirs, ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            }

            foreach (var handler in page!.HandlerMethods.Where(h => h.HttpMethod == "Post").Select(h => h.Name ?? ""))
            {
                var query = handler.Length == 0 ? "" : "?handler=" + handler;
                using var attack = await intruder.Client.PostAsync(theirs + query, Form(token), ct);
                using var control = await intruder.Client.PostAsync(random + query, Form(token), ct);
                Assert.True(attack.StatusCode == control.StatusCode, $"POST {route}{query}: {attack.StatusCode} for another workspace's id, {control.StatusCode} for a random one.");
                Assert.True((int)attack.StatusCode >= 400, $"POST {route}{query} answered {attack.StatusCode}.");
                requests++;
            }
        }

        Assert.True(requests >= 5, $"Only {requests} POST handlers were probed.");
        Assert.Equal(before, await OwnerViewAsync(owner, ids, ct));
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token,
        ["Form.Sku"] = "HIJACK", ["Form.Title"] = "hijacked", ["Name"] = "hijacked", ["Direction"] = "left",
    });

    private static async Task<string> OwnerViewAsync(BrowserSession owner, Dictionary<string, Guid> ids, CancellationToken ct)
    {
        var pages = new List<string>();
        foreach (var (prefix, id) in ids)
        {
            var html = await owner.Client.GetStringAsync(prefix + id, ct);
            // Drop per-request tokens; everything else is the owner's data as shown.
            pages.Add(Regex.Replace(html, "CfDJ8[A-Za-z0-9_-]+", "TOKEN"));
        }

        return string.Join("\n", pages);
    }

    [GeneratedRegex(@"\{id(:[^}]*)?\}")]
    private static partial Regex IdParameter();
}
