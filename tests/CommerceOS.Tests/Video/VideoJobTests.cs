using System.Collections.Concurrent;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Video;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.Video;

/// <summary>
/// How the video job drives a remote provider and the renderer: a task submitted once and polled without holding a worker,
/// resumed after the scheduler forgot it, failures told in the seller's terms with the quota given back, cancellation,
/// idempotent storage per format and the work folder always removed. The renderer is scripted here (the real one is
/// tested against ffmpeg in this folder); the vendor adapters against fake vendor servers in CommerceOS.Connectors.Tests.
/// </summary>
public sealed class VideoJobTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Jobs:RetryBaseDelay"] = "00:00:00.050",
        ["Jobs:RetryMaxDelay"] = "00:00:00.200",
        ["Jobs:SchedulePollingInterval"] = "00:00:00.200",
        ["Jobs:ProgressInterval"] = "00:00:00.100",
        ["Jobs:RecoveryGracePeriod"] = "00:00:00.100",
    };

    [Fact]
    public async Task SlowRemoteTask_IsSubmittedOnce_PolledBetweenQueuedWaits_AndStoredWithProvenance()
    {
        var provider = new ScriptedProvider(pendingPolls: 3);
        var renderer = new ScriptedRenderer();
        await using var app = await StartAsync(provider, renderer);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, "business");
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-AI-1");

        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "showcase", ["9:16", "1:1"], 12, VideoEngines.Ai, Title: "Fresh every day"));
        var sawQueuedBetweenPolls = await SeenQueuedWithCheckpointAsync(app, tenant.WorkspaceId, jobId);
        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, jobId);

        Assert.True(sawQueuedBetweenPolls, "the job waited for the vendor inside a worker instead of going back to the queue");
        Assert.Equal(1, provider.Submits);
        Assert.Equal(4, provider.Polls);
        Assert.Equal(1, provider.Downloads);
        // Waiting for the vendor is not an attempt.
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal("9:16", provider.Requests.Single().AspectRatio);
        Assert.Contains("Keep the product exactly as in the image", provider.Requests.Single().Prompt, StringComparison.Ordinal);
        Assert.Equal(2, renderer.Conformed.Count);
        Assert.All(renderer.Conformed, c => Assert.EndsWith("clip.mp4", c.Clip, StringComparison.Ordinal));

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var videos = await db.Assets.Where(a => a.JobId == jobId && a.Skill == VideoSkills.Video).ToListAsync(Ct);
        Assert.Equal(["1:1", "9:16"], videos.Select(v => v.OutputKey).Order(StringComparer.Ordinal));
        var provenance = GenerationJson.Provenance(videos[0])!;
        Assert.Equal("scripted", provenance.Engine);
        Assert.Equal("scripted-video-1", provenance.Model);
        Assert.Equal("trainedAlgorithmicMedia", provenance.DigitalSourceType);
        Assert.All(videos, v => Assert.NotNull(v.ThumbnailBlobKey));
        Assert.Equal(2, await db.Assets.CountAsync(a => a.JobId == jobId && a.Skill == VideoSkills.Cover, Ct));
        // 1080x1920 breaks Shopee's 1280 px box only, so Shopee gets a 720x1280 copy; 1080x1080 fits every channel.
        var copy = await db.Assets.SingleAsync(a => a.JobId == jobId && a.Skill == VideoSkills.ChannelCopy, Ct);
        Assert.Equal(("shopee", "9:16/shopee", 720, 1280), (copy.Marketplace, copy.OutputKey, copy.Width, copy.Height));
        Assert.Equal((720, 1280, 30L * 1024 * 1024), renderer.Fitted.Single());
        var usage = await UsageAsync(app, tenant.WorkspaceId);
        Assert.Equal(2, usage);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "tmp", "video", jobId.ToString("N"))));
    }

    [Fact]
    public async Task TaskWaitingForItsNextPoll_SurvivesTheSchedulerForgettingIt_AndIsPolledNotResubmitted()
    {
        var provider = new ScriptedProvider(pendingPolls: int.MaxValue);
        await using var app = await StartAsync(provider, new ScriptedRenderer());
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-AI-2");
        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "showcase", ["1:1"], 6, VideoEngines.Ai));
        await WaitUntilAsync(() => provider.Polls >= 1);

        // What a restart on in-memory Hangfire storage does: every scheduled delivery is gone, only our row is left.
        provider.PollInterval = TimeSpan.FromHours(1);
        // Wait for the row's own scheduled delivery: the runner writes NotBefore before it schedules and records the delivery.
        var storage = app.Services.GetRequiredService<JobStorage>();
        await WaitUntilAsync(async () => await RowAsync(app, tenant.WorkspaceId, jobId) is { Status: JobStatus.Queued, NotBefore: { } next, HangfireJobId: { } delivery }
            && next > TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(30)
            && StateOf(storage, delivery) == "Scheduled");
        var row = await RowAsync(app, tenant.WorkspaceId, jobId);
        app.Services.GetRequiredService<IBackgroundJobClient>().Delete(row.HangfireJobId);
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.NotBefore, TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(-5)), Ct);
        }

        provider.FinishAfterNextPoll();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The recurring sweep may recover the row a moment before this call does; either way it is enqueued once.
            Assert.InRange(await scope.ServiceProvider.GetRequiredService<JobRecoverySweep>().RecoverAsync(Ct), 0, 1);
        }

        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, jobId);
        Assert.Equal(1, provider.Submits);
        Assert.Equal(1, provider.Downloads);
    }

    [Theory]
    [InlineData(ProviderFailure.Moderated, GenerationErrors.ProviderModerated)]
    [InlineData(ProviderFailure.InsufficientCredits, GenerationErrors.ProviderCredits)]
    [InlineData(ProviderFailure.ResultExpired, GenerationErrors.ProviderExpired)]
    public async Task FailedRemoteTask_FailsWithTheSellersReason_StoresNothing_AndReleasesTheQuota(ProviderFailure failure, string code)
    {
        var provider = new ScriptedProvider(pendingPolls: 1) { PollFailure = failure == ProviderFailure.ResultExpired ? null : failure, DownloadFailure = failure == ProviderFailure.ResultExpired ? failure : null };
        await using var app = await StartAsync(provider, new ScriptedRenderer());
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-FAIL");

        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "showcase", ["1:1"], 6, VideoEngines.Ai));
        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, jobId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(code, job.GetProperty("lastErrorCode").GetString());
        Assert.Equal(1, provider.Submits);
        Assert.Equal(0, await UsageAsync(app, tenant.WorkspaceId));
        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.False(await db.Assets.AnyAsync(a => a.JobId == jobId, Ct));
    }

    [Fact]
    public async Task TaskPastTheProvidersDeadline_FailsWithTimeout_InsteadOfPollingForever()
    {
        var provider = new ScriptedProvider(pendingPolls: int.MaxValue) { Timeout = TimeSpan.FromMilliseconds(600) };
        await using var app = await StartAsync(provider, new ScriptedRenderer());
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-SLOW");

        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "showcase", ["1:1"], 6, VideoEngines.Ai));
        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, jobId);

        Assert.Equal(GenerationErrors.ProviderTimeout, job.GetProperty("lastErrorCode").GetString());
        Assert.True(provider.Polls >= 2, $"polled {provider.Polls} times");
        Assert.Equal(0, await UsageAsync(app, tenant.WorkspaceId));
    }

    [Fact]
    public async Task CancellingAJobWaitingForTheVendor_EndsItAtOnce_AndNoFurtherPollHappens()
    {
        var provider = new ScriptedProvider(pendingPolls: int.MaxValue);
        await using var app = await StartAsync(provider, new ScriptedRenderer());
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-CANCEL-1");
        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "showcase", ["1:1"], 6, VideoEngines.Ai));
        await WaitUntilAsync(() => provider.Polls >= 1);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<JobCancellation>().CancelAsync(jobId, Ct));
        }

        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, jobId);
        var polls = provider.Polls;
        await Task.Delay(600, Ct);
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.Equal(JobErrors.Cancelled, job.GetProperty("lastErrorCode").GetString());
        Assert.Equal(polls, provider.Polls);
        Assert.Equal(0, await UsageAsync(app, tenant.WorkspaceId));
    }

    [Fact]
    public async Task CancellingARunningRender_StopsTheRenderer_ReleasesTheQuota_AndRemovesTheWorkFolder()
    {
        var renderer = new ScriptedRenderer { Block = true };
        await using var app = await StartAsync(new ScriptedProvider(0), renderer);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-CANCEL-2");
        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "showcase", ["1:1"], 6));
        await WaitUntilAsync(() => renderer.Started >= 1);
        Assert.True(renderer.Rendered.Single().Watermark);
        Assert.True(Directory.Exists(Path.Combine(app.DataDirectory, "tmp", "video", jobId.ToString("N"))));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<JobCancellation>().CancelAsync(jobId, Ct));
        }

        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, jobId);
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.True(renderer.Cancelled);
        Assert.Equal(0, await UsageAsync(app, tenant.WorkspaceId));
        await WaitUntilAsync(() => !Directory.Exists(Path.Combine(app.DataDirectory, "tmp", "video", jobId.ToString("N"))));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.False(await scope.ServiceProvider.GetRequiredService<JobCancellation>().CancelAsync(jobId, Ct));
        }
    }

    [Fact]
    public async Task RenderFailingOnTheSecondFormat_IsRetried_WithoutRenderingTheFirstAgain()
    {
        var renderer = new ScriptedRenderer { FailOnceFor = "16:9" };
        await using var app = await StartAsync(new ScriptedProvider(0), renderer);
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, "business");
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "VID-RETRY");

        var jobId = await RequestAsync(app, tenant.WorkspaceId, tenant.UserId, new VideoJobInput(productId, "highlights", ["1:1", "16:9"], 10, Points: ["Leak-proof", "Keeps cold 24 h"]));
        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, jobId);

        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal(["1:1", "16:9", "16:9"], renderer.Rendered.Select(r => r.Format.Id));
        Assert.Equal(["Leak-proof", "Keeps cold 24 h"], renderer.Rendered[0].Points);
        Assert.Equal("Before", renderer.Rendered[0].Labels[VideoLabels.Before]);
        // A paid plan's videos are watermark-free; the Starter plan's carry the mark (below, in the cancellation test).
        Assert.All(renderer.Rendered, r => Assert.False(r.Watermark));
        var output = job.GetProperty("output").GetProperty("videos");
        Assert.Equal(2, output.GetArrayLength());
        Assert.Equal(2, await UsageAsync(app, tenant.WorkspaceId));
    }

    private static Task<AppFactory> StartAsync(ScriptedProvider provider, ScriptedRenderer renderer) =>
        AppFactory.StartAsync(DatabaseKind.Sqlite, Fast, s =>
        {
            s.AddSingleton<IVideoProvider>(provider);
            s.AddSingleton<IVideoRenderer>(renderer);
            s.AddSingleton<IVideoFitter>(renderer);
        });

    private static string? StateOf(JobStorage storage, string hangfireJobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(hangfireJobId)?.Name;
    }

    private static async Task<Guid> RequestAsync(AppFactory app, Guid workspaceId, Guid userId, VideoJobInput input)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Core.Workspaces.WorkspaceContext>().Set(workspaceId, userId, Core.Workspaces.WorkspaceRole.Owner);
        var result = await scope.ServiceProvider.GetRequiredService<RequestVideos>().HandleAsync(input, Ct);
        Assert.True(result.IsSuccess, string.Join(", ", result.Errors.Select(e => e.Code)));
        return result.Value.Id;
    }

    private static async Task<long> UsageAsync(AppFactory app, Guid workspaceId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetUsageAsync(workspaceId, Ct);
        return usage.Single(u => u.Meter == Meters.Videos).Used;
    }

    private static async Task<Job> RowAsync(AppFactory app, Guid workspaceId, Guid jobId)
    {
        await using var db = app.Database.CreateContext(workspaceId);
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, Ct);
    }

    private static async Task<bool> SeenQueuedWithCheckpointAsync(AppFactory app, Guid workspaceId, Guid jobId)
    {
        for (var i = 0; i < 600; i++)
        {
            var row = await RowAsync(app, workspaceId, jobId);
            if (row is { Status: JobStatus.Queued, CheckpointJson: not null, NotBefore: not null } && row.CheckpointJson.Contains("task-1", StringComparison.Ordinal))
            {
                return true;
            }

            if (row.IsTerminal)
            {
                return false;
            }

            await Task.Delay(10, Ct);
        }

        return false;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "condition not met in time");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>A vendor whose task stays pending for a number of polls; it records what the job did.</summary>
    private sealed class ScriptedProvider(int pendingPolls) : IVideoProvider
    {
        private readonly int _failAfter = pendingPolls;
        private int _pending = pendingPolls;
        private int _submits;
        private int _polls;
        private int _downloads;

        public string Name => "scripted";

        public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

        public ProviderFailure? PollFailure { get; init; }

        public ProviderFailure? DownloadFailure { get; init; }

        public ConcurrentQueue<VideoGenerationRequest> Requests { get; } = new();

        public int Submits => _submits;

        public int Polls => _polls;

        public int Downloads => _downloads;

        public void FinishAfterNextPoll() => Volatile.Write(ref _pending, 0);

        public Task<ProviderTask> SubmitAsync(VideoGenerationRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _submits);
            Requests.Enqueue(request);
            return Task.FromResult(new ProviderTask(Name, "{\"id\":\"task-1\"}"));
        }

        public Task<VideoPoll> PollAsync(ProviderTask task, CancellationToken cancellationToken)
        {
            Assert.Contains("task-1", task.State, StringComparison.Ordinal);
            var poll = Interlocked.Increment(ref _polls);
            if (PollFailure is { } failure && poll > _failAfter)
            {
                throw new ProviderException(failure, "vendor said no");
            }

            var pending = Volatile.Read(ref _pending);
            var done = pending != int.MaxValue && poll > pending;
            return Task.FromResult(new VideoPoll(done, done ? task with { State = "{\"id\":\"task-1\",\"url\":\"x\"}" } : task));
        }

        public async Task<ProviderVideo> DownloadAsync(ProviderTask task, string destinationPath, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _downloads);
            Assert.Contains("url", task.State, StringComparison.Ordinal);
            if (DownloadFailure is { } failure)
            {
                throw new ProviderException(failure, "result URL expired");
            }

            await File.WriteAllBytesAsync(destinationPath, [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p'], cancellationToken);
            return new ProviderVideo(destinationPath, 8, "video/mp4", Name, "scripted-video-1", "task-1");
        }
    }

    /// <summary>Writes small real files where a render would; can block until cancelled or fail once for a format.</summary>
    private sealed class ScriptedRenderer : IVideoRenderer, IVideoFitter
    {
        private int _started;
        private int _failed;

        public bool Block { get; init; }

        public string? FailOnceFor { get; init; }

        public bool Cancelled { get; private set; }

        public int Started => _started;

        public ConcurrentQueue<(string Clip, VideoRenderSpec Spec)> Conformed { get; } = new();

        public List<VideoRenderSpec> Rendered { get; } = [];

        public async Task<RenderedVideo> RenderAsync(VideoRenderSpec spec, IProgress<double> progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            lock (Rendered)
            {
                Rendered.Add(spec);
            }

            Assert.All(spec.Images, path => Assert.True(File.Exists(path), path));
            if (Block)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Cancelled = true;
                    throw;
                }
            }

            if (spec.Format.Id == FailOnceFor && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new IOException("ffmpeg exited with 1");
            }

            return await WriteAsync(spec, cancellationToken);
        }

        public Task<RenderedVideo> ConformAsync(string clipPath, VideoRenderSpec spec, IProgress<double> progress, CancellationToken cancellationToken)
        {
            Assert.True(File.Exists(clipPath));
            Conformed.Enqueue((clipPath, spec));
            return WriteAsync(spec, cancellationToken);
        }

        public Task<PreparedMusic> PrepareMusicAsync(string inputPath, string outputPath, CancellationToken cancellationToken) =>
            throw new InvalidMediaException("video.music.not_audio", "scripted");

        public Task<VideoProbe> ProbeAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ConcurrentQueue<(int Width, int Height, long? MaxBytes)> Fitted { get; } = new();

        public async Task<VideoProbe> FitAsync(string inputPath, string outputPath, int width, int height, long? maxBytes, CancellationToken cancellationToken)
        {
            Fitted.Enqueue((width, height, maxBytes));
            await File.WriteAllBytesAsync(outputPath, [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p'], cancellationToken);
            return new VideoProbe(TimeSpan.FromSeconds(8), width, height, 8, "mov,mp4,m4a,3gp,3g2,mj2", "h264", null, 30);
        }

        private static async Task<RenderedVideo> WriteAsync(VideoRenderSpec spec, CancellationToken cancellationToken)
        {
            var video = Path.Combine(spec.WorkFolder, "video.mp4");
            await File.WriteAllBytesAsync(video, [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 1, 2, 3], cancellationToken);
            var cover = Path.Combine(spec.WorkFolder, "cover.jpg");
            using (var image = Image.Black(spec.Format.Width / 10, spec.Format.Height / 10, bands: 3) + 128)
            {
                image.Cast(Enums.BandFormat.Uchar).Jpegsave(cover);
            }

            var probe = new VideoProbe(spec.Duration, spec.Format.Width, spec.Format.Height, 11, "mov,mp4,m4a,3gp,3g2,mj2", "h264", null, 30);
            return new RenderedVideo(video, cover, null, null, probe);
        }
    }
}
