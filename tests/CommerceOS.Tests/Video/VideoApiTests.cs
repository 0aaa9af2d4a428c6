using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Video;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Shared.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Video;

public sealed class VideoApiTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    public static TheoryData<string> Cultures => [StringCatalog.English, StringCatalog.Chinese];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryVideoCodeAndName_HasAText(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = new List<string>();
        keys.AddRange(Constants(typeof(VideoErrors)));
        keys.AddRange(Constants(typeof(VideoChannelRules)));
        keys.AddRange(VideoTemplates.All.SelectMany(t => new[] { $"video.template.{VideoTemplates.Id(t)}", $"video.template_help.{VideoTemplates.Id(t)}" }));
        keys.AddRange(VideoFormats.All.Select(f => $"video.format_help.{f.Id.Replace(':', 'x')}"));
        keys.AddRange(Enum.GetNames<JobStatus>().Select(n => $"video.job.{n.ToLowerInvariant()}"));
        keys.AddRange(VideoChannelRules.Marketplaces.Select(m => $"marketplace.{m}"));
        keys.AddRange(new[] { VideoSkills.Video, VideoSkills.Cover, VideoSkills.Subtitles, VideoSkills.ChannelCopy, VideoSkills.Music }.Select(s => $"studio.skill.{s}"));
        keys.AddRange(Constants(typeof(JobErrors)));

        Assert.True(keys.Count > 50, $"only {keys.Count} keys gathered");
        var missing = keys.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task BadRequests_AreRefusedWithLocalizedCodes_AndScheduleNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "VBAD-1");
        var bare = (await CreateProductAsync(tenant.Client, "VBAD-2")).GetProperty("id").GetGuid();

        async Task<JsonElement> RefusedAsync(Guid product, object body, HttpStatusCode status, string? language = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/products/{product}/videos") { Content = JsonContent.Create(body) };
            if (language is not null)
            {
                request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
            }

            using var response = await tenant.Client.SendAsync(request, Ct);
            Assert.Equal(status, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        }

        static IEnumerable<string?> Codes(JsonElement problem, string field) =>
            problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString());

        var template = await RefusedAsync(productId, new { template = "fireworks", formats = new[] { "1:1" }, durationSeconds = 6 }, HttpStatusCode.BadRequest);
        Assert.Contains(VideoErrors.TemplateUnknown, Codes(template, "template"));
        Assert.Equal(Catalog.For(StringCatalog.English)["common.validation_failed"], template.GetProperty("detail").GetString());

        var duration = await RefusedAsync(productId, new { template = "showcase", formats = new[] { "1:1", "3:2" }, durationSeconds = 61 }, HttpStatusCode.BadRequest);
        Assert.Contains(VideoErrors.DurationRange, Codes(duration, "durationSeconds"));
        Assert.Contains(VideoErrors.FormatUnknown, Codes(duration, "formats[1]"));

        var noFormat = await RefusedAsync(productId, new { template = "ugc", formats = Array.Empty<string>(), durationSeconds = 5, engine = "ai" }, HttpStatusCode.BadRequest, "zh-CN");
        Assert.Contains(VideoErrors.FormatRequired, Codes(noFormat, "formats"));
        Assert.Contains(VideoErrors.DurationRange, Codes(noFormat, "durationSeconds"));
        Assert.Contains(VideoErrors.AiUnavailable, Codes(noFormat, "engine"));
        Assert.Equal(Catalog.For(StringCatalog.Chinese)["common.validation_failed"], noFormat.GetProperty("detail").GetString());

        var noPhotos = await RefusedAsync(bare, new { template = "showcase", formats = new[] { "9:16" }, durationSeconds = 15 }, HttpStatusCode.BadRequest);
        Assert.Contains(VideoErrors.NotEnoughImages, Codes(noPhotos, "images"));
        var turntable = await RefusedAsync(productId, new { template = "turntable", formats = new[] { "1:1" }, durationSeconds = 6 }, HttpStatusCode.BadRequest);
        Assert.Contains(VideoErrors.NotEnoughImages, Codes(turntable, "images"));

        var music = await RefusedAsync(productId, new { template = "showcase", formats = new[] { "1:1" }, durationSeconds = 6, musicAssetId = Guid.CreateVersion7() }, HttpStatusCode.BadRequest);
        Assert.Contains(VideoErrors.MusicNotFound, Codes(music, "musicAssetId"));
        var missing = await RefusedAsync(Guid.CreateVersion7(), new { template = "showcase", formats = new[] { "1:1" }, durationSeconds = 6 }, HttpStatusCode.NotFound);
        Assert.Equal("common.not_found", missing.GetProperty("code").GetString());

        // The texts behind the codes, in both languages, as the studio shows them.
        Assert.Equal("The duration must be between 6 and 60 seconds.", Catalog.For(StringCatalog.English)[VideoErrors.DurationRange].Replace("{0}", "6", StringComparison.Ordinal).Replace("{1}", "60", StringComparison.Ordinal));
        Assert.Contains("秒", Catalog.For(StringCatalog.Chinese)[VideoErrors.DurationRange], StringComparison.Ordinal);

        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind, Ct));
        Assert.Equal(0, await db.UsageReservations.CountAsync(Ct));
    }

    [Fact]
    public async Task QuotaExhausted_Is402_AndReservesNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "VQ-1");

        // Starter makes one video a month: two formats are refused whole.
        using var response = await tenant.Client.PostAsJsonAsync(
            $"/api/v1/products/{productId}/videos", new { template = "showcase", formats = new[] { "1:1", "9:16" }, durationSeconds = 6 }, Ct);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(UsageErrors.QuotaExceeded, await CodeAsync(response));
        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await db.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind, Ct));
        Assert.Equal(0, await db.UsageReservations.CountAsync(Ct));
        await using var scope = app.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetUsageAsync(tenant.WorkspaceId, Ct);
        Assert.Equal(0, usage.Single(u => u.Meter == Meters.Videos).Used);
    }

    [Fact]
    public async Task LocalRequest_RendersAVideoWithCoverSubtitlesAndChannelChecks_AndListsIt()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, photoId) = await ProductWithPhotoAsync(tenant.Client, "VOK-1");

        using var response = await tenant.Client.PostAsJsonAsync(
            $"/api/v1/products/{productId}/videos",
            new { template = "showcase", formats = new[] { "1:1" }, durationSeconds = 6, title = "Cold for 24 hours", captions = new[] { "Leak-proof lid", "Fits cup holders" } },
            Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var jobId = accepted.GetProperty("id").GetGuid();
        Assert.Equal(RequestVideos.JobKind, accepted.GetProperty("kind").GetString());
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.OriginalString);
        var job = await WaitForJobAsync(tenant.Client, jobId);
        Assert.Equal(1.0, job.GetProperty("progress").GetDouble(), 3);

        var videos = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/videos", Ct);
        var video = Assert.Single(videos.EnumerateArray());
        Assert.Equal(jobId, video.GetProperty("jobId").GetGuid());
        Assert.Equal("1:1", video.GetProperty("format").GetString());
        Assert.Equal("showcase", video.GetProperty("template").GetString());
        Assert.Equal((1080, 1080), (video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32()));
        Assert.Equal("local", video.GetProperty("engine").GetString());

        // The MP4 itself: an ISO BMFF file served with ranges so a player can seek.
        var videoId = video.GetProperty("assetId").GetGuid();
        var mp4 = await tenant.Client.GetByteArrayAsync($"/api/v1/assets/{videoId}/content", Ct);
        Assert.Equal(video.GetProperty("byteSize").GetInt64(), mp4.LongLength);
        Assert.Equal("ftyp"u8.ToArray(), mp4[4..8]);
        using (var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/assets/{videoId}/content"))
        {
            range.Headers.Range = new RangeHeaderValue(0, 99);
            using var partial = await tenant.Client.SendAsync(range, Ct);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync(Ct)).Length);
        }

        var cover = await tenant.Client.GetByteArrayAsync($"/api/v1/assets/{video.GetProperty("coverAssetId").GetGuid()}/content", Ct);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, cover[..3]);
        var vtt = await tenant.Client.GetStringAsync($"/api/v1/assets/{video.GetProperty("vttAssetId").GetGuid()}/content", Ct);
        Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
        Assert.Contains("Leak-proof lid", vtt, StringComparison.Ordinal);
        using (var srt = await tenant.Client.GetAsync($"/api/v1/assets/{video.GetProperty("srtAssetId").GetGuid()}/content?download=true", Ct))
        {
            Assert.StartsWith("attachment", srt.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
            Assert.Contains("Fits cup holders", await srt.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // 6 s is too short for Douyin (15-60 s, and vertical only) and Amazon (15 s), fine for TikTok Shop.
        var channels = video.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("marketplace").GetString()!);
        Assert.Equal(VideoChannelRules.Marketplaces.Order(), channels.Keys.Order());
        Assert.True(channels["tiktok-shop"].GetProperty("passes").GetBoolean(), channels["tiktok-shop"].ToString());
        Assert.False(channels["amazon"].GetProperty("passes").GetBoolean());
        var douyin = channels["douyin"].GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        Assert.Contains(VideoChannelRules.DurationTooShort, douyin);
        Assert.Contains(VideoChannelRules.RatioOutOfRange, douyin);
        var shortIssue = channels["amazon"].GetProperty("issues")[0];
        Assert.Equal("15", shortIssue.GetProperty("arguments")[1].GetString());
        Assert.Contains("§1.2", shortIssue.GetProperty("source").GetString(), StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetUsageAsync(tenant.WorkspaceId, Ct);
        Assert.Equal(1, usage.Single(u => u.Meter == Meters.Videos).Used);
        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var provenance = await db.Assets.Where(a => a.Id == videoId).Select(a => a.ProvenanceJson).SingleAsync(Ct);
        Assert.Contains(photoId.ToString(), provenance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_QueuedJobEndsAtOnceAndReleasesItsQuota_RunningJobStops_FinishedJobIs409()
    {
        // One worker: while it renders the long video the short one waits in the queue.
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Jobs:WorkerCount"] = "1" });
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "VCX-1");
        var first = await RequestVideoAsync(tenant.Client, productId, new { template = "showcase", formats = new[] { "9:16" }, durationSeconds = 60 });
        var second = await RequestVideoAsync(tenant.Client, productId, new { template = "showcase", formats = new[] { "9:16" }, durationSeconds = 60 });

        var (running, queued) = await RunningAndQueuedAsync(tenant.Client, first, second);

        using (var cancel = await tenant.Client.PostAsync($"/api/v1/jobs/{queued}/cancel", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var body = await cancel.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("cancelled", body.GetProperty("status").GetString());
            Assert.Equal(JobErrors.Cancelled, body.GetProperty("lastErrorCode").GetString());
        }

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(ReservationStatus.Released, await db.UsageReservations.Where(r => r.JobId == queued).Select(r => r.Status).SingleAsync(Ct));
            Assert.Equal(ReservationStatus.Reserved, await db.UsageReservations.Where(r => r.JobId == running).Select(r => r.Status).SingleAsync(Ct));
        }

        using (var cancel = await tenant.Client.PostAsync($"/api/v1/jobs/{running}/cancel", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var stopped = await WaitForTerminalAsync(tenant.Client, running);
        Assert.Equal("cancelled", stopped.GetProperty("status").GetString());
        using (var again = await tenant.Client.PostAsync($"/api/v1/jobs/{queued}/cancel", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal(JobErrors.AlreadyFinished, await CodeAsync(again));
        }

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(0, await db.UsageReservations.CountAsync(r => r.Status != ReservationStatus.Released, Ct));
            Assert.Equal(0, await db.Assets.CountAsync(a => a.Skill == VideoSkills.Video, Ct));
        }

        await using var scope = app.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetUsageAsync(tenant.WorkspaceId, Ct);
        Assert.Equal(0, usage.Single(u => u.Meter == Meters.Videos).Used);
    }

    [Fact]
    public async Task Music_PngRenamedMp3IsRefusedWithItsReason_RealAudioIsStoredAsAac()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();

        using (var fake = Files((TestImages.Png(64, 64), "song.mp3", "audio/mpeg")))
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/music") { Content = fake })
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
            using var refused = await tenant.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var code = problem.GetProperty("code").GetString()!;
            Assert.StartsWith("video.music.", code, StringComparison.Ordinal);
            Assert.Equal([code], problem.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(Catalog.For(StringCatalog.Chinese)[code], problem.GetProperty("detail").GetString());
        }

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(0, await db.Assets.CountAsync(a => a.Skill == VideoSkills.Music, Ct));
        }

        using var wav = Files((Wav(seconds: 2), "jingle.wav", "audio/wav"));
        using var accepted = await tenant.Client.PostAsync("/api/v1/music", wav, Ct);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var stored = await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("audio/mp4", stored.GetProperty("contentType").GetString());
        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/music", Ct);
        Assert.Equal(stored.GetProperty("id").GetGuid(), Assert.Single(list.EnumerateArray()).GetProperty("assetId").GetGuid());
    }

    [Fact]
    public async Task Viewer_CanListButEveryVideoWriteIs403()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ProductWithPhotoAsync(tenant.Client, "VVIEW-1");
        var thumbnailJob = await ThumbnailJobAsync(app, tenant.WorkspaceId);
        await using (var db = app.Database.CreateContext())
        {
            var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == tenant.UserId && m.WorkspaceId == tenant.WorkspaceId, Ct);
            membership.Role = WorkspaceRole.Viewer;
            await db.SaveChangesAsync(Ct);
        }

        using var request = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{productId}/videos", new { template = "showcase", formats = new[] { "1:1" }, durationSeconds = 6 }, Ct);
        using var music = await tenant.Client.PostAsync("/api/v1/music", Files((Wav(1), "a.wav", "audio/wav")), Ct);
        using var cancel = await tenant.Client.PostAsync($"/api/v1/jobs/{thumbnailJob}/cancel", null, Ct);
        using var list = await tenant.Client.GetAsync($"/api/v1/products/{productId}/videos", Ct);
        using var tracks = await tenant.Client.GetAsync("/api/v1/music", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, request.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, music.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, tracks.StatusCode);
        await using var check = app.Database.CreateContext(tenant.WorkspaceId);
        Assert.Equal(0, await check.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind, Ct));
    }

    internal static async Task<Guid> RequestVideoAsync(HttpClient client, Guid productId, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/products/{productId}/videos", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    /// <summary>Waits until one of the two jobs runs while the other still waits for the only worker.</summary>
    private static async Task<(Guid Running, Guid Queued)> RunningAndQueuedAsync(HttpClient client, Guid a, Guid b)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var statusA = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{a}", Ct)).GetProperty("status").GetString();
            var statusB = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{b}", Ct)).GetProperty("status").GetString();
            if (statusA == "running" && statusB == "queued")
            {
                return (a, b);
            }

            if (statusB == "running" && statusA == "queued")
            {
                return (b, a);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"jobs did not start: {statusA}, {statusB}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<Guid> ThumbnailJobAsync(AppFactory app, Guid workspaceId)
    {
        await using var db = app.Database.CreateContext(workspaceId);
        return await db.Jobs.Select(j => j.Id).FirstAsync(Ct);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && ((string)f.GetRawConstantValue()!).Contains('.', StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>A mono 16-bit PCM WAV of a 440 Hz tone.</summary>
    internal static byte[] Wav(int seconds, int sampleRate = 22050)
    {
        var samples = seconds * sampleRate;
        var bytes = new byte[44 + (samples * 2)];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + (samples * 2));
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], samples * 2);
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(Math.Sin(2 * Math.PI * 440 * i / sampleRate) * 8000);
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (i * 2))..], value);
        }

        return bytes;
    }
}
