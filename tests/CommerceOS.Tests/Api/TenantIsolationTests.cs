using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Api;

public sealed partial class TenantIsolationTests
{
    /// <summary>
    /// Every /api/v1 endpoint with an {id}: workspace B calling it with workspace A's id gets the same
    /// 404 as a random id, and A's data is unchanged. A new {id} endpoint without a mapping here fails.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EveryIdEndpoint_OtherWorkspacesId_Returns404LikeRandomIdAndChangesNothing(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var a = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(a.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        using var b = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(b.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = (await CreateProductAsync(a.Client, "A-1", "Tenant A product")).GetProperty("id").GetGuid();
        using var form = Files((TestImages.Png(40, 30), "a.png", "image/png"));
        using var upload = await a.Client.PostAsync($"/api/v1/products/{productId}/photos", form, Ct);
        var uploaded = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("assets")[0];
        var assetId = uploaded.GetProperty("id").GetGuid();
        var jobId = uploaded.GetProperty("thumbnailJobId").GetGuid();
        // A's workflow run (over a product of its own, so the product above stays as it is), its batch and a template of A's.
        var runProductId = (await CreateProductAsync(a.Client, "A-2", "Tenant A run")).GetProperty("id").GetGuid();
        using var started = await a.Client.PostAsJsonAsync("/api/v1/workflows/runs", new { template = "quick-shoot", productIds = new[] { runProductId } }, Ct);
        var startedBody = await started.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var batchId = startedBody.GetProperty("batchId").GetGuid();
        var runId = startedBody.GetProperty("runs")[0].GetProperty("id").GetGuid();
        using var template = await a.Client.PostAsJsonAsync("/api/v1/workflows/templates", WorkflowTemplate, Ct);
        var templateId = Guid.Parse((await template.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!);
        var (connectionId, listingId, publicationId) = await Publishing.PublishingWorld.SeedPublicationAsync(app, a.WorkspaceId, productId);
        // A's personal data export, ready to download (the download route is addressed by the export's id).
        var export = new Core.Privacy.PersonalDataExport
        {
            UserId = a.UserId, WorkspaceId = a.WorkspaceId, Status = Core.Privacy.DataExportStatus.Ready, BlobKey = $"{Core.Assets.AssetBlobScope.For(a.WorkspaceId)}/{new string('0', 64)}",
            RequestedAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-1), ReadyAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-1), ExpiresAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1),
        };
        await using (var exportDb = app.Database.CreateContext())
        {
            exportDb.PersonalDataExports.Add(export);
            await exportDb.SaveChangesAsync(Ct);
        }

        var before = await a.Client.GetStringAsync($"/api/v1/products/{productId}", Ct);
        var assetBytes = await a.Client.GetByteArrayAsync($"/api/v1/assets/{assetId}/content", Ct);

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").StartsWith("/api/v1", StringComparison.OrdinalIgnoreCase)
                && e.RoutePattern.Parameters.Any(p => p.Name == "id"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(endpoints.Count >= 6, $"Found only {endpoints.Count} endpoints with an id.");

        var covered = 0;
        foreach (var (method, route) in endpoints)
        {
            Guid? foreign = route.StartsWith("/api/v1/products", StringComparison.Ordinal) ? productId
                : route.StartsWith("/api/v1/assets", StringComparison.Ordinal) ? assetId
                : route.StartsWith("/api/v1/jobs", StringComparison.Ordinal) ? jobId
                : route.StartsWith("/api/v1/workflows/runs", StringComparison.Ordinal) ? runId
                : route.StartsWith("/api/v1/workflows/batches", StringComparison.Ordinal) ? batchId
                : route.StartsWith("/api/v1/workflows/templates", StringComparison.Ordinal) ? templateId
                : route.StartsWith("/api/v1/connections", StringComparison.Ordinal) ? connectionId
                : route.StartsWith("/api/v1/listings", StringComparison.Ordinal) ? listingId
                : route.StartsWith("/api/v1/publications", StringComparison.Ordinal) ? publicationId
                : route.StartsWith("/api/v1/me/exports", StringComparison.Ordinal) ? export.Id
                : null;
            Assert.True(foreign is not null, $"No tenant-isolation mapping for {method} {route}: add one.");

            using var theirs = await b.Client.SendAsync(Request(method, route, foreign!.Value), Ct);
            using var random = await b.Client.SendAsync(Request(method, route, Guid.CreateVersion7()), Ct);
            Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{method} {route} with A's id: {theirs.StatusCode}");
            Assert.Equal(HttpStatusCode.NotFound, random.StatusCode);
            var theirsCode = await CodeAsync(theirs);
            Assert.Equal("common.not_found", theirsCode);
            Assert.Equal(await CodeAsync(random), theirsCode);
            covered++;
        }

        Assert.Equal(endpoints.Count, covered);
        Assert.Equal(before, await a.Client.GetStringAsync($"/api/v1/products/{productId}", Ct));
        Assert.Equal(assetBytes, await a.Client.GetByteArrayAsync($"/api/v1/assets/{assetId}/content", Ct));
        using var job = await a.Client.GetAsync($"/api/v1/jobs/{jobId}", Ct);
        Assert.Equal(HttpStatusCode.OK, job.StatusCode);
        using var aTemplate = await a.Client.GetAsync($"/api/v1/workflows/templates/{templateId}", Ct);
        Assert.Equal(HttpStatusCode.OK, aTemplate.StatusCode);
        Assert.Equal("Tenant A flow", (await aTemplate.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
        using var aRun = await a.Client.GetAsync($"/api/v1/workflows/runs/{runId}", Ct);
        Assert.Equal(HttpStatusCode.OK, aRun.StatusCode);
        Assert.NotEqual("cancelled", (await aRun.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        await using var aDb = app.Database.CreateContext(a.WorkspaceId);
        var aExport = await aDb.PersonalDataExports.SingleAsync(e => e.Id == export.Id, Ct);
        Assert.Equal((Core.Privacy.DataExportStatus.Ready, (DateTime?)null), (aExport.Status, aExport.DownloadedAt));
        Assert.Equal(Core.Publishing.ConnectionStatus.Active, (await aDb.MarketplaceConnections.SingleAsync(c => c.Id == connectionId, Ct)).Status);
        Assert.Equal(Core.Publishing.ListingStatus.Live, (await aDb.MarketplaceListings.SingleAsync(l => l.Id == listingId, Ct)).Status);
    }

    private static readonly object WorkflowTemplate = new
    {
        name = "Tenant A flow",
        marketplaces = new[] { "amazon" },
        steps = new[] { new { key = "white", skill = "image-white-background" } },
    };

    private static HttpRequestMessage Request(string method, string route, Guid id)
    {
        // Other parameters get valid values, so only the id's tenancy can refuse the request.
        var url = IdParameter().Replace(route, id.ToString()).Replace("{marketplace}", "amazon", StringComparison.Ordinal);
        if (route.EndsWith("/listing-preview", StringComparison.Ordinal))
        {
            url += $"?connectionId={id}";
        }

        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "PUT" && route.Contains("/workflows/templates", StringComparison.Ordinal))
        {
            // A well-formed template, so only the template's tenancy can refuse it.
            request.Content = JsonContent.Create(WorkflowTemplate);
        }
        else if (method == "PATCH")
        {
            request.Content = JsonContent.Create(new { title = "hijacked" });
        }
        else if (method == "POST" && route.EndsWith("/images", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { skill = "cutout" });
        }
        else if (method == "POST" && route.EndsWith("/videos", StringComparison.Ordinal))
        {
            // A well-formed request, so only the product's tenancy can refuse it.
            request.Content = JsonContent.Create(new { template = "showcase", formats = new[] { "1:1" }, durationSeconds = 6 });
        }
        else if (method == "POST" && route.EndsWith("/publications", StringComparison.Ordinal))
        {
            // A well-formed publish, so only the product's tenancy can refuse it.
            request.Content = JsonContent.Create(new { marketplace = "shopify" });
        }
        else if (method == "POST" && (route.EndsWith("/cancel", StringComparison.Ordinal) || route.EndsWith("/check", StringComparison.Ordinal) || route.EndsWith("/unpublish", StringComparison.Ordinal)))
        {
            request.Content = JsonContent.Create(new { });
        }
        else if (route.Contains("/copy", StringComparison.Ordinal) || route.EndsWith("/translations", StringComparison.Ordinal))
        {
            // A well-formed request, so only the product's tenancy can refuse it.
            request.Content = JsonContent.Create(new { marketplace = "amazon", language = "en", version = 1, baseVersion = 0, targetLanguages = new[] { "de" }, text = new { title = "hijacked" } });
        }
        else if (method == "POST")
        {
            request.Content = Files((TestImages.Png(8, 8), "x.png", "image/png"));
        }

        return request;
    }

    [GeneratedRegex(@"\{id(:[^}]*)?\}")]
    private static partial Regex IdParameter();
}
