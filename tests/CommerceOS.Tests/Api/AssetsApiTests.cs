using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.Infrastructure;
using NetVips;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Api;

public sealed class AssetsApiTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UploadPhoto_Png_AttachesAssetWhoseContentIsTheImage(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        var id = (await CreateProductAsync(tenant.Client, "PHOTO-1")).GetProperty("id").GetGuid();

        using var form = Files((TestImages.Png(64, 48), "Grüne Tasse.png", "image/png"));
        using var response = await tenant.Client.PostAsync($"/api/v1/products/{id}/photos", form, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var asset = body.GetProperty("assets")[0];
        var assetId = asset.GetProperty("id").GetGuid();
        Assert.Equal(assetId, body.GetProperty("photoAssetIds")[0].GetGuid());
        var product = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
        Assert.Equal(assetId, product.GetProperty("photoAssetIds")[0].GetGuid());

        using var content = await tenant.Client.GetAsync($"/api/v1/assets/{assetId}/content", Ct);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("image/png", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", content.Headers.GetValues("X-Content-Type-Options").Single());
        var csp = content.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("sandbox", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        var disposition = content.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("Grüne Tasse.png", disposition.FileNameStar);
        using var image = Image.NewFromBuffer(await content.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(64, image.Width);
        Assert.Equal(48, image.Height);

        using var download = await tenant.Client.GetAsync($"/api/v1/assets/{assetId}/content?download=true", Ct);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UploadPhoto_BadFiles_MapsToStatusWithCode(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind, new Dictionary<string, string?> { ["Assets:MaxUploadBytes"] = "2000" });
        using var tenant = await app.CreateApiTenantAsync();
        var id = (await CreateProductAsync(tenant.Client, "PHOTO-2")).GetProperty("id").GetGuid();

        async Task AssertRejectedAsync(HttpContent form, HttpStatusCode status, string code)
        {
            using var response = await tenant.Client.PostAsync($"/api/v1/products/{id}/photos", form, Ct);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, await CodeAsync(response));
        }

        using (var text = Files(("hello, not an image"u8.ToArray(), "notes.png", "image/png")))
        {
            await AssertRejectedAsync(text, HttpStatusCode.UnsupportedMediaType, "assets.upload_unsupported_type");
        }

        using (var large = Files((TestImages.Png(400, 400), "big.png", "image/png")))
        {
            await AssertRejectedAsync(large, HttpStatusCode.RequestEntityTooLarge, "assets.upload_too_large");
        }

        using (var empty = Files(([], "empty.png", "image/png")))
        {
            await AssertRejectedAsync(empty, (HttpStatusCode)422, "assets.upload_empty");
        }

        using (var json = JsonContent.Create(new { file = "x" }))
        {
            await AssertRejectedAsync(json, HttpStatusCode.UnsupportedMediaType, "common.unsupported_media_type");
        }

        var product = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
        Assert.Equal(0, product.GetProperty("photoAssetIds").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task JobsAndUsage_OwnWorkspace_ReturnStateAndMeters(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        var id = (await CreateProductAsync(tenant.Client, "PHOTO-3")).GetProperty("id").GetGuid();
        using var form = Files((TestImages.Png(32, 32), "a.png", "image/png"));
        using var upload = await tenant.Client.PostAsync($"/api/v1/products/{id}/photos", form, Ct);
        var jobId = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("assets")[0].GetProperty("thumbnailJobId").GetGuid();

        var job = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}", Ct);
        Assert.Equal(jobId, job.GetProperty("id").GetGuid());
        Assert.Contains(job.GetProperty("status").GetString(), new[] { "queued", "running", "succeeded" });
        Assert.True(job.TryGetProperty("attempts", out _));
        Assert.True(job.TryGetProperty("createdAt", out _));

        using var missing = await tenant.Client.GetAsync($"/api/v1/jobs/{Guid.CreateVersion7()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("common.not_found", await CodeAsync(missing));

        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/usage", Ct);
        var meters = usage.GetProperty("meters").EnumerateArray().ToList();
        Assert.NotEmpty(meters);
        Assert.All(meters, m => Assert.False(string.IsNullOrEmpty(m.GetProperty("meter").GetString())));
        Assert.Contains(meters, m => m.GetProperty("periodEnd").ValueKind == JsonValueKind.String);
    }
}
