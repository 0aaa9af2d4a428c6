using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Workflows;

/// <summary>
/// The closed loop of product-scope.md A6 on the local engines: a product with a photo and a name, two marketplaces, the
/// listing-kit template, review at the gate, approve, and a ZIP per marketplace holding the nine assets.
/// </summary>
public sealed class ListingKitLoopTests
{
    [Fact]
    public async Task ListingKit_ForTwoMarketplaces_MakesNineAssetsEach_WaitsForApproval_ThenExportsAZipPerMarketplace()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        using var created = await tenant.Client.PostAsJsonAsync("/api/v1/products", new
        {
            sku = "LOOP-1",
            title = "Insulated stainless steel water bottle 750 ml",
            category = "kitchen",
            sellingPoints = new[] { "Keeps drinks cold for 24 hours", "Leak-proof lid", "BPA-free", "Fits cup holders", "Dishwasher safe" },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var productId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using (var form = Files((StudioPhotos.Bottle(), "bottle.jpg", "image/jpeg")))
        {
            using var uploaded = await tenant.Client.PostAsync($"/api/v1/products/{productId}/photos", form, Ct);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var started = await app.StartAsync(tenant, new StartWorkflowRuns.Request("listing-kit", [productId], Marketplaces: ["amazon", "shopify"]));
        await app.WaitForBatchAsync(tenant, started.Batch.Id, TimeSpan.FromMinutes(5));

        var run = await app.RunAsync(tenant, started.Runs[0].Id);
        Assert.True(run.Status == WorkflowRunStatus.AwaitingApproval, string.Join("; ", run.Steps.Select(s => $"{s.Key} {s.Status} {s.Error} {string.Join(",", s.ErrorArgs)}")));
        foreach (var marketplace in new[] { "amazon", "shopify" })
        {
            foreach (var key in new[] { "main", "scene-1", "scene-2", "infographic", "copy", "seo", "compliance" })
            {
                Assert.Equal(WorkflowStepStatus.Succeeded, run.Steps.Single(s => s.Key == $"{key}@{marketplace}").Status);
            }
        }

        Assert.Equal(WorkflowStepStatus.Succeeded, run.Steps.Single(s => s.Key == "video").Status);
        Assert.Equal(WorkflowStepStatus.AwaitingApproval, run.Steps.Single(s => s.Key == "approval").Status);
        Assert.All(run.Steps.Where(s => s.StepKey == "export"), s => Assert.Equal(WorkflowStepStatus.Pending, s.Status));

        var approved = await app.AsOwnerAsync(tenant, s => s.GetRequiredService<ControlWorkflowRun>().ApproveAsync(run.Id, "approval", Ct));
        Assert.True(approved.IsSuccess, approved.ToString());
        await app.WaitForBatchAsync(tenant, started.Batch.Id);
        run = await app.RunAsync(tenant, run.Id);
        Assert.True(run.Status == WorkflowRunStatus.Succeeded, string.Join("; ", run.Steps.Select(s => $"{s.Key} {s.Status} {s.Error} {s.Output}")));
        var exported = run.Steps.Single(s => s.Key == "export@amazon").Output!.Value;
        Assert.True(exported.TryGetProperty("missing", out var missing) && missing.GetInt32() == 0, exported.ToString());

        foreach (var marketplace in new[] { "amazon", "shopify" })
        {
            using var response = await tenant.Client.GetAsync($"/api/v1/workflows/runs/{run.Id}/kits/{marketplace}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)));
            var names = zip.Entries.Select(e => e.FullName).ToList();
            var images = names.Where(n => n.StartsWith("LOOP-1/images/", StringComparison.Ordinal) && n.EndsWith(".jpg", StringComparison.Ordinal) && !n.Contains("/extra/", StringComparison.Ordinal)).ToList();
            Assert.True(images.Count >= 4, string.Join("\n", names));
            Assert.Contains("LOOP-1/video/LOOP-1.mp4", names);
            Assert.Contains("LOOP-1/seo-keywords.txt", names);
            var copy = JsonDocument.Parse(zip.GetEntry("LOOP-1/copy/en.json")!.Open()).RootElement.GetProperty("fields");
            Assert.False(string.IsNullOrWhiteSpace(copy.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(copy.GetProperty("description").GetString()));
            if (marketplace == "amazon")
            {
                Assert.Contains("LOOP-1/images/LOOP1.MAIN.jpg", names);
                Assert.Equal(5, copy.GetProperty("bullets").GetArrayLength());
            }

            using var keywords = new StreamReader(zip.GetEntry("LOOP-1/seo-keywords.txt")!.Open());
            Assert.Contains("bottle", await keywords.ReadToEndAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }

        using var other = await app.CreateApiTenantAsync("other@example.com");
        using var foreign = await other.Client.GetAsync($"/api/v1/workflows/runs/{run.Id}/kits/amazon", Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var unknown = await tenant.Client.GetAsync($"/api/v1/workflows/runs/{run.Id}/kits/nowhere", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }
}
