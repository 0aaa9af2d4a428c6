using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Seo;

public sealed class ProductSeoApiTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Seo_ForAmazon_IsBuiltFromTheProductsOwnFacts_WithinAmazonsLimits(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var (productId, photoId) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "SEO-1");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/products/{productId}")
        {
            Content = JsonContent.Create(new
            {
                title = "Stainless Steel Water Bottle XR-500 750 ml",
                sellingPoints = new[] { "Keeps drinks cold for 24 hours", "Leak-proof lid", "BPA free" },
                description = "A double-walled stainless steel bottle for the gym and the office.",
            }),
        })
        {
            using var patched = await tenant.Client.SendAsync(patch, Ct);
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var seo = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/seo?marketplace=Amazon", Ct);

        Assert.Equal("amazon", seo.GetProperty("marketplace").GetString());
        var keywords = seo.GetProperty("keywords").EnumerateArray().Select(k => k.GetProperty("text").GetString()!).ToList();
        Assert.Contains(keywords, k => k.Contains("bottle", StringComparison.OrdinalIgnoreCase));
        var searchTerms = seo.GetProperty("keywordSet").GetProperty("value").GetString()!;
        Assert.True(Encoding.UTF8.GetByteCount(searchTerms) <= 249, searchTerms);
        Assert.DoesNotContain(",", searchTerms, StringComparison.Ordinal);
        var meta = seo.GetProperty("meta");
        Assert.True(meta.GetProperty("title").GetString()!.Length <= meta.GetProperty("titleLimit").GetInt32());
        Assert.Contains("XR-500", meta.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9-]+$", seo.GetProperty("slug").GetString()!);

        // The JSON-LD names the product and points at its photo by an absolute URL.
        using var jsonLd = JsonDocument.Parse(seo.GetProperty("jsonLd").GetString()!);
        Assert.Equal("Stainless Steel Water Bottle XR-500 750 ml", jsonLd.RootElement.GetProperty("name").GetString());
        var image = jsonLd.RootElement.GetProperty("image")[0].GetString()!;
        Assert.True(Uri.TryCreate(image, UriKind.Absolute, out var imageUri), image);
        Assert.Equal($"/api/v1/assets/{photoId}/content", imageUri.AbsolutePath);

        var score = seo.GetProperty("score");
        var rules = score.GetProperty("rules").EnumerateArray().ToList();
        Assert.NotEmpty(rules);
        Assert.Equal(rules.Sum(r => r.GetProperty("earned").GetInt32()), score.GetProperty("score").GetInt32());
        Assert.InRange(score.GetProperty("score").GetInt32(), 1, 99);
    }

    [Fact]
    public async Task Seo_OnStarter_IsThePlanGate_WithTheFeatureAndTheUpgradePath()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var productId = (await CreateProductAsync(tenant.Client, "SEO-3")).GetProperty("id").GetGuid();

        using var response = await tenant.Client.GetAsync($"/api/v1/products/{productId}/seo?marketplace=amazon", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("seo.feature_required", problem.GetProperty("code").GetString());
        Assert.Equal("seo", problem.GetProperty("feature").GetString());
        Assert.Equal("/app/billing", problem.GetProperty("upgradeUrl").GetString());
        Assert.Contains("Creator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seo_ForAnUnknownMarketplace_IsRefusedOnTheField()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = (await CreateProductAsync(tenant.Client, "SEO-2")).GetProperty("id").GetGuid();

        using var response = await tenant.Client.GetAsync($"/api/v1/products/{productId}/seo?marketplace=myspace", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("seo.marketplace_unknown", problem.GetProperty("errors").GetProperty("marketplace")[0].GetString());
    }
}
