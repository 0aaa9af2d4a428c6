using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Copy;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Exports;

/// <summary>
/// One product with real generated images (main images for Amazon and Shopify, two scenes, an infographic) and real
/// listing copy for both marketplaces, made once through the public API; each test exports a kit from it.
/// </summary>
public sealed class KitWorld : IAsyncLifetime
{
    public AppFactory App { get; private set; } = null!;

    public ApiTenant Tenant { get; private set; } = null!;

    public ApiTenant Other { get; private set; } = null!;

    public Guid ProductId { get; private set; }

    public Guid MainJob { get; private set; }

    public Guid SceneJob1 { get; private set; }

    public Guid SceneJob2 { get; private set; }

    public Guid InfographicJob { get; private set; }

    public Guid AmazonCopyJob { get; private set; }

    public Guid VideoJob { get; private set; }

    public string AmazonTitle { get; private set; } = "";

    /// <summary>Where the seller hosts the kit's files (configured with a trailing slash, which the URLs must not double).</summary>
    public const string ImageBaseUrl = "https://cdn.example.com/kits";

    public async ValueTask InitializeAsync()
    {
        App = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Exports:ImageBaseUrl"] = ImageBaseUrl + "/" });
        Tenant = await App.CreateApiTenantAsync();
        Other = await App.CreateApiTenantAsync();
        var client = Tenant.Client;
        ProductId = await CopyApiTests.BottleAsync(client, "KIT_1/a");
        using (var form = Files((StudioPhotos.Bottle(), "bottle.jpg", "image/jpeg")))
        using (var response = await client.PostAsync($"/api/v1/products/{ProductId}/photos", form, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        MainJob = await RequestAsync(client, ProductId, new { skill = "main-image", marketplaces = new[] { "amazon", "shopify" } });
        SceneJob1 = await RequestAsync(client, ProductId, new { skill = "scene", marketplaces = new[] { "amazon" } });
        SceneJob2 = await RequestAsync(client, ProductId, new { skill = "scene", marketplaces = new[] { "amazon" } });
        InfographicJob = await RequestAsync(client, ProductId, new { skill = "infographic", marketplaces = new[] { "amazon" } });
        // 16:9 at 1920 px and 10 s: too big a frame for Shopee (a smaller channel copy is made), too short for Amazon (flagged).
        using (var video = await client.PostAsJsonAsync(
            $"/api/v1/products/{ProductId}/videos", new { template = "showcase", formats = new[] { "16:9" }, durationSeconds = 10, captions = new[] { "Leak-proof lid" } }, Ct))
        {
            Assert.True(video.StatusCode == HttpStatusCode.Accepted, await video.Content.ReadAsStringAsync(Ct));
            VideoJob = (await video.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        }

        foreach (var job in new[] { MainJob, SceneJob1, SceneJob2, InfographicJob, VideoJob })
        {
            await WaitForJobAsync(client, job);
        }

        AmazonCopyJob = (await CopyApiTests.GenerateAsync(client, ProductId, new { marketplace = "amazon", seed = 3 })).GetProperty("id").GetGuid();
        await CopyApiTests.GenerateAsync(client, ProductId, new { marketplace = "shopify", seed = 3 });
        var copy = await client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{ProductId}/copy?marketplace=amazon&language=en", Ct);
        AmazonTitle = copy.GetProperty("listings")[0].GetProperty("version").GetProperty("text").GetProperty("title").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Tenant.Dispose();
        Other.Dispose();
        await App.DisposeAsync();
    }

    public async Task<(Result<ListingKitSummary> Result, byte[] Bytes)> ExportAsync(ApiTenant tenant, ListingKitRequest request, WorkspaceRole role = WorkspaceRole.Owner)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(tenant.WorkspaceId, tenant.UserId, role);
        using var output = new MemoryStream();
        var result = await scope.ServiceProvider.GetRequiredService<ExportListingKit>().HandleAsync(request, output, Ct);
        return (result, output.ToArray());
    }
}

public sealed class ListingKitExportTests(KitWorld world) : IClassFixture<KitWorld>
{
    private sealed record Kit(Dictionary<string, byte[]> Entries, JsonElement Manifest);

    private static Kit Open(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries.Add(entry.FullName, copy.ToArray());
        }

        return new Kit(entries, JsonDocument.Parse(entries["manifest.json"]).RootElement.Clone());
    }

    private static List<JsonElement> Files(Kit kit) => kit.Manifest.GetProperty("files").EnumerateArray().ToList();

    private static void AssertManifestMatchesArchive(Kit kit, ListingKitSummary summary)
    {
        var files = Files(kit);
        var imports = kit.Manifest.GetProperty("imports").EnumerateArray().ToList();
        Assert.Equal(kit.Entries.Count - 1 - imports.Count, files.Count);
        foreach (var file in files.Concat(imports))
        {
            var bytes = kit.Entries[file.GetProperty("path").GetString()!];
            Assert.Equal(bytes.LongLength, file.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
        }

        var recorded = kit.Manifest.GetProperty("summary");
        Assert.Equal(summary.Files, files.Count);
        Assert.Equal(summary.Files, recorded.GetProperty("files").GetInt32());
        Assert.Equal(summary.Products, kit.Manifest.GetProperty("products").GetArrayLength());
        Assert.Equal(summary.Missing, kit.Manifest.GetProperty("products").EnumerateArray().Sum(p => p.GetProperty("missing").GetArrayLength()));
        Assert.Equal(summary.Missing, recorded.GetProperty("missing").GetInt32());
        Assert.Equal(summary.Bytes, files.Sum(f => f.GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public async Task Amazon_Kit_NamesImagesTheAmazonWay_WithCopySeoAndAManifestThatMatches()
    {
        var (result, bytes) = await world.ExportAsync(world.Tenant, new ListingKitRequest("amazon", [world.ProductId], null));

        Assert.True(result.IsSuccess, result.ToString());
        var kit = Open(bytes);
        AssertManifestMatchesArchive(kit, result.Value);
        Assert.Equal(1, result.Value.Products);

        // The SKU "KIT_1/a" is a folder "KIT_1-a"; Amazon's identifier drops everything but letters and digits.
        var images = Files(kit).Where(f => f.GetProperty("path").GetString()!.Contains("/images/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["KIT_1-a/images/KIT1a.MAIN.jpg", "KIT_1-a/images/KIT1a.PT01.jpg", "KIT_1-a/images/KIT1a.PT02.jpg", "KIT_1-a/images/KIT1a.PT03.jpg"],
            images.Select(f => f.GetProperty("path").GetString()!).ToArray());
        Assert.Equal(["main-image", "scene", "scene", "infographic"], images.Select(f => f.GetProperty("role").GetString()!).ToArray());
        var main = images[0];
        Assert.Equal((2000, 2000), (main.GetProperty("width").GetInt32(), main.GetProperty("height").GetInt32()));
        Assert.Equal(world.MainJob, main.GetProperty("jobId").GetGuid());
        Assert.Equal("MAIN", main.GetProperty("slot").GetString());

        // Both scene jobs' images; the free plan's watermark is flagged on every image.
        Assert.Equal(
            new[] { world.SceneJob1, world.SceneJob2 }.Order(),
            new[] { images[1].GetProperty("jobId").GetGuid(), images[2].GetProperty("jobId").GetGuid() }.Order());
        Assert.All(images, f => Assert.Contains(f.GetProperty("flags").EnumerateArray(), flag => flag.GetProperty("code").GetString() == KitFlags.Watermarked));

        var text = Encoding.UTF8.GetString(kit.Entries["KIT_1-a/copy/en.txt"]);
        Assert.Contains(world.AmazonTitle, text, StringComparison.Ordinal);
        Assert.Contains("[search-terms]", text, StringComparison.Ordinal);
        var copy = JsonDocument.Parse(kit.Entries["KIT_1-a/copy/en.json"]).RootElement;
        Assert.Equal(world.AmazonTitle, copy.GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal(5, copy.GetProperty("fields").GetProperty("bullets").GetArrayLength());
        Assert.False(copy.GetProperty("fields").TryGetProperty("caption", out _), "Amazon listings have no caption field");
        Assert.Equal(world.AmazonCopyJob, copy.GetProperty("jobId").GetGuid());

        var keywords = Encoding.UTF8.GetString(kit.Entries["KIT_1-a/seo-keywords.txt"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(keywords);
        Assert.Equal("search-terms", JsonDocument.Parse(kit.Entries["KIT_1-a/seo.json"]).RootElement.GetProperty("keywordSet").GetProperty("field").GetString());

        // The video is too short for Amazon's 15-60 s: in the kit, flagged, with its cover and subtitles.
        var video = Assert.Single(Files(kit), f => f.GetProperty("role").GetString() == "video");
        Assert.Equal(("KIT_1-a/video/KIT_1-a.mp4", world.VideoJob), (video.GetProperty("path").GetString(), video.GetProperty("jobId").GetGuid()));
        var channel = Assert.Single(video.GetProperty("flags").EnumerateArray(), f => f.GetProperty("code").GetString() == KitFlags.VideoChannel);
        Assert.Contains("video.rule.duration_short", channel.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("ftyp"u8.ToArray(), kit.Entries["KIT_1-a/video/KIT_1-a.mp4"][4..8]);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, kit.Entries["KIT_1-a/video/KIT_1-a-cover.jpg"][..3]);
        Assert.StartsWith("WEBVTT", Encoding.UTF8.GetString(kit.Entries["KIT_1-a/video/KIT_1-a.vtt"]), StringComparison.Ordinal);

        Assert.Empty(kit.Manifest.GetProperty("products")[0].GetProperty("missing").EnumerateArray());
        Assert.Equal(0, result.Value.Missing);

        // Amazon's listings at the root: the product's SKU as the parent of a COLOR family, then a put request per
        // variant SKU with the kit's copy, offer, colour and gallery.
        var import = Assert.Single(kit.Manifest.GetProperty("imports").EnumerateArray());
        Assert.Equal(("amazon-listings.json", "amazon-listings-json"), (import.GetProperty("path").GetString(), import.GetProperty("format").GetString()));
        var listings = JsonDocument.Parse(kit.Entries["amazon-listings.json"]).RootElement;
        Assert.Equal(("ATVPDKIKX0DER", "en_US"), (listings.GetProperty("marketplaceId").GetString(), listings.GetProperty("issueLocale").GetString()));
        var items = listings.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["KIT_1/a", "KIT_1/a-BLK", "KIT_1/a-SGE"], items.Select(i => i.GetProperty("sku").GetString()).ToArray());
        var parent = items[0].GetProperty("body").GetProperty("attributes");
        Assert.Equal(("parent", "COLOR"), (parent.GetProperty("parentage_level")[0].GetProperty("value").GetString(), parent.GetProperty("variation_theme")[0].GetProperty("name").GetString()));
        Assert.Equal(world.AmazonTitle, parent.GetProperty("item_name")[0].GetProperty("value").GetString());
        Assert.False(parent.TryGetProperty("purchasable_offer", out _));
        Assert.False(parent.TryGetProperty("fulfillment_availability", out _));
        var body = items[1].GetProperty("body");
        Assert.Equal(("PRODUCT", "LISTING"), (body.GetProperty("productType").GetString(), body.GetProperty("requirements").GetString()));
        var attributes = body.GetProperty("attributes");
        var itemName = Assert.Single(attributes.GetProperty("item_name").EnumerateArray());
        Assert.Equal((world.AmazonTitle, "en_US", "ATVPDKIKX0DER"), (itemName.GetProperty("value").GetString(), itemName.GetProperty("language_tag").GetString(), itemName.GetProperty("marketplace_id").GetString()));
        Assert.Equal(
            copy.GetProperty("fields").GetProperty("bullets").EnumerateArray().Select(b => b.GetString()).ToArray(),
            attributes.GetProperty("bullet_point").EnumerateArray().Select(b => b.GetProperty("value").GetString()).ToArray());
        Assert.Equal(copy.GetProperty("fields").GetProperty("search-terms").GetString(), attributes.GetProperty("generic_keyword")[0].GetProperty("value").GetString());
        var offer = Assert.Single(attributes.GetProperty("purchasable_offer").EnumerateArray());
        Assert.Equal("USD", offer.GetProperty("currency").GetString());
        Assert.Equal(24.99m, offer.GetProperty("our_price")[0].GetProperty("schedule")[0].GetProperty("value_with_tax").GetDecimal());
        Assert.Equal(10, attributes.GetProperty("fulfillment_availability")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(5, items[2].GetProperty("body").GetProperty("attributes").GetProperty("fulfillment_availability")[0].GetProperty("quantity").GetInt32());
        Assert.Equal("KIT_1/a", attributes.GetProperty("child_parent_sku_relationship")[0].GetProperty("parent_sku").GetString());
        Assert.Equal(["Black", "Sage"], items.Skip(1).Select(i => i.GetProperty("body").GetProperty("attributes").GetProperty("color")[0].GetProperty("value").GetString()).ToArray());
        Assert.Equal($"{KitWorld.ImageBaseUrl}/KIT_1-a/images/KIT1a.MAIN.jpg", attributes.GetProperty("main_product_image_locator")[0].GetProperty("media_location").GetString());
        Assert.Equal($"{KitWorld.ImageBaseUrl}/KIT_1-a/images/KIT1a.PT03.jpg", attributes.GetProperty("other_product_image_locator_3")[0].GetProperty("media_location").GetString());
        Assert.False(attributes.TryGetProperty("other_product_image_locator_4", out _));
    }

    [Fact]
    public async Task Amazon_Kit_OptionsThatFitNoVariationTheme_AreFlatSkus_AndTheManifestSaysWhy()
    {
        // A tenant of its own: the world's tenant is exported whole by another test.
        using var tenant = await world.App.CreateApiTenantAsync();
        using var response = await tenant.Client.PostAsJsonAsync("/api/v1/products", new
        {
            sku = "SCN-1",
            title = "Soy Candle",
            variants = new object[]
            {
                new { sku = "SCN-1-LAV", options = new Dictionary<string, string> { ["Scent"] = "Lavender" }, priceMinor = 1200, currency = "USD", stock = 3 },
                new { sku = "SCN-1-CDR", options = new Dictionary<string, string> { ["Scent"] = "Cedar" }, priceMinor = 1200, currency = "USD", stock = 4 },
            },
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var productId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var (result, bytes) = await world.ExportAsync(tenant, new ListingKitRequest("amazon", [productId], null));

        Assert.True(result.IsSuccess);
        var kit = Open(bytes);
        var items = JsonDocument.Parse(kit.Entries["amazon-listings.json"]).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["SCN-1-LAV", "SCN-1-CDR"], items.Select(i => i.GetProperty("sku").GetString()).ToArray());
        Assert.All(items, i => Assert.False(i.GetProperty("body").GetProperty("attributes").TryGetProperty("parentage_level", out _)));
        var warning = Assert.Single(
            Assert.Single(kit.Manifest.GetProperty("products").EnumerateArray()).GetProperty("missing").EnumerateArray(),
            m => m.GetProperty("code").GetString() == KitMissing.AmazonVariationTheme);
        Assert.Equal(["Scent"], warning.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToArray());
        AssertManifestMatchesArchive(kit, result.Value);
    }

    [Fact]
    public async Task Shopee_Kit_CarriesTheChannelCopyOfTheVideo_AndStreamsToAForwardOnlyStream()
    {
        await using var scope = world.App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(world.Tenant.WorkspaceId, world.Tenant.UserId, WorkspaceRole.Viewer);
        using var sink = new MemoryStream();
        await using var forwardOnly = new ForwardOnlyStream(sink);
        var export = scope.ServiceProvider.GetRequiredService<ExportListingKit>();
        var plan = await export.PrepareAsync(new ListingKitRequest("Shopee", [world.ProductId, world.ProductId], null), Ct);
        Assert.True(plan.IsSuccess, plan.ToString());
        Assert.Equal(("shopee", 1), (plan.Value.Marketplace, plan.Value.ProductIds.Count));
        Assert.Equal(0, sink.Length);
        var reported = new List<int>();
        var summary = await export.WriteAsync(plan.Value, forwardOnly, new SyncProgress(reported), Ct);

        Assert.Equal([1], reported);
        var kit = Open(sink.ToArray());
        AssertManifestMatchesArchive(kit, summary);
        var videos = await world.Tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{world.ProductId}/videos", Ct);
        var copy = videos[0].GetProperty("copies").EnumerateArray().Single(c => c.GetProperty("marketplace").GetString() == "shopee");
        var video = Assert.Single(Files(kit), f => f.GetProperty("role").GetString() == "video");
        Assert.Equal(copy.GetProperty("assetId").GetGuid(), video.GetProperty("assetId").GetGuid());
        Assert.True(video.GetProperty("width").GetInt32() <= 1280);

        // No Shopee main image yet: the cover slot stays free, the scenes start at 02.
        var images = Files(kit).Where(f => f.GetProperty("path").GetString()!.Contains("/images/", StringComparison.Ordinal)).Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["KIT_1-a/images/KIT_1-a-02.jpg", "KIT_1-a/images/KIT_1-a-03.jpg", "KIT_1-a/images/KIT_1-a-04.jpg"], images);
        var missing = kit.Manifest.GetProperty("products")[0].GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.Equal([KitMissing.MainImage, KitMissing.Copy], missing);
    }

    private sealed class SyncProgress(List<int> seen) : IProgress<int>
    {
        public void Report(int value) => seen.Add(value);
    }

    /// <summary>An HTTP response body: written front to back, no seeking, no length.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are disallowed, as on Kestrel.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }

    [Fact]
    public async Task Shopify_Kit_NamesImagesByHandleAndPosition()
    {
        var (result, bytes) = await world.ExportAsync(world.Tenant, new ListingKitRequest("Shopify", null, null));

        Assert.True(result.IsSuccess, result.ToString());
        var kit = Open(bytes);
        AssertManifestMatchesArchive(kit, result.Value);
        var product = kit.Manifest.GetProperty("products")[0];
        var handle = product.GetProperty("handle").GetString()!;
        Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", handle);
        var images = Files(kit).Where(f => f.GetProperty("path").GetString()!.Contains("/images/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            Enumerable.Range(1, 4).Select(n => $"KIT_1-a/images/{handle}-{n}.jpg").ToArray(),
            images.Select(f => f.GetProperty("path").GetString()!).ToArray());
        Assert.Equal([1, 2, 3, 4], images.Select(f => f.GetProperty("position").GetInt32()).ToArray());

        // Shopify's own main image, not Amazon's (both are 2000 px).
        Assert.Equal("shopify", kit.Manifest.GetProperty("marketplace").GetString());
        var gallery = await world.Tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{world.ProductId}/images", Ct);
        var shopifyMain = gallery.GetProperty("images").EnumerateArray()
            .Single(i => i.GetProperty("skill").GetString() == "main-image" && i.GetProperty("marketplace").GetString() == "shopify");
        Assert.Equal(shopifyMain.GetProperty("assetId").GetGuid(), images[0].GetProperty("assetId").GetGuid());
        Assert.Contains(world.ProductId.ToString(), Encoding.UTF8.GetString(kit.Entries["KIT_1-a/copy/en.json"]), StringComparison.Ordinal);
        Assert.Contains("[meta-title]", Encoding.UTF8.GetString(kit.Entries["KIT_1-a/copy/en.txt"]), StringComparison.Ordinal);

        // Shopify's product CSV at the root: the documented header, the copy, both variants and the gallery by URL.
        var import = Assert.Single(kit.Manifest.GetProperty("imports").EnumerateArray());
        Assert.Equal("shopify-products.csv", import.GetProperty("path").GetString());
        Assert.Equal("shopify-product-csv", import.GetProperty("format").GetString());
        var csvBytes = kit.Entries["shopify-products.csv"];
        Assert.False(csvBytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark before the header");
        var rows = ShopifyCsvTests.Parse(Encoding.UTF8.GetString(csvBytes));
        Assert.Equal(ShopifyCsvTests.DocumentedHeader, rows[0]);
        var table = rows.Skip(1).Select(r => rows[0].Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
        Assert.Equal(4, table.Count); // two variants, four images
        Assert.All(table, r => Assert.Equal(handle, r["URL handle"]));
        var copy = JsonDocument.Parse(kit.Entries["KIT_1-a/copy/en.json"]).RootElement.GetProperty("fields");
        var first = table[0];
        Assert.Equal(copy.GetProperty("title").GetString(), first["Title"]);
        Assert.Equal(copy.GetProperty("description").GetString(), first["Description"]);
        Assert.Equal(copy.GetProperty("meta-title").GetString(), first["SEO title"]);
        Assert.Equal(("Draft", "FALSE", "Color"), (first["Status"], first["Published on online store"], first["Option1 name"]));
        Assert.Equal(["KIT_1/a-BLK", "KIT_1/a-SGE", "", ""], table.Select(r => r["SKU"]).ToArray());
        Assert.Equal(["Black", "Sage", "", ""], table.Select(r => r["Option1 value"]).ToArray());
        Assert.Equal(["24.99", "24.99", "", ""], table.Select(r => r["Price"]).ToArray());
        Assert.Equal(["10", "5", "", ""], table.Select(r => r["Inventory quantity"]).ToArray());
        Assert.Equal(
            images.Select(f => $"{KitWorld.ImageBaseUrl}/{f.GetProperty("path").GetString()}").ToArray(),
            table.Select(r => r["Product image URL"]).ToArray());
        Assert.Equal(["1", "2", "3", "4"], table.Select(r => r["Image position"]).ToArray());
        Assert.All(table.Skip(1), r => Assert.Equal("", r["Title"]));
    }

    [Fact]
    public async Task JobIds_KeepOnlyWhatThoseJobsMade()
    {
        var (result, bytes) = await world.ExportAsync(world.Tenant, new ListingKitRequest("amazon", [world.ProductId], [world.SceneJob1, world.AmazonCopyJob]));

        Assert.True(result.IsSuccess, result.ToString());
        var kit = Open(bytes);
        AssertManifestMatchesArchive(kit, result.Value);
        var withJobs = Files(kit).Where(f => f.GetProperty("jobId").ValueKind != JsonValueKind.Null).ToList();
        Assert.All(withJobs, f => Assert.Contains(f.GetProperty("jobId").GetGuid(), new[] { world.SceneJob1, world.AmazonCopyJob }));
        var image = Assert.Single(Files(kit), f => f.GetProperty("role").GetString() == "scene");

        // Without the main image, position 1 stays free and the scene is PT01.
        Assert.Equal("KIT_1-a/images/KIT1a.PT01.jpg", image.GetProperty("path").GetString());
        Assert.Equal(world.SceneJob1, image.GetProperty("jobId").GetGuid());
        var missing = kit.Manifest.GetProperty("products")[0].GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.Equal([KitMissing.MainImage, KitMissing.Scenes, KitMissing.Infographic, KitMissing.Video], missing);
        Assert.Equal(4, result.Value.Missing);
        Assert.True(kit.Entries.ContainsKey("KIT_1-a/copy/en.txt"));
    }

    [Fact]
    public async Task AnotherWorkspacesProduct_IsNotFound_AndWritesNothing()
    {
        var (result, bytes) = await world.ExportAsync(world.Other, new ListingKitRequest("amazon", [world.ProductId], null));

        Assert.Equal(ResultStatus.NotFound, result.Status);
        Assert.Empty(bytes);

        // Nor can another workspace filter by this workspace's jobs, and its own (empty) catalogue is no kit.
        var (byJob, _) = await world.ExportAsync(world.Other, new ListingKitRequest("amazon", null, [world.MainJob]));
        Assert.Equal(ResultStatus.Invalid, byJob.Status);
        Assert.Equal(ExportErrors.NoProducts, Assert.Single(byJob.Errors).Code);
    }

    [Fact]
    public async Task UnknownMarketplace_IsInvalid_AndWritesNothing()
    {
        var (result, bytes) = await world.ExportAsync(world.Tenant, new ListingKitRequest("myspace", [world.ProductId], null));

        Assert.Equal(ResultStatus.Invalid, result.Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("marketplace", ExportErrors.MarketplaceUnknown), (error.Field, error.Code));
        Assert.Contains("amazon", error.Args[0], StringComparison.Ordinal);
        Assert.Empty(bytes);

        var (empty, emptyBytes) = await world.ExportAsync(world.Tenant, new ListingKitRequest("amazon", [], []));
        Assert.Equal([ExportErrors.NoProducts, ExportErrors.NoJobs], empty.Errors.Select(e => e.Code).ToArray());
        Assert.Empty(emptyBytes);

        var (tooMany, _) = await world.ExportAsync(world.Tenant, new ListingKitRequest("amazon", Enumerable.Range(0, ExportListingKit.MaxProducts + 1).Select(_ => Guid.NewGuid()).ToList(), null));
        Assert.Equal(ExportErrors.TooManyProducts, Assert.Single(tooMany.Errors).Code);
    }

    [Fact]
    public async Task Viewer_MayExport_ButNotWithoutAWorkspaceRole()
    {
        var (viewer, bytes) = await world.ExportAsync(world.Tenant, new ListingKitRequest("taobao", [world.ProductId], null), WorkspaceRole.Viewer);
        Assert.True(viewer.IsSuccess, viewer.ToString());

        // Taobao's gallery is 主图1-5 with the first kept for the (missing) main image; the 2000 px images pass its rules.
        var kit = Open(bytes);
        var images = Files(kit).Where(f => f.GetProperty("path").GetString()!.Contains("/主图/", StringComparison.Ordinal)).Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["KIT_1-a/主图/主图2.jpg", "KIT_1-a/主图/主图3.jpg", "KIT_1-a/主图/主图4.jpg"], images);

        await using var scope = world.App.Services.CreateAsyncScope();
        using var output = new MemoryStream();
        var result = await scope.ServiceProvider.GetRequiredService<ExportListingKit>().HandleAsync(new ListingKitRequest("amazon", [world.ProductId], null), output, Ct);
        Assert.Equal(ResultStatus.Forbidden, result.Status);
        Assert.Equal(0, output.Length);
    }
}
