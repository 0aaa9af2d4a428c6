using Microsoft.Playwright;

namespace CommerceOS.BrowserTests.Privacy;

/// <summary>
/// security-privacy.md row P3 in a real browser: before a choice only essential cookies exist and no analytics request is
/// made; accepting is one click and starts analytics; withdrawing is one click too, deletes the analytics cookie and stops
/// every analytics request.
/// </summary>
public sealed class ConsentBrowserTests
{
    private static readonly string[] Essential = ["__Host-cos-af", "__Host-cos-consent", ".AspNetCore.Culture"];

    [Fact]
    public async Task NoAnalyticsBeforeConsent_OneClickToAccept_OneClickToWithdraw()
    {
        await using var server = await ServerProcess.StartAsync();
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);
        var analyticsRequests = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/analytics/", StringComparison.Ordinal))
            {
                analyticsRequests.Add(request.Url);
            }
        };

        await page.GotoAsync("/");
        await page.GotoAsync("/pricing");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForSelectorAsync("#consent-banner");
        await Browsers.ScreenshotAsync(page, "consent-01-banner");
        Assert.Empty(analyticsRequests);
        Assert.All(await page.Context.CookiesAsync(), c => Assert.Contains(c.Name, Essential));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "__Host-cos-aid");
        // Accept and reject look alike: the same element, class and size.
        var accept = await page.Locator("#consent-accept").BoundingBoxAsync();
        var reject = await page.Locator("#consent-reject").BoundingBoxAsync();
        Assert.Equal(await page.GetAttributeAsync("#consent-accept", "class"), await page.GetAttributeAsync("#consent-reject", "class"));
        Assert.Equal(accept!.Height, reject!.Height);

        // One click accepts; the next pages report their views.
        var collected = page.WaitForRequestAsync("**/analytics/collect");
        await page.ClickAsync("#consent-accept");
        await collected;
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "__Host-cos-aid");
        Assert.Equal(0, await page.Locator("#consent-banner").CountAsync());

        // One click withdraws, from the footer's cookie settings.
        await page.ClickAsync("#cookie-settings");
        await page.WaitForSelectorAsync("#analytics-consent[data-analytics='accepted']");
        await page.ClickAsync("#analytics-withdraw");
        await page.WaitForSelectorAsync("#analytics-consent[data-analytics='rejected']");
        await Browsers.ScreenshotAsync(page, "consent-02-withdrawn");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "__Host-cos-aid");

        var before = analyticsRequests.Count;
        await page.GotoAsync("/pricing");
        await page.GotoAsync("/");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(before, analyticsRequests.Count);
        Assert.Equal(0, await page.Locator("#consent-banner").CountAsync());
        Assert.Empty(cspViolations);
    }
}
