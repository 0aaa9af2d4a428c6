using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Cli;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace CommerceOS.Tests.Jobs;

/// <summary>
/// <c>kill -9</c> of the real server while thumbnail jobs are queued and running loses nothing and
/// does nothing twice (architecture.md 5). The server runs as a child process (<c>dotnet cos.dll
/// serve</c>) on SQLite with Hangfire's in-memory storage, so the kill also throws away Hangfire's
/// whole queue: only CommerceOS's job rows and the recovery sweep bring the work back.
/// </summary>
/// <remarks>
/// Thumbnails are made slow by their input, not by a test switch: 2400 x 2400 photos of random noise
/// (several MB each, which JPEG cannot shrink) cost about as much to thumbnail as to upload, and four
/// uploads run at once against a single job worker, so a backlog builds up. Recovery timings are
/// shortened on the command line: <c>Jobs:LeaseDuration 00:00:15</c> (a job running at the kill is
/// taken over 15 s after its last renewal), <c>Jobs:RecoveryGracePeriod 00:00:01</c> and
/// <c>Jobs:RecoverySweepCron */2 * * * * *</c>.
/// </remarks>
public sealed class KillRecoveryTests
{
    private const int PhotoCount = 50;
    private const int PhotoSide = 2400;
    private const int ConcurrentUploads = 4;
    private const string Email = "killer@example.com";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_KilledWithThumbnailJobsPending_RestartCompletesEveryJobExactlyOnce()
    {
        using var sandbox = ProcessSandbox.Create("kill");
        await RunScenarioAsync(sandbox);
    }

    private static async Task RunScenarioAsync(ProcessSandbox sandbox)
    {
        var (root, data) = (sandbox.Root, sandbox.Data);
        string[] hostArguments = [.. sandbox.HostArguments];
        string[] serverArguments =
        [
            .. hostArguments,
            "--Jobs:WorkerCount", "1",
            "--Jobs:LeaseDuration", "00:00:15",
            "--Jobs:ProgressInterval", "00:00:01",
            "--Jobs:RecoveryGracePeriod", "00:00:01",
            "--Jobs:RecoverySweepCron", "*/2 * * * * *",
            "--RateLimits:ApiPerSecond", "1000",
            "--RateLimits:ApiBurst", "1000",
            "--RateLimits:UploadsPerMinute", "1000",
        ];
        var log = TestContext.Current.TestOutputHelper;
        var stopwatch = Stopwatch.StartNew();

        // The photos are made while the account is created and the server starts.
        var photosTask = Task.Run(MakePhotos, Ct);

        // 1. An account and an API key through the CLI, on the same data folder and default SQLite file.
        Assert.Equal(0, await CosCli.RunAsync(["user", "create", "--email", Email, "--password", "correct horse battery staple 42", .. hostArguments], TextWriter.Null, TextWriter.Null, Ct));
        using var keyOutput = new StringWriter();
        Assert.Equal(0, await CosCli.RunAsync(["apikey", "create", "--email", Email, "--grant-api-access", .. hostArguments], keyOutput, TextWriter.Null, Ct));
        var apiKey = keyOutput.ToString().Trim();
        SqliteConnection.ClearAllPools();

        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(3) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        // 2. First life: upload the photos (each schedules one "assets.thumbnail" job), then kill -9.
        Dictionary<Guid, Guid> jobToAsset;
        Guid workspaceId;
        Dictionary<Guid, JobState> atKill;
        await using (var first = CosServerProcess.Start(root, serverArguments))
        {
            await first.WaitUntilReadyAsync(http, ReadyTimeout, Ct);
            var photos = await photosTask;
            log?.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s: server ready, {PhotoCount} photos of {photos.Average(p => p.Length) / 1024 / 1024:F1} MB made");

            var productId = await CreateProductAsync(http, first.BaseAddress);
            jobToAsset = await UploadAsync(http, first, productId, photos);
            await first.KillAsync();
            log?.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s: uploaded and killed");

            await using var db = OpenDatabase(data, null);
            workspaceId = (await db.Users.AsNoTracking().SingleAsync(Ct)).DefaultWorkspaceId!.Value;
            atKill = await ReadJobsAsync(data, workspaceId, jobToAsset.Keys);
        }

        var pendingAtKill = atKill.Values.Count(j => j.Status != JobStatus.Succeeded);
        var runningAtKill = atKill.Values.Count(j => j.Status == JobStatus.Running);
        log?.WriteLine($"At the kill: {pendingAtKill} of {PhotoCount} not succeeded ({runningAtKill} running)");
        TestContext.Current.SendDiagnosticMessage($"kill -9 recovery: {pendingAtKill} of {PhotoCount} thumbnail jobs not succeeded at the kill ({runningAtKill} running)");
        Assert.Equal(PhotoCount, atKill.Count);
        Assert.True(pendingAtKill > 0, "Every thumbnail was done before the kill, so the kill tested nothing: make the photos heavier.");
        Assert.DoesNotContain(atKill.Values, j => j.Status is JobStatus.Failed or JobStatus.DeadLettered);

        // 3. Second life on the same data folder: the recovery sweep must finish every job.
        await using var second = CosServerProcess.Start(root, serverArguments);
        await second.WaitUntilReadyAsync(http, ReadyTimeout, Ct);
        Dictionary<Guid, JobState> final;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            final = await ReadJobsAsync(data, workspaceId, jobToAsset.Keys);
            Assert.DoesNotContain(final.Values, j => j.Status is JobStatus.Failed or JobStatus.DeadLettered or JobStatus.Cancelled);
            if (final.Values.All(j => j.Status == JobStatus.Succeeded))
            {
                break;
            }

            Assert.False(second.HasExited, "The restarted server exited.\n" + second.RecentOutput());
            Assert.True(
                waited.Elapsed < RecoveryTimeout,
                $"After {RecoveryTimeout}, {final.Values.Count(j => j.Status != JobStatus.Succeeded)} jobs are still not done.\n{second.RecentOutput()}");
            await Task.Delay(500, Ct);
        }

        log?.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s: all {PhotoCount} jobs succeeded {waited.Elapsed.TotalSeconds:F1} s after the restart");

        // Every job succeeded once: at most one attempt lost to the kill, and a job that had already
        // succeeded was not run again (same attempt count and finish time).
        foreach (var (jobId, before) in atKill)
        {
            var after = final[jobId];
            Assert.InRange(after.Attempts, 1, 2);
            Assert.Null(after.LastError);
            if (before.Status == JobStatus.Succeeded)
            {
                Assert.Equal(before.Attempts, after.Attempts);
                Assert.Equal(before.FinishedAt, after.FinishedAt);
            }
        }

        // One job row per asset, one thumbnail per asset, no two assets sharing one.
        await using (var db = OpenDatabase(data, workspaceId))
        {
            var thumbnailJobs = await db.Jobs.AsNoTracking().Where(j => j.Kind == ThumbnailJob.JobKind).ToListAsync(Ct);
            Assert.Equal(PhotoCount, thumbnailJobs.Count);
            Assert.Equal(jobToAsset.Values.Order(), thumbnailJobs.Select(j => j.SubjectId!.Value).Order());
            var assets = await db.Assets.AsNoTracking().ToListAsync(Ct);
            Assert.Equal(PhotoCount, assets.Count);
            Assert.All(assets, a => Assert.NotNull(a.ThumbnailBlobKey));
            Assert.Equal(PhotoCount, assets.Select(a => a.ThumbnailBlobKey).Distinct(StringComparer.Ordinal).Count());
        }

        // And through the public API: every job reads as succeeded, every thumbnail is a real small WebP.
        foreach (var (jobId, assetId) in jobToAsset)
        {
            using var job = await http.GetAsync(new Uri(second.BaseAddress, $"/api/v1/jobs/{jobId}"), Ct);
            Assert.Equal(HttpStatusCode.OK, job.StatusCode);
            using var document = JsonDocument.Parse(await job.Content.ReadAsStringAsync(Ct));
            Assert.Equal("succeeded", document.RootElement.GetProperty("status").GetString());
            Assert.InRange(document.RootElement.GetProperty("attempts").GetInt32(), 1, 2);

            using var thumbnail = await http.GetAsync(new Uri(second.BaseAddress, $"/api/v1/assets/{assetId}/content?variant=thumbnail"), Ct);
            Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
            Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);
            using var image = Image.NewFromBuffer(await thumbnail.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(ImageLimits.ThumbnailMaxSide, Math.Max(image.Width, image.Height));
        }

        await second.KillAsync();
    }

    private sealed record JobState(JobStatus Status, int Attempts, DateTime? FinishedAt, string? LastError);

    /// <summary>Distinct photos (different noise each, so no two share a content-addressed blob or thumbnail).</summary>
    private static List<byte[]> MakePhotos()
    {
        var photos = new byte[PhotoCount][];
        Parallel.For(0, PhotoCount, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var pixels = new byte[PhotoSide * PhotoSide * 3];
            new Random(i).NextBytes(pixels);
            using var raw = Image.NewFromMemory(pixels, PhotoSide, PhotoSide, 3, Enums.BandFormat.Uchar);
            using var srgb = raw.Copy(interpretation: Enums.Interpretation.Srgb);
            photos[i] = srgb.JpegsaveBuffer(q: 80);
        });
        return [.. photos];
    }

    private static async Task<Guid> CreateProductAsync(HttpClient http, Uri server)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server, "/api/v1/products"), new { sku = "KILL-1", title = "Kill -9 recovery" }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Uploads every photo (several at once); returns thumbnail job ID -> asset ID.</summary>
    private static async Task<Dictionary<Guid, Guid>> UploadAsync(HttpClient http, CosServerProcess server, Guid productId, List<byte[]> photos)
    {
        var jobs = new Dictionary<Guid, Guid>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentUploads, CancellationToken = Ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, photos.Count), options, async (i, cancellationToken) =>
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(photos[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", $"photo-{i:D2}.jpg");
            using var response = await http.PostAsync(new Uri(server.BaseAddress, $"/api/v1/products/{productId}/photos"), form, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Upload {i}: {(int)response.StatusCode} {body}\n{server.RecentOutput()}");
            using var document = JsonDocument.Parse(body);
            var asset = Assert.Single(document.RootElement.GetProperty("assets").EnumerateArray());
            lock (jobs)
            {
                jobs.Add(asset.GetProperty("thumbnailJobId").GetGuid(), asset.GetProperty("id").GetGuid());
            }
        });
        return jobs;
    }

    private static async Task<Dictionary<Guid, JobState>> ReadJobsAsync(string data, Guid workspaceId, IEnumerable<Guid> jobIds)
    {
        var ids = jobIds.ToList();
        await using var db = OpenDatabase(data, workspaceId);
        return await db.Jobs.AsNoTracking()
            .Where(j => ids.Contains(j.Id))
            .ToDictionaryAsync(j => j.Id, j => new JobState(j.Status, j.Attempts, j.FinishedAt, j.LastError), Ct);
    }

    /// <summary>A reader on the server's SQLite file (WAL mode lets it read while the server writes).</summary>
    internal static AppDbContext OpenDatabase(string data, Guid? workspaceId)
    {
        var workspace = new WorkspaceContext();
        if (workspaceId is { } id)
        {
            workspace.Set(id, null, WorkspaceRole.Viewer);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(data, "commerceos.db"),
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString();
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, DatabaseOptions.Sqlite, connectionString);
        return new AppDbContext(builder.Options, workspace);
    }
}
