using System.Net;
using System.Text.RegularExpressions;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Workflows.Pages.WorkflowPageHelpers;

namespace CommerceOS.Tests.Billing;

/// <summary>
/// The billing and usage pages with the local test gateway: plans priced by the server, checkout → the test payment page
/// → the plan active, the trial, cancel / resume / downgrade, the bilingual receipt, the usage meters and chart, roles, Chinese.
/// </summary>
public sealed partial class BillingPagesTests : IAsyncLifetime
{
    private const string Page = "/app/billing";

    private AppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await AppFactory.StartAsync(DatabaseKind.Sqlite);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task BillingPage_ShowsTheCurrentPlan_AndPlansPricedByTheServer()
    {
        using var session = await BrowserSession.SignUpAsync(_app);

        var cny = await session.Client.GetStringAsync($"{Page}?currency=CNY&cycle=annual", Ct);

        Has(cny,
            "data-plan=\"starter\" data-status=\"active\"",
            "id=\"current-plan-name\">Starter</span>",
            "¥59</span>",
            "¥40/month billed annually (¥480/year)",
            "¥199</span>",
            "<option value=\"annual\" selected=\"selected\">Annual – ¥480 per year</option>",
            "<option value=\"test\">Test gateway – TEST MODE, no money moves</option>",
            "data-trial=\"creator\"",
            "Publish Center",
            "200 images per period",
            "Unlimited copywriting",
            "href=\"mailto:hello@commerceos.ai",
            "id=\"invoices-empty\"",
            "href=\"/app/usage\" id=\"billing-usage-link\"",
            "href=\"/app/billing\" id=\"nav-billing\"");
        Assert.DoesNotContain("data-checkout=\"enterprise\"", cny, StringComparison.Ordinal);
        Assert.DoesNotContain("data-checkout=\"starter\"", cny, StringComparison.Ordinal);
        var usd = await session.Client.GetStringAsync($"{Page}?currency=USD", Ct);
        Has(usd, "$9</span>", "$6/month billed annually ($72/year)", "$29</span>");
    }

    [Fact]
    public async Task Checkout_RedirectsToTheOrder_PayingThereActivatesThePlan_AndTheReceiptDownloadsInBothLanguages()
    {
        using var session = await BrowserSession.SignUpAsync(_app, displayName: "Receipt Seller");

        using var checkout = await CheckoutAsync(session, PlanCatalog.Creator, "monthly", "CNY");

        Assert.Equal(HttpStatusCode.Redirect, checkout.StatusCode);
        var location = checkout.Headers.Location!.OriginalString;
        Assert.Matches("^/app/billing/orders/[0-9a-f]{32}$", location);
        var order = await session.Client.GetStringAsync(location, Ct);
        Has(order, "id=\"test-mode\"", "59.00 CNY", "id=\"test-pay\"");
        Assert.Contains("data-plan=\"starter\"", await session.Client.GetStringAsync(Page, Ct), StringComparison.Ordinal);

        using (var pay = await session.PostFormAsync(location, new() { ["decision"] = "pay" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, pay.StatusCode);
        }

        var page = await WaitForAsync(session, Page, html => html.Contains("data-plan=\"creator\" data-status=\"active\"", StringComparison.Ordinal) && html.Contains("data-invoice=", StringComparison.Ordinal));
        Has(page,
            "id=\"billing-test-mode\"",
            "id=\"current-gateway\">Test gateway · CNY",
            "id=\"current-paid-through\"",
            "59.00 CNY");
        Assert.DoesNotContain("data-trial=", page, StringComparison.Ordinal);
        Assert.Contains("id=\"order-status\">Paid", await session.Client.GetStringAsync(location, Ct), StringComparison.Ordinal);

        var invoiceId = InvoiceLink().Match(page).Groups[1].Value;
        using var receipt = await session.Client.GetAsync($"{Page}/invoices/{invoiceId}", Ct);
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Equal("attachment", receipt.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(@"^""?CO-\d{4}-\d{6}\.html""?$", receipt.Content.Headers.ContentDisposition!.FileName!);
        Assert.True(receipt.Headers.CacheControl?.NoStore, "a receipt must not be cached");
        var html = await receipt.Content.ReadAsStringAsync(Ct);
        Has(html, "Receipt / 收据", "Total paid", "实付金额", "id=\"receipt-total\">59.00 CNY", "Receipt Seller", "Creator / 创作者版", "monthly / 按月", "CommerceOS", "Test gateway / 测试支付网关");
    }

    [Fact]
    public async Task AnOrderPage_DrawsAPaymentCodeSealedForIt_AsAnInlineSvgQr_AndIgnoresAForgedOne()
    {
        using var session = await BrowserSession.SignUpAsync(_app);
        using var checkout = await CheckoutAsync(session, PlanCatalog.Creator, "monthly", "CNY");
        var location = checkout.Headers.Location!.OriginalString;
        var orderId = Guid.ParseExact(location[(location.LastIndexOf('/') + 1)..], "N");
        var protection = _app.Services.GetRequiredService<IDataProtectionProvider>();
        var sealedCode = Web.Features.Billing.BillingModel.QrProtector(protection, orderId).Protect("weixin://wxpay/bizpayurl?pr=abc123");

        var page = await session.Client.GetStringAsync($"{location}?qr={Uri.EscapeDataString(sealedCode)}", Ct);
        Has(page, "id=\"order-qr\"", "<svg", "Scan with WeChat to pay.");
        Assert.DoesNotContain("style=\"", page, StringComparison.Ordinal);

        // A code sealed for another order, or not sealed at all, draws nothing.
        var foreign = Web.Features.Billing.BillingModel.QrProtector(protection, Guid.NewGuid()).Protect("weixin://wxpay/bizpayurl?pr=evil");
        foreach (var forged in new[] { foreign, "weixin://wxpay/bizpayurl?pr=evil" })
        {
            Assert.DoesNotContain("id=\"order-qr\"", await session.Client.GetStringAsync($"{location}?qr={Uri.EscapeDataString(forged)}", Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Trial_StartsOnce_ThenCancelResumeAndDowngradeAtPeriodEnd()
    {
        using var session = await BrowserSession.SignUpAsync(_app);

        using (var trial = await session.PostFormAsync($"{Page}?handler=trial&plan=business", [], Page))
        {
            Assert.Equal(HttpStatusCode.Redirect, trial.StatusCode);
            Assert.Equal($"{Page}?done=trial", trial.Headers.Location!.OriginalString);
        }

        var trialing = await session.Client.GetStringAsync($"{Page}?done=trial", Ct);
        Has(trialing, "id=\"billing-notice\"", "data-plan=\"business\" data-status=\"trialing\"", "id=\"current-trial-end\"", "id=\"billing-cancel\"");
        Assert.DoesNotContain("data-trial=", trialing, StringComparison.Ordinal);
        using (var again = await session.PostFormAsync($"{Page}?handler=trial&plan=creator", [], Page))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("This workspace has already used its free trial.", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var cancel = await session.PostFormAsync($"{Page}?handler=cancel", [], Page))
        {
            Assert.Equal($"{Page}?done=canceled", cancel.Headers.Location!.OriginalString);
        }

        var canceled = await session.Client.GetStringAsync(Page, Ct);
        Has(canceled, "id=\"pending-cancel\"", "id=\"billing-resume\"");
        Assert.DoesNotContain("id=\"billing-cancel\"", canceled, StringComparison.Ordinal);

        using (var resume = await session.PostFormAsync($"{Page}?handler=resume", [], Page))
        {
            Assert.Equal($"{Page}?done=resumed", resume.Headers.Location!.OriginalString);
        }

        Assert.DoesNotContain("id=\"pending-cancel\"", await session.Client.GetStringAsync(Page, Ct), StringComparison.Ordinal);

        using (var downgrade = await session.PostFormAsync($"{Page}?handler=downgrade", new() { ["Downgrade.Plan"] = "creator", ["Downgrade.Cycle"] = "monthly" }, Page))
        {
            Assert.Equal($"{Page}?done=downgraded", downgrade.Headers.Location!.OriginalString);
        }

        Has(await session.Client.GetStringAsync(Page, Ct), "id=\"pending-downgrade\" data-pending=\"creator\"", "Changes to Creator (monthly)");
        await using var db = _app.Database.CreateContext(session.WorkspaceId);
        var subscription = await db.Subscriptions.SingleAsync(Ct);
        Assert.Equal((PlanCatalog.Business, PlanCatalog.Creator, false), (subscription.PlanCode, subscription.PendingPlanCode, subscription.CancelAtPeriodEnd));

        using var up = await session.PostFormAsync($"{Page}?handler=downgrade", new() { ["Downgrade.Plan"] = "business" }, Page);
        Assert.Equal(HttpStatusCode.Conflict, up.StatusCode);
        Assert.Contains("moving up is an upgrade", await up.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsagePage_ShowsEachMeterAgainstItsLimit_DaysUntilReset_AndAHistoryChart()
    {
        using var session = await BrowserSession.SignUpAsync(_app);
        await using (var db = _app.Database.CreateContext(session.WorkspaceId))
        {
            var current = await db.Subscriptions.SingleAsync(Ct);
            db.UsageCounters.Add(new UsageCounter { WorkspaceId = session.WorkspaceId, Meter = Meters.Images, PeriodStart = current.CurrentPeriodStart.AddMonths(-1), PeriodEnd = current.CurrentPeriodStart, Used = 5, Limit = 5 });
            db.UsageCounters.Add(new UsageCounter { WorkspaceId = session.WorkspaceId, Meter = Meters.Images, PeriodStart = current.CurrentPeriodStart, PeriodEnd = current.CurrentPeriodEnd, Used = 2, Limit = 5 });
            await db.SaveChangesAsync(Ct);
        }

        var page = await session.Client.GetStringAsync("/app/usage", Ct);

        Has(page,
            "data-meter=\"images\" data-used=\"2\" data-limit=\"5\"",
            "2 of 5 used",
            "data-meter=\"videos\" data-used=\"0\" data-limit=\"1\"",
            "data-meter=\"copy\" data-used=\"0\" data-limit=\"\"",
            "0 used · unlimited",
            "data-meter=\"connections\"",
            "data-meter=\"api_calls\"",
            "data-meter=\"translations\"",
            "id=\"usage-resets\">quotas reset in",
            "data-chart=\"images\"",
            "data-used=\"5\"",
            "data-limit=\"5\"/>",
            "href=\"/app/billing\" id=\"usage-upgrade\"",
            "href=\"/app/usage\" id=\"nav-usage\"");
        Assert.Equal(2, Regex.Count(page, "<rect [^>]*data-period=", RegexOptions.None, TimeSpan.FromSeconds(1)) / 5);
    }

    [Fact]
    public async Task AViewer_SeesTheBillingPageWithDisabledForms_AndCannotPost()
    {
        using var session = await BrowserSession.SignUpAsync(_app);
        await SetRoleAsync(_app, session, WorkspaceRole.Viewer);

        var page = await session.Client.GetStringAsync(Page, Ct);

        Has(page, "id=\"billing-read-only\"", "disabled=\"disabled\" data-checkout-submit=\"creator\"", "disabled=\"disabled\" data-trial=\"creator\"");
        using (var checkout = await CheckoutAsync(session, PlanCatalog.Creator, "monthly", "CNY"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, checkout.StatusCode);
        }

        using (var trial = await session.PostFormAsync($"{Page}?handler=trial&plan=creator", [], Page))
        {
            Assert.Equal(HttpStatusCode.Forbidden, trial.StatusCode);
        }

        await using var db = _app.Database.CreateContext(session.WorkspaceId);
        Assert.Equal(0, await db.BillingOrders.CountAsync(Ct));
        Assert.Equal(PlanCatalog.Starter, (await db.Subscriptions.SingleAsync(Ct)).PlanCode);
    }

    [Fact]
    public async Task BadCheckout_IsRefusedInWords_OnThePage()
    {
        using var session = await BrowserSession.SignUpAsync(_app);

        using var refused = await CheckoutAsync(session, PlanCatalog.Enterprise, "weekly", "CNY");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Has(html, "id=\"billing-errors\"", "Choose one of the plans sold online: creator, business.", "Choose monthly or annual billing.");
    }

    [Fact]
    public async Task Pages_RenderInChinese()
    {
        using var session = await BrowserSession.SignUpAsync(_app, language: "zh-CN");

        var billing = await session.Client.GetStringAsync(Page, Ct);
        Has(billing, "<html lang=\"zh-CN\">", "套餐与账单", "按年付费 ¥40/月（¥480/年）", "开始 7 天免费试用", "联系销售", "测试支付网关", "暂无付款记录。");
        var usage = await session.Client.GetStringAsync("/app/usage", Ct);
        Has(usage, "用量", "已用 0 / 5", "不限量", "配额将在", "升级以获得更多用量");
    }

    private static Task<HttpResponseMessage> CheckoutAsync(BrowserSession session, string plan, string cycle, string currency) =>
        session.PostFormAsync($"{Page}?handler=checkout", new()
        {
            ["Checkout.Plan"] = plan, ["Checkout.Cycle"] = cycle, ["Checkout.Currency"] = currency, ["Checkout.Gateway"] = PaymentGateways.Test,
        }, Page);

    private static async Task<string> WaitForAsync(BrowserSession session, string path, Func<string, bool> done)
    {
        // A bound, not a speed check: the payment is processed by a background job on a shared machine.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var html = await session.Client.GetStringAsync(path, Ct);
            if (done(html))
            {
                return html;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The payment was not processed in time.");
            await Task.Delay(100, Ct);
        }
    }

    private static void Has(string html, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.True(html.Contains(part, StringComparison.Ordinal), $"Missing: {part}");
        }
    }

    [GeneratedRegex("href=\"/app/billing/invoices/([0-9a-f-]{36})\"")]
    private static partial Regex InvoiceLink();
}
