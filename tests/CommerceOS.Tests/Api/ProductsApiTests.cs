using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Tests.Infrastructure;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Api;

public sealed class ProductsApiTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ValidBody_Returns201WithLocationAndGetReturnsIt(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();

        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/products", new
        {
            sku = "CUP-1",
            title = "Bamboo cup",
            status = "active",
            variants = new[] { new { sku = "CUP-1-R", options = new { color = "red" }, priceMinor = 1299, currency = "usd", stock = 3 } },
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/products/{id}", response.Headers.Location?.OriginalString);
        var fetched = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
        Assert.Equal("Bamboo cup", fetched.GetProperty("title").GetString());
        Assert.Equal("active", fetched.GetProperty("status").GetString());
        Assert.Equal("USD", fetched.GetProperty("variants")[0].GetProperty("currency").GetString());
        Assert.Equal(1299, fetched.GetProperty("variants")[0].GetProperty("priceMinor").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_MissingFieldsOrTakenSku_Returns400WithFieldCodesOr409(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();

        using var invalid = await tenant.Client.PostAsJsonAsync("/api/v1/products", new { sku = "", title = "" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("common.validation_failed", problem.GetProperty("code").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("sku", out var skuErrors));
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.StartsWith("catalog.", skuErrors[0].GetString(), StringComparison.Ordinal);

        await CreateProductAsync(tenant.Client, "DUP-1");
        using var duplicate = await tenant.Client.PostAsJsonAsync("/api/v1/products", new { sku = "DUP-1", title = "Again" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("catalog.sku_taken", await CodeAsync(duplicate));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_QueryAndPaging_ReturnsMatchingPageAndRejectsBadStatus(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await CreateProductAsync(tenant.Client, "MUG-1", "Blue mug");
        await CreateProductAsync(tenant.Client, "MUG-2", "Red mug");
        await CreateProductAsync(tenant.Client, "MUG-3", "Green mug");
        await CreateProductAsync(tenant.Client, "PLATE-1", "Plate");

        var page = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/products?q=mug&sort=title&page=1&pageSize=2", Ct);
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        var titles = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Blue mug", "Green mug"], titles);

        var descending = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/products?q=mug&sort=-title&pageSize=1", Ct);
        Assert.Equal("Red mug", descending.GetProperty("items")[0].GetProperty("title").GetString());

        using var badStatus = await tenant.Client.GetAsync("/api/v1/products?status=bogus", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var problem = await badStatus.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("api.invalid_value", problem.GetProperty("errors").GetProperty("status")[0].GetString());

        using var badPage = await tenant.Client.GetAsync("/api/v1/products?pageSize=1000", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Equal("common.validation_failed", await CodeAsync(badPage));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_GivenFields_ChangesOnlyThoseAndValidates(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        var created = await CreateProductAsync(tenant.Client, "LAMP-1", "Desk lamp");
        var id = created.GetProperty("id").GetGuid();

        using var patched = await tenant.Client.PatchAsJsonAsync($"/api/v1/products/{id}", new { title = "Floor lamp" }, Ct);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Floor lamp", body.GetProperty("title").GetString());
        Assert.Equal("LAMP-1", body.GetProperty("sku").GetString());
        Assert.Equal("Reusable", body.GetProperty("description").GetString());
        Assert.Equal("kitchen", body.GetProperty("category").GetString());

        using var invalid = await tenant.Client.PatchAsJsonAsync($"/api/v1/products/{id}", new { title = "" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("title", out _));

        using var unknown = await tenant.Client.PatchAsJsonAsync($"/api/v1/products/{id}", new { price = 3 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        using var stale = await tenant.Client.PatchAsJsonAsync($"/api/v1/products/{id}", new { title = "Old", updatedAt = created.GetProperty("updatedAt").GetDateTime() }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("catalog.edit_conflict", await CodeAsync(stale));

        var after = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
        Assert.Equal("Floor lamp", after.GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_Existing_Returns204AndThenNotFound(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        var id = (await CreateProductAsync(tenant.Client, "GONE-1")).GetProperty("id").GetGuid();

        using var deleted = await tenant.Client.DeleteAsync($"/api/v1/products/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var fetched = await tenant.Client.GetAsync($"/api/v1/products/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, fetched.StatusCode);
        Assert.Equal("common.not_found", await CodeAsync(fetched));
        using var again = await tenant.Client.DeleteAsync($"/api/v1/products/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Api_WithoutOrWithBadKey_Returns401Problem(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var anonymous = app.CreateBrowserClient();

        using var none = await anonymous.GetAsync("/api/v1/products", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("common.unauthenticated", await CodeAsync(none));

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "cos_notarealkey");
        using var bad = await anonymous.GetAsync("/api/v1/usage", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheApiPaths()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/products", out _));
        Assert.True(paths.TryGetProperty("/api/v1/products/{id}/photos", out _));
        Assert.True(paths.TryGetProperty("/api/v1/usage", out _));
        using var scalar = await client.GetAsync("/scalar/v1", Ct);
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }
}
