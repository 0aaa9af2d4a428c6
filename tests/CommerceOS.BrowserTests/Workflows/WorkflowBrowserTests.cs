using Microsoft.Playwright;

namespace CommerceOS.BrowserTests.Workflows;

/// <summary>
/// The closed loop in a real browser against the real server and its local engines: New project (photo, name,
/// marketplace) → the run page with live progress → the approval gate → approve → the run goes past the gate.
/// </summary>
public sealed class WorkflowBrowserTests
{
    [Fact]
    public async Task Seller_CreatesANewProject_WatchesTheRun_ApprovesTheGate_AndTheRunFinishes()
    {
        await using var server = await ServerProcess.StartAsync();
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);

        var email = await Browsers.SignUpAsync(page, server, "workflow", "Lin Seller");
        await Browsers.SetPlanAsync(server, email, "creator");

        // The prominent nav link opens the New project form.
        await page.ClickAsync("#nav-new-project");
        await page.WaitForSelectorAsync("#new-form");
        await page.SetInputFilesAsync("#new-photos", [new FilePayload { Name = "bottle.jpg", MimeType = "image/jpeg", Buffer = Bottle() }]);
        await page.FillAsync("#new-name", "Aurora insulated bottle");
        await page.ClickAsync("#new-form details summary");
        await page.FillAsync("#new-points", "Cold for 24 hours\nLeak-proof lid");
        Assert.True(await page.IsCheckedAsync("#new-marketplaces input[value='amazon']"));
        await Browsers.ScreenshotAsync(page, "workflow-01-new-project");
        await page.ClickAsync("#new-submit");
        await page.WaitForURLAsync("**/app/workflows/runs/*", new() { WaitUntil = WaitUntilState.Commit });

        // Live progress without reloading: htmx replaces the steps every 2 s until the gate waits for the seller.
        await page.WaitForSelectorAsync("#run-steps li[data-step='main@amazon']");
        Assert.Equal("true", await page.GetAttributeAsync("#run-live", "data-polling"));
        await page.WaitForSelectorAsync("#run-live[data-run-status='awaitingApproval'] button[data-approve='approval']", new() { Timeout = 300_000 });
        // What the seller reviews: the images, the video, the copy and the keywords, each on its step.
        Assert.True(await page.Locator("li[data-step='main@amazon'] img").CountAsync() >= 1);
        Assert.True(await page.Locator("li[data-step='video'] video").CountAsync() >= 1);
        Assert.False(string.IsNullOrWhiteSpace(await page.InnerTextAsync("li[data-step='copy@amazon'] [data-copy-title]")));
        Assert.True(await page.Locator("li[data-step='seo@amazon'] [data-keyword]").CountAsync() >= 1);
        await Browsers.ScreenshotAsync(page, "workflow-02-gate");

        await page.ClickAsync("button[data-approve='approval']");
        await page.WaitForSelectorAsync("li[data-step='approval'][data-status='succeeded']");
        // After the gate only the export runs; the run ends (no more polling) once it has.
        await page.WaitForSelectorAsync("#run-live[data-polling='false']", new() { Timeout = 120_000 });
        var status = await page.GetAttributeAsync("#run-live", "data-run-status");
        var export = await page.GetAttributeAsync("li[data-step='export@amazon']", "data-status");
        foreach (var step in await page.Locator("#run-steps > li[data-step]").AllAsync())
        {
            Assert.Equal("succeeded", await step.GetAttributeAsync("data-status"));
        }

        Assert.Equal(("succeeded", "succeeded"), (status, export));
        Assert.Equal(1, await page.Locator("#run-exports a[data-export='amazon']").CountAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#run-exports a[data-export='amazon']"));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(await download.PathAsync()))
        {
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith(".MAIN.jpg", StringComparison.Ordinal));
            Assert.Contains(zip.Entries, e => e.FullName == "manifest.json");
        }

        await Browsers.ScreenshotAsync(page, "workflow-03-finished");
        Assert.Empty(cspViolations);
    }

    /// <summary>A red bottle on a light grey paper sweep.</summary>
    private static byte[] Bottle()
    {
        const int width = 600, height = 600;
        using var xy = NetVips.Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var paper = ((y * (10.0 / height)) + 234).Cast(NetVips.Enums.BandFormat.Uchar);
        using var background = paper.Bandjoin([paper, paper]).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        using var body = ((x - (width / 2.0)).Abs() < 100) & (y > 220) & (y < 540);
        using var neck = ((x - (width / 2.0)).Abs() < 35) & (y > 110) & (y <= 220);
        using var mask = body | neck;
        using var shade = 1.0 - ((x - (width / 2.0)).Abs() / 100 * 0.35);
        using var paint = (shade * 200).Cast(NetVips.Enums.BandFormat.Uchar).Bandjoin([(shade * 40).Cast(NetVips.Enums.BandFormat.Uchar), (shade * 50).Cast(NetVips.Enums.BandFormat.Uchar)]);
        using var photo = mask.Ifthenelse(paint, background);
        return photo.JpegsaveBuffer(q: 90);
    }
}
