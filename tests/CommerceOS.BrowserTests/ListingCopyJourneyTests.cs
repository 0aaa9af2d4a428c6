namespace CommerceOS.BrowserTests;

/// <summary>A seller writes, checks, rewrites and approves Amazon listing copy in a real browser against the real server.</summary>
public sealed class ListingCopyJourneyTests
{
    [Fact]
    public async Task Seller_GeneratesAmazonCopy_SeesCountersGoOverTheLimit_RegeneratesTheTitle_AndApproves()
    {
        await using var server = await ServerProcess.StartAsync();
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);

        await Browsers.SignUpAsync(page, server, "copy", "Mei Seller");

        // A product with the facts its copy is written from.
        await page.GotoAsync("/app/products/new");
        await page.FillAsync("#sku", "BOTTLE-750");
        await page.FillAsync("#title", "Aurora insulated steel water bottle");
        await page.FillAsync("#description", "A double-wall insulated bottle for hikes, the gym and the office.");
        await page.FillAsync("#category", "Water bottles");
        await page.FillAsync("#audience", "Hikers and commuters");
        await page.FillAsync("#selling-points", "Keeps drinks cold for a full day\nLeak-proof screw lid\nWide mouth fits ice cubes\nPowder-coated grip that does not slip\nFits most car cup holders");
        await page.FillAsync("input[name='Form.Attributes[0].Name']", "Material");
        await page.FillAsync("input[name='Form.Attributes[0].Value']", "Stainless steel");
        await page.FillAsync("input[name='Form.Attributes[1].Name']", "Color");
        await page.FillAsync("input[name='Form.Attributes[1].Value']", "Ocean blue");
        await page.ClickAsync("#save-product");
        await page.WaitForSelectorAsync("#photo-upload");

        // The nav's Listing Copy opens the page on the newest product, Amazon, English.
        await page.ClickAsync("aside a[href='/app/listing-copy']");
        await page.WaitForSelectorAsync("#copy-generate-form");
        Assert.Equal("page", await page.GetAttributeAsync("#copy-marketplaces a[data-marketplace='amazon']", "aria-current"));
        Assert.Equal(13, await page.Locator("#copy-marketplaces a[data-marketplace]").CountAsync());
        await page.SelectOptionAsync("#copy-tone", "warm");
        await Browsers.ScreenshotAsync(page, "copy-01-empty");
        await page.ClickAsync("#copy-generate-button");
        await page.WaitForSelectorAsync("#copy-notice");
        // The jobs poll reloads the page once the job is done: the version appears without a manual refresh.
        await page.WaitForSelectorAsync("#copy-editor[data-version='1']", new() { Timeout = 90_000 });

        var bullets = page.Locator("textarea[name^='Edit.Bullets']");
        Assert.Equal(5, await bullets.CountAsync());
        for (var i = 0; i < 5; i++)
        {
            Assert.NotEmpty((await bullets.Nth(i).InputValueAsync()).Trim());
        }

        var generatedTitle = await page.InputValueAsync("#f-title");
        Assert.Equal(CountOf(generatedTitle), int.Parse(await page.InnerTextAsync("#f-title-count [data-count]"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("200", await page.InnerTextAsync("#f-title-count [data-limit]"));
        Assert.Equal("false", await page.GetAttributeAsync("#f-title-count", "data-over"));
        await Browsers.ScreenshotAsync(page, "copy-02-generated");

        // Typing past Amazon's 200-character title limit turns the counter over-limit as the seller types.
        await page.FocusAsync("#f-title");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" " + string.Concat(Enumerable.Repeat("extra words ", 20)));
        await page.WaitForSelectorAsync("#f-title-count.over[data-over='true']");
        var typed = await page.InputValueAsync("#f-title");
        Assert.True(typed.Length > 200);
        Assert.Equal(CountOf(typed).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync("#f-title-count [data-count]"));
        await Browsers.ScreenshotAsync(page, "copy-03-over-limit");

        // Regenerate the title only: a new version with a fresh title and the same bullets.
        var firstBullet = await bullets.Nth(0).InputValueAsync();
        await page.ClickAsync("button[data-regenerate='title']");
        await page.WaitForSelectorAsync("#copy-editor[data-version='2']", new() { Timeout = 90_000 });
        var regenerated = await page.InputValueAsync("#f-title");
        Assert.NotEqual(typed, regenerated);
        Assert.Equal("false", await page.GetAttributeAsync("#f-title-count", "data-over"));
        Assert.Equal(firstBullet, await page.Locator("textarea[name^='Edit.Bullets']").Nth(0).InputValueAsync());
        Assert.Equal(2, await page.Locator("#copy-history tr[data-version]").CountAsync());
        await Browsers.ScreenshotAsync(page, "copy-04-regenerated");

        await page.ClickAsync("#copy-approve");
        await page.WaitForSelectorAsync("#copy-locked");
        Assert.True(await page.IsDisabledAsync("#f-title"));
        Assert.Equal(0, await page.Locator("#copy-save").CountAsync());
        await page.WaitForSelectorAsync("#copy-unlock");
        await Browsers.ScreenshotAsync(page, "copy-05-approved");

        Assert.Empty(cspViolations);
    }

    /// <summary>Characters as copy.js and the server count them (text elements); the test's titles are plain ASCII.</summary>
    private static int CountOf(string text) => new System.Globalization.StringInfo(text).LengthInTextElements;

}
