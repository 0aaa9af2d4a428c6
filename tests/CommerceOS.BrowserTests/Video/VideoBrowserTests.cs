using Microsoft.Playwright;

namespace CommerceOS.BrowserTests.Video;

/// <summary>A seller makes a product video in a real browser against the real server and its local ffmpeg engine.</summary>
public sealed class VideoBrowserTests
{
    [Fact]
    public async Task Seller_PicksTemplateAndFormat_Generates_WatchesProgress_PlaysAndDownloadsTheVideo()
    {
        await using var server = await ServerProcess.StartAsync();
        var (playwright, browser) = await Browsers.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (page, cspViolations) = await Browsers.NewPageAsync(browser, server);

        await Browsers.SignUpAsync(page, server, "video", "Ren Seller");

        await page.GotoAsync("/app/products/new");
        await page.FillAsync("#sku", "BOTTLE-V1");
        await page.FillAsync("#title", "Aurora insulated bottle");
        await page.FillAsync("#selling-points", "Cold for 24 hours\nLeak-proof lid");
        await page.ClickAsync("#save-product");
        await page.WaitForSelectorAsync("#photo-upload");
        await page.SetInputFilesAsync("#photo-upload", [new FilePayload { Name = "bottle.jpg", MimeType = "image/jpeg", Buffer = Bottle() }]);
        await page.ClickAsync("#upload-photos");
        await page.WaitForSelectorAsync("#photo-list li:nth-child(1)");

        // The nav opens the studio on the newest product, captions pre-filled from its selling points.
        await page.ClickAsync("aside a[href='/app/video-studio']");
        await page.WaitForSelectorAsync("#video-form");
        Assert.Equal("Cold for 24 hours\nLeak-proof lid", await page.InputValueAsync("#video-captions"));
        await page.CheckAsync("input[name='Form.Template'][value='showcase']");
        await page.UncheckAsync("input[name='Form.Formats'][value='9:16']");
        await page.CheckAsync("input[name='Form.Formats'][value='1:1']");
        await page.FillAsync("#video-duration", "6");
        await page.FillAsync("#video-title", "Cold all day");
        await Browsers.ScreenshotAsync(page, "video-01-form");
        await page.ClickAsync("#video-generate");
        await page.WaitForSelectorAsync("#video-notice");

        // The job row with its progress bar, then (polled every 2 s, no reload) the player with its cover.
        await page.WaitForSelectorAsync("#video-jobs tr[data-job-id] progress");
        await page.WaitForSelectorAsync("#video-gallery video.video-player[poster]", new() { Timeout = 120_000 });
        Assert.Equal("succeeded", await page.GetAttributeAsync("#video-jobs tr[data-job-id]", "data-status"));
        Assert.Equal("100", await page.GetAttributeAsync("#video-jobs tr[data-job-id] progress", "value"));
        var poster = await page.GetAttributeAsync("#video-gallery video.video-player", "poster");
        var cover = await page.Context.APIRequest.GetAsync(poster!);
        Assert.Equal(200, cover.Status);
        Assert.Equal("image/jpeg", cover.Headers["content-type"]);
        Assert.Equal(1, await page.Locator("#video-gallery video track[kind='captions']").CountAsync());
        Assert.Matches(@"^6(\.\d+)? s is shorter than the 15 s minimum\. \(source: marketplace-rules\.md §1\.2 \(P\)\)$",
            (await page.InnerTextAsync("#video-gallery li[data-marketplace='amazon'] li[data-rule]")).Trim());
        await Browsers.ScreenshotAsync(page, "video-02-result");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#video-gallery a[data-download='mp4']"));
        Assert.EndsWith(".mp4", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(saved!, TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 10_000, $"{bytes.Length} bytes");
        Assert.Equal("ftyp"u8.ToArray(), bytes[4..8]);

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
