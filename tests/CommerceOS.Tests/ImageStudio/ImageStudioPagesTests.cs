using System.Net;
using System.Net.Http.Headers;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.ImageStudio;

public sealed class ImageStudioPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Studio_GenerateThenRegenerate_ShowsGalleryWithComplianceBadge()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        var (productId, photoId) = await ProductWithPhotoAsync(app, session, "PAGE-1");

        var page = await session.Client.GetStringAsync($"/app/image-studio?product={productId}", Ct);
        Assert.Contains($"value=\"{photoId}\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"main-image\"", page, StringComparison.Ordinal);

        using var started = await session.PostFormAsync(
            $"/app/image-studio?product={productId}",
            new Dictionary<string, string>
            {
                ["Form.SourceAssetId"] = photoId.ToString(),
                ["Form.Skills"] = "main-image",
                ["Form.Marketplaces"] = "amazon",
                ["Form.Shadow"] = "false",
                ["Form.Language"] = "en",
            },
            $"/app/image-studio?product={productId}");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.StartsWith($"/app/image-studio?product={productId}&started=1&photo={photoId}", started.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await WaitForStudioJobsAsync(app, session, 1);

        var results = await session.Client.GetStringAsync($"/app/image-studio?handler=results&product={productId}", Ct);
        Assert.Contains("data-skill=\"main-image\"", results, StringComparison.Ordinal);
        Assert.Contains("data-compliance=\"pass\"", results, StringComparison.Ordinal);
        Assert.Contains("data-watermarked", results, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-trigger", results, StringComparison.Ordinal);
        var assetId = await app.QueryAsync(session, db => db.Assets.Where(a => a.Skill == ImageSkills.MainImage).Select(a => a.Id).SingleAsync(Ct));

        using var again = await session.PostFormAsync(
            $"/app/image-studio?handler=regenerate&assetId={assetId}&product={productId}", [], $"/app/image-studio?product={productId}");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await WaitForStudioJobsAsync(app, session, 2);
        Assert.Equal(2, await app.QueryAsync(session, db => db.Assets.CountAsync(a => a.Skill == ImageSkills.MainImage && a.Marketplace == "amazon", Ct)));

        var detail = await session.Client.GetStringAsync($"/app/content-hub/{assetId}", Ct);
        Assert.Contains("id=\"asset-generation\"", detail, StringComparison.Ordinal);
        Assert.Contains("compositeSynthetic", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Studio_RefusedRequest_ShowsTheReasonAndSchedulesNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        var (productId, _) = await ProductWithPhotoAsync(app, session, "PAGE-2");

        using var refused = await session.PostFormAsync(
            $"/app/image-studio?product={productId}",
            new Dictionary<string, string> { ["Form.Skills"] = "infographic", ["Form.Language"] = "en" },
            $"/app/image-studio?product={productId}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"studio-errors\"", html, StringComparison.Ordinal);
        Assert.Contains("Add selling points to the product first", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(session, db => db.Jobs.CountAsync(j => j.Kind == RequestImages.JobKind, Ct)));
    }

    [Fact]
    public async Task Studio_AnotherWorkspacesProductOrImage_IsNotFoundAndChangesNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var owner = await BrowserSession.SignUpAsync(app, displayName: "Owner");
        using var intruder = await BrowserSession.SignUpAsync(app, displayName: "Intruder");
        var (productId, photoId) = await ProductWithPhotoAsync(app, owner, "OWN-1");
        await ProductWithPhotoAsync(app, intruder, "MINE-1");
        var token = await intruder.AntiforgeryTokenAsync("/app/image-studio");

        using (var get = await intruder.Client.GetAsync($"/app/image-studio?product={productId}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        using var post = await intruder.Client.PostAsync(
            $"/app/image-studio?product={productId}",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Form.Skills"] = "cutout", ["Form.SourceAssetId"] = photoId.ToString(),
            }),
            Ct);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        using var regenerate = await intruder.Client.PostAsync(
            $"/app/image-studio?handler=regenerate&assetId={photoId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
            Ct);
        Assert.Equal(HttpStatusCode.NotFound, regenerate.StatusCode);
        Assert.Equal(0, await app.QueryAsync(owner, db => db.Jobs.CountAsync(j => j.Kind == RequestImages.JobKind, Ct)));
        Assert.Equal(0, await app.QueryAsync(intruder, db => db.Jobs.CountAsync(j => j.Kind == RequestImages.JobKind, Ct)));
    }

    [Fact]
    public async Task CompliancePage_ShowsFailedRulesOverlayAndFix_AndRefusesNonImages()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(StudioPhotos.Bottle(900, 900)) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "Image", "bottle.jpg" },
            { new StringContent("amazon"), "Marketplace" },
        };
        using var checkedPage = await session.PostMultipartAsync("/app/image-studio/compliance", form);

        Assert.Equal(HttpStatusCode.OK, checkedPage.StatusCode);
        var html = await checkedPage.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"compliance-result\" data-passed=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("data-rule=\"background\" data-passed=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"compliance-overlay\"", html, StringComparison.Ordinal);
        Assert.Contains("data-fixed-passed=\"true\"", html, StringComparison.Ordinal);

        using var bad = new MultipartFormDataContent
        {
            { new ByteArrayContent("GIF89a not really"u8.ToArray()), "Image", "x.gif" },
            { new StringContent("amazon"), "Marketplace" },
        };
        using var refused = await session.PostMultipartAsync("/app/image-studio/compliance", bad);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Contains("id=\"compliance-error\"", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static Task<(Guid ProductId, Guid PhotoId)> ProductWithPhotoAsync(AppFactory app, BrowserSession session, string sku) =>
        app.InWorkspaceAsync(session, async services =>
        {
            var product = await services.GetRequiredService<CreateProduct>().HandleAsync(
                new CreateProduct.Request(new ProductInput(sku, "Red bottle")), Ct);
            using var photo = new MemoryStream(StudioPhotos.Bottle());
            var asset = await services.GetRequiredService<UploadAsset>().HandleAsync(new UploadAsset.Request(photo, "bottle.jpg"), Ct);
            var added = await services.GetRequiredService<AddPhoto>().HandleAsync(new AddPhoto.Request(product.Value.Id, asset.Asset!.Id), Ct);
            Assert.True(added.IsSuccess);
            return (product.Value.Id, asset.Asset.Id);
        });

    private static async Task WaitForStudioJobsAsync(AppFactory app, BrowserSession session, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var jobs = await app.QueryAsync(session, db => db.Jobs.AsNoTracking().Where(j => j.Kind == RequestImages.JobKind).ToListAsync(Ct));
            if (jobs.Count >= count && jobs.All(j => j.IsTerminal))
            {
                Assert.All(jobs, j => Assert.True(j.Status == JobStatus.Succeeded, j.LastError));
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "studio jobs did not finish");
            await Task.Delay(100, Ct);
        }
    }
}
