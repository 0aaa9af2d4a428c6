namespace CommerceOS.BrowserTests.Billing;

/// <summary>
/// Buying a plan in a real browser against the real server and its local test gateway: the billing page's checkout,
/// the test payment page (clearly marked), and the plan active once the verified notification has been processed.
/// </summary>
public sealed class BillingBrowserTests
{
    [Fact]
    public async Task Seller_ChoosesCreatorMonthly_PaysOnTheTestPage_AndSeesThePlanActive()
    {
        await using var server = await ServerProcess.StartAsync();
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);

        await Browsers.SignUpAsync(page, server, "billing", "Mei Seller");
        await page.ClickAsync("aside a[href='/app/billing']");
        await page.WaitForSelectorAsync("#current-plan[data-plan='starter']");
        var creator = page.Locator("form[data-checkout='creator']");
        await creator.Locator("select[name='Checkout.Cycle']").SelectOptionAsync("monthly");
        await creator.Locator("select[name='Checkout.Gateway']").SelectOptionAsync("test");
        await Browsers.ScreenshotAsync(page, "billing-01-plans");
        await creator.Locator("button[data-checkout-submit='creator']").ClickAsync();

        // The test gateway's page: marked as a test, the amount the server computed.
        await page.WaitForSelectorAsync("#test-mode");
        Assert.Matches("/app/billing/orders/[0-9a-f]{32}$", page.Url);
        Assert.Equal("9.00 USD", (await page.InnerTextAsync("#order-amount")).Trim());
        await Browsers.ScreenshotAsync(page, "billing-02-pay");
        await page.ClickAsync("#test-pay");
        await page.WaitForSelectorAsync("#order");

        // The payment is processed in the background: the billing page shows the plan once it is (a bounded wait).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync("/app/billing");
            if (await page.Locator("#current-plan[data-plan='creator'][data-status='active']").CountAsync() == 1)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "The payment was not processed in time.");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        Assert.Equal("Creator", (await page.InnerTextAsync("#current-plan-name")).Trim());
        Assert.Equal(1, await page.Locator("#billing-test-mode").CountAsync());
        Assert.Equal(1, await page.Locator("#invoices tr[data-invoice]").CountAsync());
        await Browsers.ScreenshotAsync(page, "billing-03-active");
        Assert.Empty(cspViolations);
    }
}
