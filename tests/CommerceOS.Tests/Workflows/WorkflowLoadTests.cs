using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Workflows;

/// <summary>The engine under load: fairness between workspaces, provider limits, and a vendor that fails often.</summary>
public sealed class WorkflowLoadTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Jobs:RetryBaseDelay"] = "00:00:00.050",
        ["Jobs:RetryMaxDelay"] = "00:00:00.200",
        ["Jobs:SchedulePollingInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task OneWorkspacesBatch_DoesNotStarveAnotherWorkspacesSingleRun()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["Workflows:MaxActiveStepsPerWorkspace"] = "1",
            ["Jobs:WorkerCount"] = "1",
        });
        using var big = await app.CreateApiTenantAsync("big@example.com");
        using var small = await app.CreateApiTenantAsync("small@example.com");
        var bigBatch = await StartCopyChainAsync(app, big, 12);

        var smallBatch = await StartCopyChainAsync(app, small, 1);
        await app.WaitForBatchAsync(small, smallBatch);
        var bigWhenSmallFinished = (await app.AsOwnerAsync(big, s => s.GetRequiredService<GetWorkflowBatch>().HandleAsync(bigBatch, Ct))).Value;

        // 36 steps of the big batch were ready before the small run's 3; one at a time each, the small run is done
        // after a handful of the big batch's jobs, not after all of them.
        Assert.Equal(1, (await app.AsOwnerAsync(small, s => s.GetRequiredService<GetWorkflowBatch>().HandleAsync(smallBatch, Ct))).Value.Succeeded);
        Assert.True(bigWhenSmallFinished.StepsDone <= 12, $"the big batch had done {bigWhenSmallFinished.StepsDone} of 36 steps first");
        var bigReport = await app.WaitForBatchAsync(big, bigBatch);
        Assert.Equal(12, bigReport.Succeeded);
    }

    [Fact]
    public async Task ProviderLimit_KeepsThatProvidersStepsOneAtATime_AcrossWorkspaces()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["Workflows:ProviderLimits:local"] = "1",
            ["Jobs:WorkerCount"] = "3",
        });
        using var first = await app.CreateApiTenantAsync("first@example.com");
        using var second = await app.CreateApiTenantAsync("second@example.com");
        var batches = new[] { (first, await StartCopyChainAsync(app, first, 4)), (second, await StartCopyChainAsync(app, second, 4)) };
        foreach (var (tenant, batch) in batches)
        {
            Assert.Equal(4, (await app.WaitForBatchAsync(tenant, batch)).Succeeded);
        }

        // Every step of these templates runs on the local engines, so with the limit at 1 no two step jobs overlap.
        var intervals = new List<(DateTime Start, DateTime End)>();
        foreach (var (tenant, _) in batches)
        {
            await using var db = app.Database.CreateContext(tenant.WorkspaceId);
            intervals.AddRange((await db.WorkflowStepExecutions.Join(db.Jobs, e => e.JobId, j => j.Id, (e, j) => new { j.StartedAt, j.FinishedAt }).ToListAsync(Ct))
                .Select(j => (j.StartedAt!.Value, j.FinishedAt!.Value)));
        }

        Assert.Equal(24, intervals.Count);
        var ordered = intervals.OrderBy(i => i.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].Start >= ordered[i - 1].End, $"two local steps ran at once: {ordered[i - 1]} and {ordered[i]}");
        }
    }

    private const int Runs = 20;

    [Fact]
    public async Task FlakyProvider_EveryRunEndsWithAReason_AndRefundsMatchFailuresExactly()
    {
        var provider = new FlakyProvider(seed: 6);
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, FastRetries, s => s.AddSingleton<IImageProvider>(provider));
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Business);
        var products = new List<Guid>();
        for (var i = 0; i < Runs; i++)
        {
            products.Add((await ProductWithPhotoAsync(tenant.Client, $"FLAKY-{i}")).ProductId);
        }

        var template = await app.SaveTemplateAsync(tenant, "AI scene and copy", ["amazon"],
        [
            new("scene", "image-lifestyle", Params: new() { ["prompt"] = "marble bathroom counter" }),
            new("copy", "copy-listing"),
        ]);
        var started = await app.StartAsync(tenant, new StartWorkflowRuns.Request(template, products));
        var report = await app.WaitForBatchAsync(tenant, started.Batch.Id, TimeSpan.FromMinutes(4));

        Assert.True(report.Finished);
        Assert.Equal(Runs, report.Succeeded + report.Failed);
        Assert.All(report.Failures, f => Assert.StartsWith("generation.provider.", f.Error, StringComparison.Ordinal));
        Assert.True(provider.Failures > 5, $"the provider failed only {provider.Failures} times");

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var scenes = await db.WorkflowSteps.Where(s => s.StepKey == "scene").ToListAsync(Ct);
        var sceneJobs = scenes.Select(s => s.JobId!.Value).ToList();
        var reservations = await db.UsageReservations.Where(r => r.Meter == Meters.Images).ToListAsync(Ct);
        Assert.DoesNotContain(reservations, r => r.Status == ReservationStatus.Reserved);
        var succeeded = scenes.Count(s => s.Status == WorkflowStepStatus.Succeeded);
        var failed = scenes.Count(s => s.Status == WorkflowStepStatus.Failed);
        Assert.Equal(Runs, succeeded + failed);
        Assert.Equal(report.Failed, failed);
        Assert.Equal(succeeded, reservations.Count(r => r.Status == ReservationStatus.Committed));
        Assert.Equal(failed, reservations.Count(r => r.Status == ReservationStatus.Released));
        Assert.Equal(succeeded, (await db.UsageCounters.SingleAsync(c => c.Meter == Meters.Images, Ct)).Used);
        Assert.Equal(succeeded, await db.Assets.CountAsync(a => a.JobId != null && sceneJobs.Contains(a.JobId.Value), Ct));
        Assert.Equal(Runs, await db.Jobs.CountAsync(j => sceneJobs.Contains(j.Id) && (j.Status == JobStatus.Succeeded || j.Status == JobStatus.Failed || j.Status == JobStatus.DeadLettered), Ct));
    }

    private static async Task<Guid> StartCopyChainAsync(AppFactory app, ApiTenant tenant, int products)
    {
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var ids = new List<Guid>();
        for (var i = 0; i < products; i++)
        {
            ids.Add((await CreateProductAsync(tenant.Client, $"CHAIN-{i}", "Insulated steel bottle 750 ml")).GetProperty("id").GetGuid());
        }

        var template = await app.SaveTemplateAsync(tenant, "Copy chain", ["amazon"],
        [
            new("copy", "copy-listing"),
            new("seo", "seo-keywords", ["copy"]),
            new("check", "compliance-check", ["seo"]),
        ]);
        return (await app.StartAsync(tenant, new StartWorkflowRuns.Request(template, ids))).Batch.Id;
    }

    /// <summary>
    /// A text-to-image vendor that fails 30 % of calls (5xx), times out on 10 % and answers 429 on 5 %, from a seeded
    /// sequence; otherwise it returns a plain backdrop.
    /// </summary>
    private sealed class FlakyProvider(int seed) : IImageProvider
    {
        private readonly Random _random = new(seed);
        private int _failures;

        public string Name => "flaky";

        public bool SupportsBackgroundRemoval => false;

        public int Failures => _failures;

        public async Task<ProviderImage> TextToImageAsync(TextToImageRequest request, CancellationToken cancellationToken)
        {
            double roll;
            lock (_random)
            {
                roll = _random.NextDouble();
            }

            if (roll < 0.45)
            {
                Interlocked.Increment(ref _failures);
            }

            switch (roll)
            {
                case < 0.30:
                    throw new ProviderException(ProviderFailure.Transient, "HTTP 503");
                case < 0.40:
                    await Task.Delay(50, cancellationToken);
                    throw new ProviderException(ProviderFailure.Timeout, "no result within the deadline");
                case < 0.45:
                    throw new ProviderException(ProviderFailure.RateLimited, "HTTP 429", TimeSpan.FromMilliseconds(50));
            }

            using var image = NetVips.Image.Black(request.Width, request.Height, bands: 3) + new double[] { 200, 190, 180 };
            using var srgb = image.Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
            return new ProviderImage(srgb.JpegsaveBuffer(q: 85), "image/jpeg", Name, "flaky-1", "task", 1);
        }

        public Task<ProviderImage> EditImageAsync(ImageEditRequest request, CancellationToken cancellationToken) =>
            throw new ProviderException(ProviderFailure.Misconfigured, "not offered");

        public Task<ProviderImage> RemoveBackgroundAsync(byte[] image, ProviderTask? resume, Func<ProviderTask, CancellationToken, Task>? onSubmitted, CancellationToken cancellationToken) =>
            throw new ProviderException(ProviderFailure.Misconfigured, "not offered");
    }
}
