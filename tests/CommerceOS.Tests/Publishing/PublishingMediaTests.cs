using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Publishing;
using CommerceOS.Tests.Copy;
using CommerceOS.Tests.ImageStudio;
using Microsoft.AspNetCore.DataProtection;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Publishing;

/// <summary>The listing's images: chosen like a kit's, offered to URL-fetching platforms by signed, expiring links.</summary>
public sealed class PublishingMediaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void MediaLinks_RoundTrip_AndRefuseTamperedOrExpiredTokens()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new PublishingOptions { PublicBaseUrl = "https://app.example.com/", MediaLinkLifetime = TimeSpan.FromHours(2) });
        var links = new PublicMediaLinks(new EphemeralDataProtectionProvider(), options, clock);
        var workspace = Guid.CreateVersion7();
        var asset = Guid.CreateVersion7();

        var url = links.UrlFor(workspace, asset, "sku 1-main-1.jpg")!;

        Assert.StartsWith("https://app.example.com/media/", url, StringComparison.Ordinal);
        Assert.EndsWith("/sku%201-main-1.jpg", url, StringComparison.Ordinal);
        var token = url.Split('/')[4];
        Assert.DoesNotContain(asset.ToString("N"), url, StringComparison.Ordinal);
        Assert.Equal((workspace, asset), links.Read(token));
        Assert.Null(links.Read(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]));
        Assert.Null(links.Read("not-a-token"));
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(2));
        Assert.Null(links.Read(token));

        var disabled = new PublicMediaLinks(new EphemeralDataProtectionProvider(), Options.Create(new PublishingOptions()), clock);
        Assert.False(disabled.Enabled);
        Assert.Null(disabled.UrlFor(workspace, asset, "a.jpg"));
    }

    [Fact]
    public async Task PublishedImages_AreTheMarketplacesMainImageFirst_ServedByTheirSignedLink_AndNothingElse()
    {
        var platform = new ScriptedPublisher();
        await using var app = await PublishingWorld.StartAsync(platform);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var product = await CopyApiTests.BottleAsync(tenant.Client, "PUB-IMG");
        using (var form = Files((StudioPhotos.Bottle(), "bottle.jpg", "image/jpeg")))
        using (var upload = await tenant.Client.PostAsync($"/api/v1/products/{product}/photos", form, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, await ImageStudioApiTests.RequestAsync(tenant.Client, product, new { skill = "main-image", marketplaces = new[] { "shopify" } }));
        using (var connect = await tenant.Client.PostAsJsonAsync("/api/v1/connections", new { platform = "shopify", credentials = new Dictionary<string, string> { ["shop"] = "acme", ["access_token"] = "t" } }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, connect.StatusCode);
        }

        using var response = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{product}/publications", new { marketplace = "shopify" }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        await PublishCenterApiTests.WaitAsync(tenant.Client, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(), "succeeded");

        var sent = platform.Sent.Single(d => d.ProductId == product);
        var main = Assert.Single(sent.Images);
        Assert.Equal(Core.Exports.KitRoles.Main, main.Role);
        Assert.Equal((2000, 2000), (main.Width, main.Height));
        var url = main.PublicUrl!;
        Assert.StartsWith(PublishingWorld.PublicBaseUrl + "/media/", url, StringComparison.Ordinal);
        var path = url[PublishingWorld.PublicBaseUrl.Length..];
        await using var stream = await main.OpenAsync(Ct);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, Ct);

        // No session needed: the link is the authority. A stranger's client fetches it; an altered one is a plain 404.
        using var anonymous = app.CreateClient();
        using var served = await anonymous.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes.ToArray(), await served.Content.ReadAsByteArrayAsync(Ct));
        var segments = path.Split('/');
        segments[2] = segments[2][..^3] + "xyz";
        using var altered = await anonymous.GetAsync(string.Join('/', segments), Ct);
        Assert.Equal(HttpStatusCode.NotFound, altered.StatusCode);
    }
}
