using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Cli;
using CommerceOS.Core.Video;
using CommerceOS.Engines.Video;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Tests.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Tests.Video;

/// <summary>
/// <c>kill -9</c> of the real server while a video job waits for a remote provider between polls: the restarted server polls
/// the same vendor task (it is never submitted twice) and finishes the video. The server is <c>cos serve</c> on SQLite with
/// Hangfire's in-memory storage, so the kill throws away every scheduled poll; only the job row and its checkpoint remain.
/// The provider is Kling's documented contract (external-apis.md §3), served by a small fake on loopback.
/// </summary>
public sealed class VideoKillRecoveryTests
{
    private const string Email = "video-killer@example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_KilledWhileAVideoWaitsForKling_RestartPollsTheSameTaskAndFinishes()
    {
        using var sandbox = ProcessSandbox.Create("vkill");
        var (root, data) = (sandbox.Root, sandbox.Data);
        await using var kling = await FakeKling.StartAsync(await ClipAsync(root));
        string[] hostArguments = [.. sandbox.HostArguments];
        string[] serverArguments =
        [
            .. hostArguments,
            "--Providers:Video", "kling",
            "--Kling:AccessKey", "ak-test", "--Kling:SecretKey", "sk-test",
            "--Kling:BaseUrl", kling.BaseUrl,
            "--Kling:PollInterval", "00:00:01",
            "--Jobs:WorkerCount", "1",
            "--Jobs:LeaseDuration", "00:00:15",
            "--Jobs:RecoveryGracePeriod", "00:00:01",
            "--Jobs:RecoverySweepCron", "*/2 * * * * *",
        ];
        Assert.Equal(0, await CosCli.RunAsync(["user", "create", "--email", Email, "--password", "correct horse battery staple 42", .. hostArguments], TextWriter.Null, TextWriter.Null, Ct));
        using var keyOutput = new StringWriter();
        Assert.Equal(0, await CosCli.RunAsync(["apikey", "create", "--email", Email, "--grant-api-access", .. hostArguments], keyOutput, TextWriter.Null, Ct));
        SqliteConnection.ClearAllPools();
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keyOutput.ToString().Trim());

        Guid jobId;
        await using (var first = CosServerProcess.Start(root, serverArguments))
        {
            await first.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(2), Ct);
            jobId = await RequestVideoAsync(http, first.BaseAddress);
            await WaitAsync(() => kling.Polls >= 2, first);
            await first.KillAsync();
        }

        var workspaceId = await WorkspaceAsync(data);
        await using (var db = KillRecoveryTests.OpenDatabase(data, workspaceId))
        {
            var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, Ct);
            Assert.False(row.IsTerminal);
            Assert.Contains(FakeKling.TaskId, row.CheckpointJson ?? "", StringComparison.Ordinal);
        }

        kling.Finish();
        await using var second = CosServerProcess.Start(root, serverArguments);
        await second.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(2), Ct);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>(new Uri(second.BaseAddress, $"/api/v1/jobs/{jobId}"), Ct);
            var status = job.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                break;
            }

            Assert.True(status is "queued" or "running", $"{job}\n{second.RecentOutput()}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"not finished: {job}\n{second.RecentOutput()}");
            await Task.Delay(250, Ct);
        }

        Assert.Equal(1, kling.Submits);
        Assert.Equal(1, kling.Downloads);
        await using (var db = KillRecoveryTests.OpenDatabase(data, workspaceId))
        {
            var video = await db.Assets.AsNoTracking().SingleAsync(a => a.JobId == jobId && a.Skill == VideoSkills.Video, Ct);
            Assert.Equal(("kling", 1080, 1080), (video.Source, video.Width, video.Height));
        }

        Assert.False(Directory.Exists(Path.Combine(data, "tmp", "video", jobId.ToString("N"))));
    }

    private static async Task<Guid> RequestVideoAsync(HttpClient http, Uri server)
    {
        using var created = await http.PostAsJsonAsync(new Uri(server, "/api/v1/products"), new { sku = "VKILL-1", title = "Insulated bottle" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var productId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(StudioPhotos.Bottle());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "bottle.jpg");
        using var uploaded = await http.PostAsync(new Uri(server, $"/api/v1/products/{productId}/photos"), form, Ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        using var requested = await http.PostAsJsonAsync(
            new Uri(server, $"/api/v1/products/{productId}/videos"),
            new { template = "showcase", formats = new[] { "1:1" }, durationSeconds = 6, engine = "ai" },
            Ct);
        var body = await requested.Content.ReadAsStringAsync(Ct);
        Assert.True(requested.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<Guid> WorkspaceAsync(string data)
    {
        await using var db = KillRecoveryTests.OpenDatabase(data, null);
        return (await db.Users.AsNoTracking().SingleAsync(Ct)).DefaultWorkspaceId!.Value;
    }

    private static async Task WaitAsync(Func<bool> condition, CosServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), server.RecentOutput());
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>A real 5 s clip, as a provider would deliver.</summary>
    private static async Task<byte[]> ClipAsync(string root)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, "clip.mp4");
        await FfmpegProcess.RunAsync(["-f", "lavfi", "-i", "testsrc=size=640x360:rate=30:duration=5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path], TimeSpan.FromSeconds(5), null, Ct);
        return await File.ReadAllBytesAsync(path, Ct);
    }

    /// <summary>Kling's image2video contract: the envelope <c>{code, message, data}</c>, a task processing until <see cref="Finish"/>.</summary>
    private sealed class FakeKling : IAsyncDisposable
    {
        public const string TaskId = "kling-task-7781";

        private readonly WebApplication _app;
        private readonly byte[] _clip;
        private int _submits;
        private int _polls;
        private int _downloads;
        private volatile bool _done;

        private FakeKling(WebApplication app, byte[] clip)
        {
            _app = app;
            _clip = clip;
        }

        public string BaseUrl => _app.Urls.First().TrimEnd('/');

        public int Submits => _submits;

        public int Polls => _polls;

        public int Downloads => _downloads;

        public void Finish() => _done = true;

        public static async Task<FakeKling> StartAsync(byte[] clip)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var fake = new FakeKling(app, clip);
            app.MapPost("/v1/videos/image2video", (HttpContext context) =>
            {
                Authorize(context);
                Interlocked.Increment(ref fake._submits);
                return Envelope(new JsonObject { ["task_id"] = TaskId, ["task_status"] = "submitted" });
            });
            app.MapGet("/v1/videos/image2video/{id}", (string id, HttpContext context) =>
            {
                Authorize(context);
                Assert.Equal(TaskId, id);
                Interlocked.Increment(ref fake._polls);
                var data = new JsonObject { ["task_id"] = TaskId, ["task_status"] = fake._done ? "succeed" : "processing" };
                if (fake._done)
                {
                    data["task_result"] = new JsonObject
                    {
                        ["videos"] = new JsonArray(new JsonObject { ["id"] = "v1", ["url"] = $"{fake.BaseUrl}/cdn/clip.mp4", ["duration"] = "5" }),
                    };
                }

                return Envelope(data);
            });
            app.MapGet("/cdn/clip.mp4", () =>
            {
                Interlocked.Increment(ref fake._downloads);
                return Results.Bytes(fake._clip, "video/mp4");
            });
            await app.StartAsync();
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static IResult Envelope(JsonObject data) =>
            Results.Json(new JsonObject { ["code"] = 0, ["message"] = "SUCCEED", ["request_id"] = Guid.NewGuid().ToString(), ["data"] = data });

        /// <summary>The JWT itself is checked by the adapter's own tests against a stricter fake; here it must be present.</summary>
        private static void Authorize(HttpContext context) =>
            Assert.StartsWith("Bearer ey", context.Request.Headers.Authorization.ToString(), StringComparison.Ordinal);
    }
}
