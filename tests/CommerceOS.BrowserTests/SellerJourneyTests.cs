using Microsoft.Playwright;

namespace CommerceOS.BrowserTests;

/// <summary>A seller's first session in a real browser against the real server process.</summary>
public sealed class SellerJourneyTests
{
    private const string Password = "amber canyon teapot 2026";

    [Fact]
    public async Task Seller_RegistersConfirmsSignsInAndSwitchesToChinese()
    {
        await using var server = await ServerProcess.StartAsync();
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);

        await page.GotoAsync("/");
        await page.ClickAsync("text=Start free");
        var email = $"seller-{Guid.NewGuid():N}@example.com";
        await page.FillAsync("#email", email);
        await page.FillAsync("#displayName", "Lin Seller");
        await page.FillAsync("#password", Password);
        await page.FillAsync("#dob", "1990-05-01");
        await page.CheckAsync("#legal");
        await Browsers.ScreenshotAsync(page, "01-register");
        await page.ClickAsync("#register-submit");
        await page.WaitForSelectorAsync("#check-email");

        await page.GotoAsync(Browsers.ConfirmationLink(server.DataDirectory));
        await page.ClickAsync("#confirm-email");
        await page.WaitForSelectorAsync("#email-confirmed");

        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#login-submit");
        await Browsers.DashboardAsync(page);
        Assert.Contains("Welcome, Lin Seller", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "__Host-cos");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        await Browsers.ScreenshotAsync(page, "02-dashboard-en");

        // A product with two photos, seen in the list and in the Content Hub.
        await page.GotoAsync("/app/products/new");
        await page.FillAsync("#sku", "MUG-001");
        await page.FillAsync("#title", "Stoneware Coffee Mug 350 ml");
        await page.FillAsync("#category", "Home");
        await page.FillAsync("#selling-points", "Holds 350 ml\nDishwasher safe");
        await page.FillAsync("input[name='Form.Variants[0].Sku']", "MUG-001-BLUE");
        await page.FillAsync("input[name='Form.Variants[0].Options']", "Color=Blue");
        await page.FillAsync("input[name='Form.Variants[0].Price']", "12.50");
        await page.FillAsync("input[name='Form.Variants[0].Stock']", "40");
        await page.ClickAsync("#save-product");
        await page.WaitForSelectorAsync("#photo-upload");
        var productUrl = page.Url;
        await page.SetInputFilesAsync("#photo-upload",
        [
            new FilePayload { Name = "front.png", MimeType = "image/png", Buffer = Photo(220, 180, 40, ".png") },
            new FilePayload { Name = "side.jpg", MimeType = "image/jpeg", Buffer = Photo(640, 480, 200, ".jpg") },
        ]);
        await page.ClickAsync("#upload-photos");
        await page.WaitForSelectorAsync("#photo-list li:nth-child(2)");
        Assert.Equal(2, await page.Locator("#photo-list li").CountAsync());
        await Browsers.ScreenshotAsync(page, "03-product");

        await page.GotoAsync("/app/products?q=MUG");
        await page.WaitForSelectorAsync("#products-table tr[data-sku='MUG-001']");
        await Browsers.ScreenshotAsync(page, "04-products");

        await page.GotoAsync("/app/content-hub");
        await page.WaitForSelectorAsync("figure[data-asset-id]");
        Assert.Equal(2, await page.Locator("figure[data-asset-id]").CountAsync());
        await Browsers.ScreenshotAsync(page, "05-content-hub");

        // Image Studio: a real product photo becomes an Amazon main image that passes its checker.
        await page.GotoAsync(productUrl);
        await page.SetInputFilesAsync("#photo-upload", [new FilePayload { Name = "bottle.jpg", MimeType = "image/jpeg", Buffer = Bottle() }]);
        await page.ClickAsync("#upload-photos");
        await page.WaitForSelectorAsync("#photo-list li:nth-child(3)");
        await page.ClickAsync("#open-image-studio");
        await page.WaitForSelectorAsync("#studio-form");
        await page.CheckAsync(".studio-photos label:nth-child(3) input");
        Assert.True(await page.IsCheckedAsync("input[name='Form.Skills'][value='main-image']"));
        Assert.True(await page.IsCheckedAsync("input[name='Form.Marketplaces'][value='amazon']"));
        await page.ClickAsync("#studio-generate");
        await page.WaitForSelectorAsync("#studio-notice");
        await page.WaitForSelectorAsync("#studio-gallery article[data-skill='main-image'][data-marketplace='amazon'] [data-compliance='pass']", new() { Timeout = 60_000 });
        await Browsers.ScreenshotAsync(page, "06-image-studio");

        await page.ClickAsync("#open-compliance");
        await page.SelectOptionAsync("#compliance-marketplace", "amazon");
        await page.SetInputFilesAsync("#compliance-image", [new FilePayload { Name = "bottle.jpg", MimeType = "image/jpeg", Buffer = Bottle() }]);
        await page.ClickAsync("#compliance-submit");
        await page.WaitForSelectorAsync("#compliance-result[data-passed='false']");
        Assert.Equal("false", await page.GetAttributeAsync("#compliance-rules tr[data-rule='background']", "data-passed"));
        await page.WaitForSelectorAsync("#compliance-overlay");
        await Browsers.ScreenshotAsync(page, "07-compliance");

        await page.GotoAsync("/app/dashboard");
        await page.ClickAsync("button[value='zh-CN']");
        await page.WaitForSelectorAsync("html[lang='zh-CN']");
        Assert.Contains("欢迎,Lin Seller", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Contains("商品中心", await page.InnerTextAsync("aside"), StringComparison.Ordinal);
        await Browsers.ScreenshotAsync(page, "08-dashboard-zh");
        await page.GotoAsync("/app/image-studio");
        Assert.Contains("图片工作室", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await Browsers.ScreenshotAsync(page, "09-image-studio-zh");

        // The preference is saved with the account: a new browser session comes back in Chinese.
        var second = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), Locale = "en-US" });
        second.SetDefaultTimeout(90_000);
        var again = await second.NewPageAsync();
        await again.GotoAsync("/account/login");
        await again.FillAsync("#email", email);
        await again.FillAsync("#password", Password);
        await again.ClickAsync("#login-submit");
        try
        {
            await Browsers.DashboardAsync(again);
        }
        catch (TimeoutException)
        {
            await Browsers.ScreenshotAsync(again, "99-second-login-failed");
            Assert.Fail($"Second sign-in stayed on {again.Url}: {await again.InnerTextAsync("main")}");
        }

        Assert.Contains("欢迎", await again.InnerTextAsync("main"), StringComparison.Ordinal);

        Assert.Empty(cspViolations);
    }

    private static byte[] Photo(int width, int height, double shade, string format)
    {
        using var image = NetVips.Image.Black(width, height, bands: 3) + shade;
        return image.Cast(NetVips.Enums.BandFormat.Uchar).WriteToBuffer(format);
    }

    /// <summary>A red bottle on a light grey paper sweep with a soft shadow: the photo a seller takes at home.</summary>
    private static byte[] Bottle()
    {
        const int width = 800, height = 1000;
        using var xy = NetVips.Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var paper = ((y * (10.0 / height)) + 234).Cast(NetVips.Enums.BandFormat.Uchar);
        using var background = paper.Bandjoin([paper, paper]).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        using var body = ((x - (width / 2.0)).Abs() < 130) & (y > 350) & (y < 850);
        using var neck = ((x - (width / 2.0)).Abs() < 45) & (y > 180) & (y <= 350);
        using var mask = body | neck;
        using var shade = 1.0 - ((x - (width / 2.0)).Abs() / 130 * 0.35);
        using var paint = (shade * 200).Cast(NetVips.Enums.BandFormat.Uchar).Bandjoin([(shade * 40).Cast(NetVips.Enums.BandFormat.Uchar), (shade * 50).Cast(NetVips.Enums.BandFormat.Uchar)]);
        using var photo = mask.Ifthenelse(paint, background);
        return photo.JpegsaveBuffer(q: 92);
    }

}
