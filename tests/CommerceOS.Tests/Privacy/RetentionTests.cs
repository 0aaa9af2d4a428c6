using System.Net;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Privacy policy 5 and test-plan row P4: uploads go 90 days after their last use with their files and photo links,
/// what was made from them stays; finished jobs (and Hangfire's failed jobs) and audit events go after their windows.
/// </summary>
public sealed class RetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_IsKeptOnDay89_PurgedOnDay91_WithItsFiles_AndAUseOnDay60_MovesItsPurgeToDay151(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        using var session = await BrowserSession.SignUpAsync(app);
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var productId = await ProductAsync(app, session.WorkspaceId);
        var idle = await UploadAsync(app, session.WorkspaceId, clock, productId, position: 0);
        var used = await UploadAsync(app, session.WorkspaceId, clock, productId, position: 1);
        var generated = await GeneratedFromAsync(app, session.WorkspaceId, clock, idle, productId);

        // Day 60: the seller looks at the second photo (a product page's thumbnail); one write, not one per request.
        clock.Advance(TimeSpan.FromDays(60));
        using (var browser = await SignedInAsync(app, session.Email))
        {
            using var view = await browser.GetAsync($"/api/v1/assets/{used.Id}/content?variant=thumbnail", Ct);
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            var day60 = await LastUsedAsync(app, used.Id);
            Assert.Equal(clock.GetUtcNow().UtcDateTime, day60, TimeSpan.FromMilliseconds(1));
            clock.Advance(TimeSpan.FromMinutes(10));
            using var again = await browser.GetAsync($"/api/v1/assets/{used.Id}/content?variant=thumbnail", Ct);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(day60, await LastUsedAsync(app, used.Id));
        }

        clock.Advance(TimeSpan.FromDays(29) - TimeSpan.FromMinutes(10));
        Assert.Equal(0, await PurgeUploadsAsync(app));
        Assert.True(await PresentAsync(app, blobs, idle));
        Assert.True(await PresentAsync(app, blobs, used));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await PurgeUploadsAsync(app));
        Assert.True(await GoneAsync(app, blobs, idle));
        Assert.True(await PresentAsync(app, blobs, used));
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var made = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == generated.Id, Ct);
            Assert.Null(made.SourceAssetId);
            Assert.True(await blobs.ExistsAsync(made.BlobKey, Ct));
            Assert.Equal([used.Id], await db.ProductPhotos.Where(p => p.ProductId == productId).Select(p => p.AssetId).ToListAsync(Ct));
        }

        // The seller's product page still renders without the purged photo.
        using (var browser = await SignedInAsync(app, session.Email))
        {
            using var page = await browser.GetAsync($"/app/products/{productId}", Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain(idle.Id.ToString(), html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(used.Id.ToString(), html, StringComparison.OrdinalIgnoreCase);
        }

        clock.Advance(TimeSpan.FromDays(59));
        Assert.Equal(150, (clock.GetUtcNow().UtcDateTime - used.CreatedAt).TotalDays, 3);
        Assert.Equal(0, await PurgeUploadsAsync(app));
        Assert.True(await PresentAsync(app, blobs, used));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await PurgeUploadsAsync(app));
        Assert.True(await GoneAsync(app, blobs, used));
        Assert.Equal(0, await PurgeUploadsAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TenThousandUploads_PurgeInOneRun_AcrossWorkspaces_KeepingSharedFiles_AndARerunDeletesNothing(DatabaseKind kind)
    {
        const int perWorkspace = 5_000;
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var first = await TestWorkspaces.CreateAsync(app.Database);
        var second = await TestWorkspaces.CreateAsync(app.Database);
        var old = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(91);
        var keys = new List<string>();
        foreach (var workspaceId in new[] { first, second })
        {
            await using var db = app.Database.CreateContext(workspaceId);
            for (var i = 0; i < perWorkspace; i++)
            {
                var blob = await PutAsync(blobs, workspaceId, $"{workspaceId}-{i}");
                keys.Add(blob.Key);
                db.Assets.Add(Upload(workspaceId, blob, old));
            }

            await db.SaveChangesAsync(Ct);
        }

        // A recent upload stays; a generated image that happens to share a purged upload's file keeps that file.
        var fresh = await PutAsync(blobs, first, "fresh");
        var shared = keys[perWorkspace + 7];
        await using (var db = app.Database.CreateContext(first))
        {
            db.Assets.Add(Upload(first, fresh, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = app.Database.CreateContext(second))
        {
            db.Assets.Add(new Asset
            {
                WorkspaceId = second, Kind = AssetKind.Generated, ContentType = "image/png", BlobKey = shared, Sha256 = shared.Split('/')[1],
                Source = "test", CreatedAt = old, LastUsedAt = old,
            });
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(2 * perWorkspace, await PurgeUploadsAsync(app));

        await using (var db = app.Database.CreateContext())
        {
#pragma warning disable RS0030 // The test counts every workspace's rows.
            Assert.Equal(2, await db.Assets.IgnoreQueryFilters().CountAsync(a => a.WorkspaceId == first || a.WorkspaceId == second, Ct));
#pragma warning restore RS0030
        }

        Assert.True(await blobs.ExistsAsync(fresh.Key, Ct));
        Assert.True(await blobs.ExistsAsync(shared, Ct));
        var left = 0;
        foreach (var key in keys.Where(k => k != shared))
        {
            left += await blobs.ExistsAsync(key, Ct) ? 1 : 0;
        }

        Assert.Equal(0, left);
        Assert.Equal(0, await PurgeUploadsAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FinishedJobs_AreKeptTheDayBeforeTheWindow_AndDeletedTheDayAfter_WithOutboxRows_AndOldFailedHangfireJobs(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        var workspaceId = await TestWorkspaces.CreateAsync(app.Database);
        var now = clock.GetUtcNow().UtcDateTime;
        var finished = new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.DeadLettered, JobStatus.Cancelled }
            .Select(status => new Job { WorkspaceId = workspaceId, Kind = "test.retention", Status = status, CreatedAt = now, FinishedAt = now })
            .ToList();
        var running = new Job { WorkspaceId = workspaceId, Kind = "test.retention", Status = JobStatus.Running, CreatedAt = now, LeaseUntil = now.AddYears(2) };
        await using (var db = app.Database.CreateContext(workspaceId))
        {
            db.Jobs.AddRange([.. finished, running]);
            db.OutboxMessages.AddRange(finished.Select(j => new OutboxMessage { JobId = j.Id, CreatedAt = now, DispatchedAt = now }));
            await db.SaveChangesAsync(Ct);
        }

        var hangfire = app.Services.GetRequiredService<IBackgroundJobClient>();
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var i = 0; i < 3; i++)
        {
            hangfire.Create(() => FailingWork.Run(), new FailedState(new InvalidOperationException("test failure")));
        }

        var failedBefore = monitoring.FailedCount();
        Assert.True(failedBefore >= 3);

        clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(0, await PurgeJobsAsync(app));
        Assert.Equal(failedBefore, monitoring.FailedCount());
        Assert.Equal((5, 4), await JobCountsAsync(app, workspaceId));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(4, await PurgeJobsAsync(app));
        Assert.Equal(0, monitoring.FailedCount());
        Assert.Equal((1, 0), await JobCountsAsync(app, workspaceId));
        Assert.Equal(0, await PurgeJobsAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AuditEvents_AreKeptTheDayBeforeTheirWindow_AndDeletedTheDayAfter(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActions.LoginFail, AuditOutcomes.Failure, cancellationToken: Ct);
        }

        var sweep = app.Services.GetRequiredService<AuditRetentionSweep>();
        clock.Advance(TimeSpan.FromDays(364));
        Assert.Equal(0, await sweep.RunAsync(Ct));
        Assert.Equal(1, await AuditCountAsync(app));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await sweep.RunAsync(Ct));
        Assert.Equal(0, await AuditCountAsync(app));
        Assert.Equal(0, await sweep.RunAsync(Ct));
    }

    private static Task<int> PurgeUploadsAsync(AppFactory app) => app.Services.GetRequiredService<UploadRetentionSweep>().RunAsync(Ct);

    private static async Task<int> PurgeJobsAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobSweeps>().PurgeFinishedJobsAsync(Ct);
    }

    private static async Task<(int Jobs, int Outbox)> JobCountsAsync(AppFactory app, Guid workspaceId)
    {
        await using var db = app.Database.CreateContext(workspaceId);
        var jobs = await db.Jobs.Select(j => j.Id).ToListAsync(Ct);
        return (jobs.Count, await db.OutboxMessages.CountAsync(o => jobs.Contains(o.JobId), Ct));
    }

    private static async Task<int> AuditCountAsync(AppFactory app)
    {
        await using var db = app.Database.CreateContext();
        return await db.AuditEvents.CountAsync(Ct);
    }

    private static async Task<HttpClient> SignedInAsync(AppFactory app, string email)
    {
        var browser = app.CreateBrowserClient();
        using var signedIn = await BrowserSession.SignInAsync(browser, email);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    private static async Task<Guid> ProductAsync(AppFactory app, Guid workspaceId)
    {
        await using var db = app.Database.CreateContext(workspaceId);
        var product = new Product { WorkspaceId = workspaceId, Sku = "RET-1", Title = "Retention bottle", CreatedAt = TestWorkspaces.Epoch, UpdatedAt = TestWorkspaces.Epoch };
        db.Products.Add(product);
        await db.SaveChangesAsync(Ct);
        return product.Id;
    }

    private static async Task<Asset> UploadAsync(AppFactory app, Guid workspaceId, TimeProvider clock, Guid productId, int position)
    {
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var blob = await PutAsync(blobs, workspaceId, $"photo-{position}");
        var upload = Upload(workspaceId, blob, clock.GetUtcNow().UtcDateTime);
        upload.ThumbnailBlobKey = (await PutAsync(blobs, workspaceId, $"thumbnail-{position}")).Key;
        await using var db = app.Database.CreateContext(workspaceId);
        db.Assets.Add(upload);
        db.ProductPhotos.Add(new ProductPhoto { WorkspaceId = workspaceId, ProductId = productId, AssetId = upload.Id, Position = position });
        await db.SaveChangesAsync(Ct);
        return upload;
    }

    private static async Task<Asset> GeneratedFromAsync(AppFactory app, Guid workspaceId, TimeProvider clock, Asset source, Guid productId)
    {
        var blob = await PutAsync(app.Services.GetRequiredService<IBlobStore>(), workspaceId, "generated");
        var now = clock.GetUtcNow().UtcDateTime;
        var made = new Asset
        {
            WorkspaceId = workspaceId, Kind = AssetKind.Generated, ContentType = "image/png", BlobKey = blob.Key, Sha256 = blob.Sha256,
            Source = "test", ProductId = productId, SourceAssetId = source.Id, Skill = "main-image", CreatedAt = now, LastUsedAt = now,
        };
        await using var db = app.Database.CreateContext(workspaceId);
        db.Assets.Add(made);
        await db.SaveChangesAsync(Ct);
        return made;
    }

    private static Asset Upload(Guid workspaceId, StoredBlob blob, DateTime at) => new()
    {
        WorkspaceId = workspaceId, Kind = AssetKind.Upload, ContentType = "image/png", BlobKey = blob.Key, ByteSize = blob.Length, Sha256 = blob.Sha256,
        Source = "upload", CreatedAt = at, LastUsedAt = at,
    };

    private static async Task<StoredBlob> PutAsync(IBlobStore blobs, Guid workspaceId, string content)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        return await blobs.PutAsync(AssetBlobScope.For(workspaceId), stream, Ct);
    }

    private static async Task<DateTime> LastUsedAsync(AppFactory app, Guid assetId)
    {
        await using var db = app.Database.CreateContext();
#pragma warning disable RS0030 // The test reads one known row.
        return await db.Assets.IgnoreQueryFilters().Where(a => a.Id == assetId).Select(a => a.LastUsedAt).SingleAsync(Ct);
#pragma warning restore RS0030
    }

    private static async Task<bool> PresentAsync(AppFactory app, IBlobStore blobs, Asset upload) =>
        await CountRowsAsync(app, upload) == (1, 1) && await blobs.ExistsAsync(upload.BlobKey, Ct) && await blobs.ExistsAsync(upload.ThumbnailBlobKey!, Ct);

    private static async Task<bool> GoneAsync(AppFactory app, IBlobStore blobs, Asset upload) =>
        await CountRowsAsync(app, upload) == (0, 0) && !await blobs.ExistsAsync(upload.BlobKey, Ct) && !await blobs.ExistsAsync(upload.ThumbnailBlobKey!, Ct);

    private static async Task<(int Assets, int Photos)> CountRowsAsync(AppFactory app, Asset upload)
    {
        await using var db = app.Database.CreateContext(upload.WorkspaceId);
        return (await db.Assets.CountAsync(a => a.Id == upload.Id, Ct), await db.ProductPhotos.CountAsync(p => p.AssetId == upload.Id, Ct));
    }
}

/// <summary>A Hangfire method whose failures stay failed (no automatic retry, no delete): what Hangfire never expires.</summary>
public static class FailingWork
{
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public static void Run() => throw new InvalidOperationException("test failure");
}
