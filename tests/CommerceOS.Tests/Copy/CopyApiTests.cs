using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Copy;

/// <summary>The listing copy contract end to end on both databases: generate, regenerate one field, edit, approve and lock, translate.</summary>
public sealed class CopyApiTests
{
    internal static async Task<Guid> BottleAsync(HttpClient client, string sku)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/products", new
        {
            sku,
            title = "Insulated Stainless Steel Water Bottle XR-500",
            category = "Water Bottles",
            description = "A double-walled stainless steel bottle for the gym, the office and the trail.",
            attributes = new object[]
            {
                new { name = "Capacity", type = "measurement", value = "750", unit = "ml" },
                new { name = "Material", type = "text", value = "18/8 stainless steel" },
                new { name = "Model", type = "text", value = "XR-500" },
                new { name = "Leak-proof", type = "boolean", value = "true" },
            },
            sellingPoints = new[] { "Keeps drinks cold for 24 hours", "Leak-proof lid for bags", "Fits most cup holders", "Powder-coated grip" },
            targetAudience = "Hikers and commuters",
            variants = new object[]
            {
                new { sku = sku + "-BLK", options = new Dictionary<string, string> { ["Color"] = "Black" }, priceMinor = 2499, currency = "USD", stock = 10 },
                new { sku = sku + "-SGE", options = new Dictionary<string, string> { ["Color"] = "Sage" }, priceMinor = 2499, currency = "USD", stock = 5 },
            },
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    internal static async Task<JsonElement> GenerateAsync(HttpClient client, Guid productId, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/products/{productId}/copy", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return await WaitForJobAsync(client, accepted.GetProperty("id").GetGuid());
    }

    private static async Task<JsonElement> ListingAsync(HttpClient client, Guid productId, string marketplace, string language, int? version = null)
    {
        var copy = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/products/{productId}/copy?marketplace={marketplace}&language={language}" + (version is null ? "" : $"&version={version}"), Ct);
        return Assert.Single(copy.GetProperty("listings").EnumerateArray());
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Copy_IsGenerated_RegeneratedByField_EditedApprovedAndLocked(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = await BottleAsync(tenant.Client, "CPY-1");

        var job = await GenerateAsync(tenant.Client, productId, new { marketplace = "Amazon", tone = "technical", seed = 7 });
        var output = job.GetProperty("output");
        Assert.Equal(1, output.GetProperty("version").GetInt32());
        Assert.Equal(0, output.GetProperty("errors").GetInt32());
        Assert.Equal("local", output.GetProperty("engine").GetString());

        var listing = await ListingAsync(tenant.Client, productId, "amazon", "en");
        var v1 = listing.GetProperty("version");
        var text1 = v1.GetProperty("text");
        Assert.Equal(5, text1.GetProperty("bullets").GetArrayLength());
        Assert.Contains("XR-500", text1.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(text1.GetProperty("searchTerms").GetString()!) <= 249);
        Assert.Equal("technical", v1.GetProperty("tone").GetString());
        Assert.Equal(7, v1.GetProperty("seed").GetInt32());
        Assert.DoesNotContain(v1.GetProperty("issues").EnumerateArray(), i => i.GetProperty("severity").GetString() == "error");

        // The SEO score is now the copy's: five bullets, where the product itself has four selling points.
        var seo = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/seo?marketplace=amazon", Ct);
        var bulletsRule = seo.GetProperty("score").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "bullets-count");
        Assert.Equal(bulletsRule.GetProperty("possible").GetInt32(), bulletsRule.GetProperty("earned").GetInt32());

        // Regenerating the title keeps every other field as it was.
        await GenerateAsync(tenant.Client, productId, new { marketplace = "amazon", fields = new[] { "title" }, seed = 8 });
        var text2 = (await ListingAsync(tenant.Client, productId, "amazon", "en")).GetProperty("version").GetProperty("text");
        Assert.Equal(Strings(text1.GetProperty("bullets")), Strings(text2.GetProperty("bullets")));
        Assert.Equal(text1.GetProperty("description").GetString(), text2.GetProperty("description").GetString());
        var diff = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/copy/diff?marketplace=amazon&language=en&from=1&to=2", Ct);
        Assert.All(diff.GetProperty("fields").EnumerateArray().Where(f => f.GetProperty("changed").GetBoolean()), f => Assert.Equal("title", f.GetProperty("field").GetString()));

        // A hand edit that breaks a rule is refused on its field and stores nothing.
        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(text2.GetRawText())!;
        edited["title"] = JsonSerializer.SerializeToElement(new string('x', 201));
        using (var refused = await tenant.Client.PutAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "amazon", language = "en", baseVersion = 2, text = edited }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("copy.msg.too-long", problem.GetProperty("errors").GetProperty("title")[0].GetString());
        }

        edited["title"] = JsonSerializer.SerializeToElement("Insulated Water Bottle XR-500 for Hikers, 750 ml, Stainless Steel, Leak-proof Lid");
        using (var saved = await tenant.Client.PutAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "amazon", language = "en", baseVersion = 2, text = edited }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal(3, (await saved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt32());
        }

        using (var stale = await tenant.Client.PutAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "amazon", language = "en", baseVersion = 2, text = edited }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal("copy.stale_version", await CodeAsync(stale));
        }

        // Approving locks the text: generation and edits are refused until it is unlocked.
        using (var approve = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{productId}/copy/approve", new { marketplace = "amazon", language = "en", version = 3 }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);
        }

        listing = await ListingAsync(tenant.Client, productId, "amazon", "en");
        Assert.True(listing.GetProperty("locked").GetBoolean());
        Assert.Equal(3, listing.GetProperty("approvedVersion").GetInt32());
        Assert.Equal(["edited", "generated", "generated"], listing.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("source").GetString()));
        using (var locked = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "amazon" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
            Assert.Equal("copy.locked", await CodeAsync(locked));
        }

        using (var lockedEdit = await tenant.Client.PutAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "amazon", language = "en", baseVersion = 3, text = edited }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, lockedEdit.StatusCode);
        }

        using (var unlock = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{productId}/copy/unlock", new { marketplace = "amazon", language = "en" }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        }

        await GenerateAsync(tenant.Client, productId, new { marketplace = "amazon", seed = 9 });
        Assert.Equal(4, (await ListingAsync(tenant.Client, productId, "amazon", "en")).GetProperty("currentVersion").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Translations_ReportWhatTheMemoryCouldNotTranslate_AndLearnFromTheSellersEdits(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = await BottleAsync(tenant.Client, "CPY-2");
        await GenerateAsync(tenant.Client, productId, new { marketplace = "shopee", seed = 3 });

        var job = await TranslateAsync(tenant.Client, productId, "shopee", "de");
        var target = Assert.Single(job.GetProperty("output").GetProperty("targets").EnumerateArray());
        Assert.Equal("de", target.GetProperty("language").GetString());
        Assert.True(target.GetProperty("untranslated").GetInt32() > 0, target.ToString());

        // The local memory knows nothing yet: every item stays in English and is reported, none is faked.
        var english = (await ListingAsync(tenant.Client, productId, "shopee", "en")).GetProperty("version").GetProperty("text");
        var german = (await ListingAsync(tenant.Client, productId, "shopee", "de")).GetProperty("version");
        var status = german.GetProperty("translation");
        Assert.Equal("en", status.GetProperty("fromLanguage").GetString());
        Assert.Equal(0, status.GetProperty("fromMemory").GetInt32());
        Assert.Equal(status.GetProperty("segments").GetInt32(), status.GetProperty("untranslated").GetInt32() + status.GetProperty("translated").GetInt32());
        Assert.True(status.GetProperty("untranslated").GetInt32() > 0, status.ToString());
        Assert.Equal(english.GetProperty("title").GetString(), german.GetProperty("text").GetProperty("title").GetString());

        // The seller translates the title by hand; the next translation takes it from the memory.
        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(german.GetProperty("text").GetRawText())!;
        const string germanTitle = "Isolierte Edelstahl-Trinkflasche XR-500, 750 ml, für Wanderer";
        edited["title"] = JsonSerializer.SerializeToElement(germanTitle);
        using (var saved = await tenant.Client.PutAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "shopee", language = "de", baseVersion = 1, text = edited }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        await TranslateAsync(tenant.Client, productId, "shopee", "de");
        var again = (await ListingAsync(tenant.Client, productId, "shopee", "de")).GetProperty("version");
        Assert.Equal(3, again.GetProperty("number").GetInt32());
        Assert.Equal(germanTitle, again.GetProperty("text").GetProperty("title").GetString());
        var items = again.GetProperty("translation");
        Assert.Equal(1, items.GetProperty("fromMemory").GetInt32());
        Assert.Equal(status.GetProperty("untranslated").GetInt32() - 1, items.GetProperty("untranslated").GetInt32());

        // Regenerating another field in German keeps the seller's German title.
        await GenerateAsync(tenant.Client, productId, new { marketplace = "shopee", language = "de", fields = new[] { "description" }, seed = 11 });
        var regenerated = (await ListingAsync(tenant.Client, productId, "shopee", "de")).GetProperty("version");
        Assert.Equal(4, regenerated.GetProperty("number").GetInt32());
        Assert.Equal(germanTitle, regenerated.GetProperty("text").GetProperty("title").GetString());
        Assert.Contains(regenerated.GetProperty("translation").GetProperty("items").EnumerateArray(), i => i.GetProperty("field").GetString() == "description");
    }

    [Fact]
    public async Task Copy_InALanguageTheEngineDoesNotWrite_IsWrittenInTheMarketplacesLanguageAndTranslated()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = await BottleAsync(tenant.Client, "CPY-3");

        var job = await GenerateAsync(tenant.Client, productId, new { marketplace = "lazada", language = "th" });

        Assert.Equal("local+local", job.GetProperty("output").GetProperty("engine").GetString());
        var thai = (await ListingAsync(tenant.Client, productId, "lazada", "th")).GetProperty("version");
        Assert.True(thai.GetProperty("translation").GetProperty("untranslated").GetInt32() > 0);
    }

    [Fact]
    public async Task BadRequests_AreRefusedOnTheirFields_AndScheduleNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = await BottleAsync(tenant.Client, "CPY-4");

        using var response = await tenant.Client.PostAsJsonAsync(
            $"/api/v1/products/{productId}/copy",
            new { marketplace = "myspace", tone = "grumpy", language = "xx", fields = new[] { "caption" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal("copy.marketplace_unknown", errors.GetProperty("marketplace")[0].GetString());

        using var fields = await tenant.Client.PostAsJsonAsync(
            $"/api/v1/products/{productId}/copy", new { marketplace = "amazon", tone = "grumpy", language = "xx", fields = new[] { "caption", "colour" } }, Ct);
        var fieldErrors = (await fields.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal("copy.tone_unknown", fieldErrors.GetProperty("tone")[0].GetString());
        Assert.Equal("copy.language_unknown", fieldErrors.GetProperty("language")[0].GetString());
        Assert.Equal("copy.field_not_on_marketplace", fieldErrors.GetProperty("fields[0]")[0].GetString());
        Assert.Equal("copy.field_unknown", fieldErrors.GetProperty("fields[1]")[0].GetString());

        using var translate = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{productId}/translations", new { marketplace = "amazon", targetLanguages = new[] { "de" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, translate.StatusCode);
        Assert.Equal("copy.no_version", (await translate.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("sourceLanguage")[0].GetString());

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.False(await db.Jobs.AnyAsync(j => j.Kind.StartsWith("copy."), Ct));
        Assert.False(await db.ListingCopies.AnyAsync(Ct));
    }

    private static async Task<JsonElement> TranslateAsync(HttpClient client, Guid productId, string marketplace, params string[] targets)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/products/{productId}/translations", new { marketplace, targetLanguages = targets }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return await WaitForJobAsync(client, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
    }
}
