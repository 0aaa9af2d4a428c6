using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.ImageStudio;

public sealed class ImageStudioApiTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task MainImage_ForTwoMarketplaces_MakesCompliantWatermarkedImagesWithProvenance(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, photoId) = await ProductWithPhotoAsync(tenant.Client, "MAIN-1");

        using var response = await tenant.Client.PostAsJsonAsync(
            $"/api/v1/products/{productId}/images", new { skill = "main-image", marketplaces = new[] { "amazon", "taobao" } }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal($"/api/v1/jobs/{accepted.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var job = await WaitForJobAsync(tenant.Client, accepted.GetProperty("id").GetGuid());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());

        var gallery = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct);
        var images = gallery.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        foreach (var image in images)
        {
            Assert.Equal("main-image", image.GetProperty("skill").GetString());
            Assert.Equal(photoId, image.GetProperty("sourceAssetId").GetGuid());
            Assert.True(image.GetProperty("watermarked").GetBoolean(), "Starter is the free plan");
            Assert.True(image.GetProperty("compliance").GetProperty("passed").GetBoolean());
            var provenance = image.GetProperty("provenance");
            Assert.Equal("local", provenance.GetProperty("engine").GetString());
            Assert.Equal("compositeSynthetic", provenance.GetProperty("digitalSourceType").GetString());
            Assert.InRange(provenance.GetProperty("cutoutConfidence").GetDouble(), 0.6, 1);
        }

        var amazon = images.Single(i => i.GetProperty("marketplace").GetString() == "amazon");
        var bytes = await tenant.Client.GetByteArrayAsync($"/api/v1/assets/{amazon.GetProperty("assetId").GetGuid()}/content", Ct);
        using (var decoded = Image.NewFromBuffer(bytes))
        {
            Assert.Equal((2000, 2000), (decoded.Width, decoded.Height));
        }

        Assert.Equal(DigitalSourceType.CompositeSynthetic, ImageOutput.ReadProvenance(bytes)?.SourceType);
        var taobao = images.Single(i => i.GetProperty("marketplace").GetString() == "taobao");
        Assert.Equal(800, taobao.GetProperty("width").GetInt32());

        // Each thumbnail was made by the generating job itself, not by a thumbnail job of its own.
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            var generated = await db.Assets.Where(a => a.JobId == accepted.GetProperty("id").GetGuid()).ToListAsync(Ct);
            Assert.Equal(2, generated.Count);
            foreach (var asset in generated)
            {
                Assert.NotNull(asset.ThumbnailBlobKey);
                using var thumbnail = Image.NewFromBuffer(await tenant.Client.GetByteArrayAsync($"/api/v1/assets/{asset.Id}/content?variant=thumbnail", Ct));
                Assert.Equal(400, Math.Max(thumbnail.Width, thumbnail.Height));
            }

            var ids = generated.Select(a => (Guid?)a.Id).ToList();
            Assert.False(await db.Jobs.AnyAsync(j => ids.Contains(j.SubjectId), Ct));
        }

        // Quota: two images committed.
        await using var scope = app.Services.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<UsageLedger>();
        var usage = await ledger.GetUsageAsync(tenant.WorkspaceId, Ct);
        Assert.Equal(2, usage.Single(u => u.Meter == Meters.Images).Used);
    }

    [Fact]
    public async Task PaidPlan_MainImage_HasNoWatermarkAndPassesItsOwnChecker()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "PAID-1");

        var jobId = await RequestAsync(tenant.Client, productId, new { skill = "main-image", marketplaces = new[] { "amazon" } });
        await WaitForJobAsync(tenant.Client, jobId);

        var image = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct)).GetProperty("images")[0];
        Assert.False(image.GetProperty("watermarked").GetBoolean());
        var bytes = await tenant.Client.GetByteArrayAsync($"/api/v1/assets/{image.GetProperty("assetId").GetGuid()}/content", Ct);
        using var check = new MultipartFormDataContent
        {
            { new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "image", "main.jpg" },
            { new StringContent("amazon"), "marketplace" },
        };
        using var checkResponse = await tenant.Client.PostAsync("/api/v1/compliance/check", check, Ct);
        Assert.Equal(HttpStatusCode.OK, checkResponse.StatusCode);
        var report = await checkResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(report.GetProperty("passed").GetBoolean(), report.ToString());
    }

    [Fact]
    public async Task BadRequests_AreRefusedWithCodes_AndScheduleNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        using var other = await app.CreateApiTenantAsync();
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "BAD-1");
        var (otherProduct, otherPhoto) = await ProductWithPhotoAsync(other.Client, "BAD-2");

        async Task AssertRefusedAsync(Guid product, object body, HttpStatusCode status, string code, string? field = null)
        {
            using var response = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{product}/images", body, Ct);
            Assert.Equal(status, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            if (field is null)
            {
                Assert.Equal(code, problem.GetProperty("code").GetString());
            }
            else
            {
                Assert.Contains(code, problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
            }
        }

        await AssertRefusedAsync(productId, new { skill = "oil-painting" }, HttpStatusCode.BadRequest, GenerationErrors.SkillUnknown, "skill");
        await AssertRefusedAsync(productId, new { skill = "main-image" }, HttpStatusCode.BadRequest, GenerationErrors.MarketplaceRequired, "marketplaces");
        await AssertRefusedAsync(productId, new { skill = "main-image", marketplaces = new[] { "mars-mall" } }, HttpStatusCode.BadRequest, GenerationErrors.MarketplaceUnknown, "marketplaces[0]");
        await AssertRefusedAsync(productId, new { skill = "scene", options = new { sceneId = "moon" } }, HttpStatusCode.BadRequest, GenerationErrors.SceneUnknown, "options.sceneId");
        await AssertRefusedAsync(productId, new { skill = "scene", options = new { prompt = new string('a', 501) } }, HttpStatusCode.BadRequest, GenerationErrors.PromptTooLong, "options.prompt");
        await AssertRefusedAsync(productId, new { skill = "infographic" }, HttpStatusCode.BadRequest, GenerationErrors.NoSellingPoints, "skill");
        await AssertRefusedAsync(productId, new { skill = "size-chart" }, HttpStatusCode.BadRequest, SizeCharts.NoSizes, "skill");
        await AssertRefusedAsync(productId, new { skill = "variants", marketplaces = new[] { "amazon" } }, HttpStatusCode.BadRequest, GenerationErrors.SourceNotGenerated, "sourceAssetId");
        await AssertRefusedAsync(productId, new { skill = "cutout", options = new { aiCutout = true } }, HttpStatusCode.BadRequest, GenerationErrors.AiCutoutUnavailable, "options.aiCutout");
        // Another workspace's photo and product are answered like missing ones.
        await AssertRefusedAsync(productId, new { skill = "cutout", sourceAssetId = otherPhoto }, HttpStatusCode.BadRequest, GenerationErrors.PhotoNotOfProduct, "sourceAssetId");
        await AssertRefusedAsync(otherProduct, new { skill = "cutout" }, HttpStatusCode.NotFound, "common.not_found");
        // Starter allows 5 images a month: six marketplaces are refused whole.
        await AssertRefusedAsync(
            productId,
            new { skill = "main-image", marketplaces = new[] { "amazon", "taobao", "shopee", "lazada", "ebay", "etsy" } },
            HttpStatusCode.PaymentRequired,
            UsageErrors.QuotaExceeded);

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.Jobs.CountAsync(j => j.Kind == RequestImages.JobKind, Ct));
        Assert.Equal(0, await db.UsageReservations.CountAsync(Ct));
    }

    [Fact]
    public async Task Variants_ThenArchive_HoldsEverySizeOfTheMarketplace()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "VAR-1");
        await WaitForJobAsync(tenant.Client, await RequestAsync(tenant.Client, productId, new { skill = "main-image", marketplaces = new[] { "tiktok-shop" } }));
        var main = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct)).GetProperty("images")[0].GetProperty("assetId").GetGuid();

        await WaitForJobAsync(tenant.Client, await RequestAsync(tenant.Client, productId, new { skill = "variants", sourceAssetId = main, marketplaces = new[] { "tiktok-shop" } }));

        var marketplaces = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/marketplaces", Ct);
        var templates = marketplaces.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "tiktok-shop").GetProperty("templates")
            .EnumerateArray().Select(t => (t.GetProperty("width").GetInt32(), t.GetProperty("height").GetInt32())).ToList();
        var images = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct)).GetProperty("images")
            .EnumerateArray().Where(i => i.GetProperty("skill").GetString() == "variants").ToList();
        Assert.Equal(templates.Order(), images.Select(i => (i.GetProperty("width").GetInt32(), i.GetProperty("height").GetInt32())).Order());

        var zipBytes = await tenant.Client.GetByteArrayAsync($"/api/v1/products/{productId}/images/archive", Ct);
        using var zip = new ZipArchive(new MemoryStream(zipBytes));
        Assert.Equal(templates.Count + 1, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.StartsWith("VAR-1-", e.Name, StringComparison.Ordinal));
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            Assert.NotNull(ImageOutput.ReadProvenance(copy.ToArray()));
        }
    }

    [Fact]
    public async Task ComplianceCheck_OffWhitePhoto_FailsBackgroundWithMeasuredValue_AndOverlayIsAPng()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var photo = StudioPhotos.Bottle(1000, 1000);

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(photo) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "image", "photo.jpg" },
            { new StringContent("amazon"), "marketplace" },
        };
        using var response = await tenant.Client.PostAsync("/api/v1/compliance/check", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(report.GetProperty("passed").GetBoolean());
        var background = report.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "background");
        Assert.False(background.GetProperty("passed").GetBoolean());
        Assert.True(background.GetProperty("measured").GetDouble() > 0.9, background.ToString());
        Assert.Equal(photo.LongLength, report.GetProperty("bytes").GetInt64());

        using var garbage = new MultipartFormDataContent
        {
            { new ByteArrayContent("<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray()), "image", "x.svg" },
            { new StringContent("amazon"), "marketplace" },
        };
        using var refused = await tenant.Client.PostAsync("/api/v1/compliance/check", garbage, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);

        using var unknown = new MultipartFormDataContent
        {
            { new ByteArrayContent(photo), "image", "photo.jpg" },
            { new StringContent("mars-mall"), "marketplace" },
        };
        using var unknownResponse = await tenant.Client.PostAsync("/api/v1/compliance/check", unknown, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownResponse.StatusCode);
    }

    [Fact]
    public async Task Overlay_OfGeneratedMainImage_IsAPngOfTheSameSize()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "OVL-1");
        await WaitForJobAsync(tenant.Client, await RequestAsync(tenant.Client, productId, new { skill = "main-image", marketplaces = new[] { "jd" } }));
        var image = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct)).GetProperty("images")[0];

        using var overlay = await tenant.Client.GetAsync($"/api/v1/assets/{image.GetProperty("assetId").GetGuid()}/compliance-overlay", Ct);

        Assert.Equal(HttpStatusCode.OK, overlay.StatusCode);
        Assert.Equal("image/png", overlay.Content.Headers.ContentType?.MediaType);
        using var decoded = Image.NewFromBuffer(await overlay.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal((800, 800), (decoded.Width, decoded.Height));
    }

    internal static async Task<(Guid ProductId, Guid PhotoId)> ProductWithPhotoAsync(HttpClient client, string sku)
    {
        var productId = (await CreateProductAsync(client, sku)).GetProperty("id").GetGuid();
        using var form = Files((StudioPhotos.Bottle(), "bottle.jpg", "image/jpeg"));
        using var response = await client.PostAsync($"/api/v1/products/{productId}/photos", form, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (productId, body.GetProperty("assets")[0].GetProperty("id").GetGuid());
    }

    internal static async Task<Guid> RequestAsync(HttpClient client, Guid productId, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/products/{productId}/images", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    internal static async Task<JsonElement> WaitForJobAsync(HttpClient client, Guid jobId)
    {
        var job = await WaitForTerminalAsync(client, jobId);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        return job;
    }

    internal static async Task<JsonElement> WaitForTerminalAsync(HttpClient client, Guid jobId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}", Ct);
            if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "deadLettered" or "cancelled")
            {
                return job;
            }

            // A bound, not a speed check: a job retried five times waits for the scheduler between attempts, and
            // the whole suite shares two cores.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(150), $"job {jobId} did not finish: {job}");
            await Task.Delay(100, Ct);
        }
    }
}
