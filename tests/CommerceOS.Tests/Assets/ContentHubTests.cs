using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Tests.Catalog;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Assets;

public sealed partial class ContentHubTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_ThreeImagesThroughTheHub_ListedWithThumbnailsAndFiltersWork(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app, displayName: "Mina");

        using var uploaded = await UploadAsync(session,
            (TestImages.Png(64, 48), "red-scarf.png", "image/png"),
            (TestImages.Jpeg(300, 200), "Blue Scarf.jpg", "image/jpeg"),
            (TestImages.WebP(80, 80), "tote.webp", "image/webp"));

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Equal("/app/content-hub?uploaded=3", uploaded.Headers.Location!.OriginalString);
        var assets = await WaitForThumbnailsAsync(app, session, 3);
        var hub = await GetTextAsync(session, "/app/content-hub?uploaded=3");
        Assert.Contains("3 files uploaded.", hub, StringComparison.Ordinal);
        Assert.Contains("class=\"gallery\"", hub, StringComparison.Ordinal);
        Assert.Equal(assets.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Select(a => a.Id), FigureIds(hub));
        foreach (var asset in assets)
        {
            Assert.Contains($"src=\"/api/v1/assets/{asset.Id}/content?variant=thumbnail\"", hub, StringComparison.Ordinal);
            Assert.Contains($"href=\"/api/v1/assets/{asset.Id}/content?download=true\"", hub, StringComparison.Ordinal);
        }

        Assert.Equal(3, Regex.Count(hub, "Uploaded by Mina"));
        Assert.Contains("64 × 48 px", hub, StringComparison.Ordinal);
        var red = assets.Single(a => a.OriginalFileName == "red-scarf.png").Id;
        var blue = assets.Single(a => a.OriginalFileName == "Blue Scarf.jpg").Id;
        var tote = assets.Single(a => a.OriginalFileName == "tote.webp").Id;

        Assert.Equal([red, blue], FigureIds(await GetTextAsync(session, "/app/content-hub?q=SCARF&sort=oldest")));
        Assert.Equal([tote], FigureIds(await GetTextAsync(session, "/app/content-hub?q=tote")));
        Assert.Equal(assets.OrderByDescending(a => a.ByteSize).Select(a => a.Id), FigureIds(await GetTextAsync(session, "/app/content-hub?sort=largest")));
        Assert.Equal(3, FigureIds(await GetTextAsync(session, "/app/content-hub?kind=uploads&type=image")).Count);
        var generated = await GetTextAsync(session, "/app/content-hub?kind=generated");
        Assert.Empty(FigureIds(generated));
        Assert.Contains("No assets match these filters.", generated, StringComparison.Ordinal);
        Assert.Empty(FigureIds(await GetTextAsync(session, "/app/content-hub?type=video")));

        var today = assets[0].CreatedAt.Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3, FigureIds(await GetTextAsync(session, $"/app/content-hub?from={Day(0)}&to={Day(0)}")).Count);
        Assert.Empty(FigureIds(await GetTextAsync(session, $"/app/content-hub?from={Day(1)}")));
        Assert.Empty(FigureIds(await GetTextAsync(session, $"/app/content-hub?to={Day(-1)}")));

        var product = await AttachAsync(app, session, "SCARF-1", "Silk scarf", red);
        var inProducts = await GetTextAsync(session, "/app/content-hub?usage=in-products");
        Assert.Equal([red], FigureIds(inProducts));
        Assert.Contains($"href=\"/app/products/{product}\" data-product-id=\"{product}\">Silk scarf</a>", inProducts, StringComparison.Ordinal);
        Assert.Equal([tote, blue], FigureIds(await GetTextAsync(session, "/app/content-hub?usage=unused")));
        var byProduct = await GetTextAsync(session, $"/app/content-hub?product={product}");
        Assert.Equal([red], FigureIds(byProduct));
        Assert.Contains("Photos of Silk scarf", byProduct, StringComparison.Ordinal);

        using var fragmentRequest = new HttpRequestMessage(HttpMethod.Get, "/app/content-hub?q=tote");
        fragmentRequest.Headers.Add("HX-Request", "true");
        using var fragment = await session.Client.SendAsync(fragmentRequest, Ct);
        var fragmentHtml = await fragment.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        Assert.StartsWith("<div id=\"hub-results\">", fragmentHtml.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", fragmentHtml, StringComparison.Ordinal);
        Assert.Equal([tote], FigureIds(fragmentHtml));
    }

    [Fact]
    public async Task Gallery_MoreThanOnePage_Pages48AtATimeAndFallsBackToOriginals()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        var ids = await app.InWorkspaceAsync(session, async services =>
        {
            var db = services.GetRequiredService<Core.Data.AppDbContext>();
            var start = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
            var rows = Enumerable.Range(0, 50).Select(i => new Asset
            {
                WorkspaceId = session.WorkspaceId,
                ContentType = "image/png",
                BlobKey = $"blobs/{Guid.NewGuid():N}",
                ThumbnailBlobKey = i % 2 == 0 ? $"blobs/{Guid.NewGuid():N}" : null,
                Sha256 = new string('c', 64),
                ByteSize = 1000 + i,
                Width = 10,
                Height = 10,
                OriginalFileName = $"photo-{i:D2}.png",
                Source = UploadAsset.Source,
                CreatedAt = start.AddMinutes(i),
                LastUsedAt = start.AddMinutes(i),
            }).ToList();
            db.Assets.AddRange(rows);
            await db.SaveChangesAsync(Ct);
            return rows.Select(r => r.Id).ToList();
        });

        var first = await GetTextAsync(session, "/app/content-hub?q=photo");
        var second = await GetTextAsync(session, "/app/content-hub?q=photo&p=2");

        Assert.Equal(ids.AsEnumerable().Reverse().Take(48), FigureIds(first));
        Assert.Equal([ids[1], ids[0]], FigureIds(second));
        Assert.Contains("50 assets", first, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains("hx-get=\"/app/content-hub?q=photo&amp;p=2\"", first, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 2", second, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/content-hub?q=photo\"", second, StringComparison.Ordinal);
        Assert.Contains($"src=\"/api/v1/assets/{ids[0]}/content?variant=thumbnail\"", second, StringComparison.Ordinal);
        Assert.Contains($"src=\"/api/v1/assets/{ids[1]}/content\"", second, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Detail_OwnAsset_ShowsProvenanceAndProductsButOtherWorkspaceGets404(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app, displayName: "Mina");
        using var stranger = await BrowserSession.SignUpAsync(app);
        using var uploaded = await UploadAsync(session, (TestImages.Png(64, 48), "红色围巾.png", "image/png"));
        var asset = await app.QueryAsync(session, db => db.Assets.SingleAsync(Ct));
        var product = await AttachAsync(app, session, "SCARF-9", "真丝围巾 Silk scarf", asset.Id);

        var detail = await GetTextAsync(session, $"/app/content-hub/{asset.Id}");
        using var foreign = await stranger.Client.GetAsync($"/app/content-hub/{asset.Id}", Ct);
        using var missing = await session.Client.GetAsync($"/app/content-hub/{Guid.CreateVersion7()}", Ct);

        Assert.Contains("<h1 class=\"clip\">红色围巾.png</h1>", detail, StringComparison.Ordinal);
        Assert.Contains($"class=\"preview-large\" src=\"/api/v1/assets/{asset.Id}/content\"", detail, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/v1/assets/{asset.Id}/content?download=true\"", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-source>Uploaded by Mina</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-uploader>Mina</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-dimensions>64 × 48 px</td>", detail, StringComparison.Ordinal);
        Assert.Contains($"data-size=\"{asset.ByteSize}\"", detail, StringComparison.Ordinal);
        Assert.Contains(asset.Sha256, detail, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/app/products/{product}\">真丝围巾 Silk scarf</a>", detail, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/content-hub?product={product}\"", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("红色围巾", await foreign.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(FigureIds(await GetTextAsync(stranger, "/app/content-hub")));
    }

    [Fact]
    public async Task Upload_BadOrNoFiles_LocalizedErrorsAndNothingStored()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);

        using var bad = await UploadAsync(session, ("hello, not an image"u8.ToArray(), "notes.png", "image/png"));
        var badHtml = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync(Ct));
        using var none = await session.PostMultipartAsync("/app/content-hub?handler=Upload", new MultipartFormDataContent(), "/app/content-hub");
        var noneHtml = WebUtility.HtmlDecode(await none.Content.ReadAsStringAsync(Ct));
        using var mixed = await UploadAsync(session, (TestImages.Png(20, 20), "good.png", "image/png"), ([], "empty.png", "image/png"));
        var mixedHtml = WebUtility.HtmlDecode(await mixed.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("notes.png: This file type is not supported.", badHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("Choose at least one image to upload.", noneHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, mixed.StatusCode);
        Assert.Contains("empty.png: The file is empty.", mixedHtml, StringComparison.Ordinal);
        var stored = await app.QueryAsync(session, db => db.Assets.Select(a => a.OriginalFileName).ToListAsync(Ct));
        Assert.Equal(["good.png"], stored);
        Assert.Single(FigureIds(mixedHtml));
    }

    [Fact]
    public async Task Hub_InvalidDate_LocalizedErrorWithStatus400()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);

        using var response = await session.Client.GetAsync("/app/content-hub?from=2026-13-01", Ct);
        using var reversed = await session.Client.GetAsync("/app/content-hub?from=2026-03-05&to=2026-03-01", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("From: enter the date as YYYY-MM-DD.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("The end date must be on or after the start date.", WebUtility.HtmlDecode(await reversed.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_EmptyWorkspace_PointsToProducts()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);

        var hub = await GetTextAsync(session, "/app/content-hub");

        Assert.Contains("id=\"hub-empty\"", hub, StringComparison.Ordinal);
        Assert.Contains("No assets yet", hub, StringComparison.Ordinal);
        Assert.Contains("<a class=\"btn btn-primary\" href=\"/app/products\">Go to Products</a>", hub, StringComparison.Ordinal);
        Assert.Contains("id=\"hub-upload\"", hub, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_Chinese_RendersChineseLabels()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN", displayName: "小明");

        var empty = await GetTextAsync(session, "/app/content-hub");
        using var uploaded = await UploadAsync(session, (TestImages.Png(64, 48), "围巾.png", "image/png"));
        var hub = await GetTextAsync(session, "/app/content-hub");
        var id = FigureIds(hub).Single();
        var detail = await GetTextAsync(session, $"/app/content-hub/{id}");

        Assert.Contains("<h1>内容中心</h1>", empty, StringComparison.Ordinal);
        Assert.Contains("还没有素材", empty, StringComparison.Ordinal);
        Assert.Contains("前往商品", empty, StringComparison.Ordinal);
        Assert.Contains("上传图片", empty, StringComparison.Ordinal);
        Assert.Contains("最新优先", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("Newest first", empty, StringComparison.Ordinal);
        Assert.Contains("由 小明 上传", hub, StringComparison.Ordinal);
        Assert.Contains("64 × 48 像素", hub, StringComparison.Ordinal);
        Assert.Contains("共 1 个素材", hub, StringComparison.Ordinal);
        Assert.Contains("来源信息", detail, StringComparison.Ordinal);
        Assert.Contains("还没有商品使用此素材。", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubPages_Markup_HasNoInlineStylesOrScripts()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        using var uploaded = await UploadAsync(session, (TestImages.Png(16, 16), "a.png", "image/png"));
        var id = await app.QueryAsync(session, db => db.Assets.Select(a => a.Id).SingleAsync(Ct));

        foreach (var path in new[] { "/app/content-hub", $"/app/content-hub/{id}" })
        {
            var html = await GetTextAsync(session, path);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("<style[\\s>]", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        }
    }

    private static async Task<HttpResponseMessage> UploadAsync(BrowserSession session, params (byte[] Bytes, string FileName, string ContentType)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (bytes, fileName, contentType) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            content.Add(file, "files", fileName);
        }

        return await session.PostMultipartAsync("/app/content-hub?handler=Upload", content, "/app/content-hub");
    }

    /// <summary>The thumbnail job runs in the host's Hangfire server; waits until every upload has one.</summary>
    private static async Task<List<Asset>> WaitForThumbnailsAsync(AppFactory app, BrowserSession session, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var assets = await app.QueryAsync(session, db => db.Assets.AsNoTracking().ToListAsync(Ct));
            Assert.Equal(count, assets.Count);
            if (assets.All(a => a.ThumbnailBlobKey is not null))
            {
                return assets;
            }

            Assert.True(attempt < 300, "Thumbnails were not made within 30 seconds.");
            await Task.Delay(100, Ct);
        }
    }

    private static Task<Guid> AttachAsync(AppFactory app, BrowserSession session, string sku, string title, Guid assetId) =>
        app.InWorkspaceAsync(session, async services =>
        {
            var created = await services.GetRequiredService<CreateProduct>().HandleAsync(new CreateProduct.Request(CatalogScope.Sample(sku, title)), Ct);
            Assert.True(created.IsSuccess, created.ToString());
            var added = await services.GetRequiredService<AddPhoto>().HandleAsync(new AddPhoto.Request(created.Value.Id, assetId), Ct);
            Assert.True(added.IsSuccess, added.ToString());
            return created.Value.Id;
        });

    private static List<Guid> FigureIds(string html) =>
        [.. FigureId().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value))];

    private static async Task<string> GetTextAsync(BrowserSession session, string path)
    {
        using var response = await session.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [GeneratedRegex("<figure data-asset-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex FigureId();
}
