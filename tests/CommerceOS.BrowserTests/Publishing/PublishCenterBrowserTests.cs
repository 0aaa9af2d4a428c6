using System.Text.Json.Nodes;

namespace CommerceOS.BrowserTests.Publishing;

/// <summary>
/// The Publish Center in a real browser against the real server and its real Shopify adapter, talking to an in-test shop:
/// connect the store, check the product (the gate's findings, the required-field checklist), pick a suggested category,
/// publish, watch the history reach Done without reloading, find the listing with its link, unpublish it.
/// </summary>
public sealed class PublishCenterBrowserTests
{
    /// <summary>The Shopify taxonomy category of categories.json's "water-bottles", suggested from the product's category.</summary>
    private const string Drinkware = "gid://shopify/TaxonomyCategory/hg-11-10-5";

    private const string Title = "Aurora insulated steel water bottle";

    [Fact]
    public async Task Seller_ConnectsShopify_ChecksTheProduct_PicksACategory_Publishes_SeesItLive_AndUnpublishes()
    {
        await using var shop = await FakeShopifyShop.StartAsync();
        await using var server = await ServerProcess.StartAsync("--Publishing:Shopify:ShopUrlTemplate", shop.ShopUrlTemplate);
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);
        // Disconnect and unpublish ask first (window.confirm): the seller says yes.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        var email = await Browsers.SignUpAsync(page, server, "publish", "Tao Seller");
        await Browsers.SetPlanAsync(server, email, "creator");

        // A product with two priced variants and a category the suggestions know.
        await page.GotoAsync("/app/products/new");
        await page.FillAsync("#sku", "BOTTLE-750");
        await page.FillAsync("#title", Title);
        await page.FillAsync("#description", "A double-wall insulated bottle for hikes, the gym and the office.");
        await page.FillAsync("#category", "Water bottles");
        await page.FillAsync("input[name='Form.Variants[0].Sku']", "BOTTLE-750-BLUE");
        await page.FillAsync("input[name='Form.Variants[0].Options']", "Color=Ocean blue");
        await page.FillAsync("input[name='Form.Variants[0].Price']", "24.00");
        await page.FillAsync("input[name='Form.Variants[0].Currency']", "USD");
        await page.FillAsync("input[name='Form.Variants[0].Stock']", "40");
        await page.FillAsync("input[name='Form.Variants[1].Sku']", "BOTTLE-750-GREEN");
        await page.FillAsync("input[name='Form.Variants[1].Options']", "Color=Forest green");
        await page.FillAsync("input[name='Form.Variants[1].Price']", "29.50");
        await page.FillAsync("input[name='Form.Variants[1].Currency']", "USD");
        await page.FillAsync("input[name='Form.Variants[1].Stock']", "12");
        await page.ClickAsync("#save-product");
        await page.WaitForSelectorAsync("#open-publish");
        var productId = new Uri(page.Url).AbsolutePath.Split('/')[^1];

        // The Publish Center: no store yet; the Shopify connect form, tested live against the shop before it is saved.
        await page.ClickAsync("aside a[href='/app/publish']");
        await page.WaitForSelectorAsync("#connections-empty");
        Assert.Equal(0, await page.Locator("#publish-upgrade").CountAsync());
        Assert.Equal("0", await page.GetAttributeAsync("#connections-gauge", "data-used"));
        await page.ClickAsync("details[data-connect='shopify'] summary");
        await page.FillAsync("#connect-shopify input[name='Connect.Name']", "Aurora US");
        await page.FillAsync("#connect-shopify-shop", "aurora-outdoor");
        await page.FillAsync("#connect-shopify-access_token", FakeShopifyShop.Token);
        await Browsers.ScreenshotAsync(page, "publish-01-connect");
        await page.ClickAsync("#connect-shopify button[data-connect-submit='shopify']");
        await page.WaitForSelectorAsync("#publish-notice");
        var connection = page.Locator("#connections tr[data-connection]");
        Assert.Equal(1, await connection.CountAsync());
        Assert.Equal("active", await connection.GetAttributeAsync("data-status"));
        Assert.Contains(FakeShopifyShop.ShopTitle, await connection.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("1", await page.GetAttributeAsync("#connections-gauge", "data-used"));
        Assert.DoesNotContain(FakeShopifyShop.Token, await page.ContentAsync(), StringComparison.Ordinal);

        // The product's publish page: the compliance check (no copy yet is a warning, nothing blocks) and the checklist.
        await page.GotoAsync($"/app/products/{productId}");
        await page.ClickAsync("#open-publish");
        await page.WaitForSelectorAsync("#publish-preview");
        Assert.Equal("false", await page.GetAttributeAsync("#publish-preview", "data-blocked"));
        Assert.Equal(0, await page.Locator("#publish-preview [data-blocking='true']").CountAsync());
        Assert.Equal(1, await page.Locator("#publish-preview li[data-issue='publishing.gate.no_copy'][data-blocking='false']").CountAsync());
        Assert.Equal(new[] { "title", "price" }, await page.Locator("#publish-checklist li[data-required]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.required)"));
        Assert.Equal(2, await page.Locator("#publish-checklist li[data-done='true']").CountAsync());
        Assert.Equal("", await page.InputValueAsync("#publish-category"));
        await page.ClickAsync($"#publish-suggestions button[data-suggestion='{Drinkware}']");
        Assert.Equal(Drinkware, await page.InputValueAsync("#publish-category"));
        await Browsers.ScreenshotAsync(page, "publish-02-check");

        // Publish: the history shows the publication under way (the shop holds its answer) and refreshes itself in place
        // until it is Done.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shop.ProductSetGate = release.Task;
        await page.ClickAsync("#publish-submit");
        await page.WaitForSelectorAsync("#publish-notice");
        var underWay = await page.GetAttributeAsync("#publish-history tr[data-publication]", "data-status");
        Assert.True(underWay is "queued" or "running", underWay);
        Assert.Equal("true", await page.GetAttributeAsync("#publish-history", "data-polling"));
        await page.EvaluateAsync("() => { window.samePage = true; }");
        release.SetResult();
        var done = page.Locator("#publish-history tr[data-publication][data-status='succeeded']");
        await done.WaitForAsync(new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.samePage === true"), "the history was not refreshed in place");
        Assert.Equal("Done", (await done.Locator("td > span.badge").InnerTextAsync()).Trim());
        const string link = "https://admin.shopify.com/store/aurora-outdoor/products/";
        Assert.StartsWith(link, await done.Locator("a[data-external]").GetAttributeAsync("href"), StringComparison.Ordinal);
        await page.WaitForSelectorAsync("#publish-history[data-polling='false']");
        await Browsers.ScreenshotAsync(page, "publish-03-done");

        // What the shop received: one upsert by listing key with the title, the category and both variants' prices.
        var (identifier, input) = Assert.Single(shop.ProductSets);
        Assert.NotNull(identifier["customId"]);
        Assert.Equal(Title, input["title"]?.GetValue<string>());
        Assert.Equal("ACTIVE", input["status"]?.GetValue<string>());
        Assert.Equal(Drinkware, input["category"]?.GetValue<string>());
        var variants = input["variants"]!.AsArray();
        Assert.Equal(
            new[] { ("BOTTLE-750-BLUE", "24.00"), ("BOTTLE-750-GREEN", "29.50") },
            variants.Select(v => (v!["sku"]!.GetValue<string>(), v["price"]!.GetValue<string>())).ToArray());

        // The listing in the Publish Center, live with its link on Shopify; then unpublished (archived on the shop).
        await page.ClickAsync("aside a[href='/app/publish']");
        var listing = page.Locator("#listings tr[data-listing]");
        await listing.WaitForAsync();
        Assert.Equal("live", await listing.GetAttributeAsync("data-status"));
        var href = await listing.Locator("a[data-external]").GetAttributeAsync("href");
        Assert.StartsWith(link, href, StringComparison.Ordinal);
        var productGid = "gid://shopify/Product/" + href![link.Length..];
        Assert.Contains(Title, await listing.InnerTextAsync(), StringComparison.Ordinal);
        await Browsers.ScreenshotAsync(page, "publish-04-listing");

        await listing.Locator("button[data-unpublish]").ClickAsync();
        await page.WaitForSelectorAsync("#publish-notice");
        await page.Locator("#publish-queue tr[data-publication][data-status='succeeded']").Nth(1).WaitForAsync(new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("#publish-queue[data-polling='false']");
        await page.ReloadAsync();
        Assert.Equal("unpublished", await page.GetAttributeAsync("#listings tr[data-listing]", "data-status"));
        Assert.Equal(0, await page.Locator("#listings button[data-unpublish]").CountAsync());
        await Browsers.ScreenshotAsync(page, "publish-05-unpublished");
        var archive = shop.ProductSets.Last();
        Assert.Equal(productGid, archive.Identifier["id"]?.GetValue<string>());
        Assert.Equal(new JsonObject { ["status"] = "ARCHIVED" }.ToJsonString(), archive.Input.ToJsonString());

        Assert.Empty(cspViolations);
    }
}
