using System.Net;
using System.Net.Http.Headers;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Video;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.ImageStudio;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Features.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Video;

/// <summary>The Video Studio page (<c>/app/video-studio</c>) and the Content Hub's video views, in a real host.</summary>
public sealed class VideoStudioPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string CopyTitle = "Aurora Insulated Steel Water Bottle for Hiking, Gym and Office, 750 ml, Leak-Proof";

    private static readonly string[] Bullets =
    [
        "Keeps drinks cold through a long day outdoors",
        "Leak-proof lid that closes with one hand, so it can ride in a bag next to a laptop without a worry about spills",
    ];

    [Fact]
    public async Task Page_PrefillsTitleAndCaptionsFromTheListingCopy_ElseFromTheSellingPoints()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        var plain = await ProductAsync(app, session, "PLAIN-1", ["Cold for 24 hours", "Fits cup holders"]);
        var copied = await ProductAsync(app, session, "COPY-1", ["Point from the product"]);
        // A generated Amazon version, as the copy job stores it.
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var copy = new ListingCopy
            {
                WorkspaceId = session.WorkspaceId, ProductId = copied, Marketplace = "amazon", Language = "en", CurrentVersion = 1,
                CreatedAt = DateTime.UnixEpoch, UpdatedAt = DateTime.UnixEpoch,
            };
            db.ListingCopies.Add(copy);
            db.ListingCopyVersions.Add(new ListingCopyVersion
            {
                WorkspaceId = session.WorkspaceId, ListingCopyId = copy.Id, Number = 1, Source = CopySource.Generated, Engine = "local",
                TextJson = CopyJson.Write(new ListingText { Title = CopyTitle, Bullets = Bullets }), CreatedAt = DateTime.UnixEpoch,
            });
            await db.SaveChangesAsync(Ct);
        }

        var page = await session.Client.GetStringAsync($"/app/video-studio?product={copied}", Ct);
        Assert.Contains("id=\"video-prefilled\" data-from=\"copy\"", page, StringComparison.Ordinal);
        var hook = VideoStudioModel.Shorten(CopyTitle, VideoStudioModel.HookLength);
        Assert.Equal("Aurora Insulated Steel Water Bottle for Hiking", hook);
        Assert.Contains($"id=\"video-title\" value=\"{hook}\"", page, StringComparison.Ordinal);
        var captions = Between(page, "id=\"video-captions\" rows=\"6\">", "</textarea>");
        var lines = captions.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(Bullets[0], lines[0]);
        Assert.InRange(lines[1].Length, 40, VideoStudioModel.CaptionLength);
        Assert.StartsWith("Leak-proof lid that closes with one hand", lines[1], StringComparison.Ordinal);
        Assert.Contains("Point from the product", Between(page, "id=\"video-points\" rows=\"6\">", "</textarea>"), StringComparison.Ordinal);
        // Every template with its one-line help, every format, and the local engine only (no provider configured).
        foreach (var template in VideoTemplates.All)
        {
            Assert.Contains($"name=\"Form.Template\" value=\"{VideoTemplates.Id(template)}\"", page, StringComparison.Ordinal);
        }

        foreach (var format in VideoFormats.All)
        {
            Assert.Contains($"name=\"Form.Formats\" value=\"{format.Id}\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("<option value=\"local\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<option value=\"ai\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"video-music\"", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("\\sstyle=\"", page);
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", page);

        var fallback = await session.Client.GetStringAsync($"/app/video-studio?product={plain}", Ct);
        Assert.Contains("data-from=\"product\"", fallback, StringComparison.Ordinal);
        Assert.Equal("Cold for 24 hours\nFits cup holders", Between(fallback, "id=\"video-captions\" rows=\"6\">", "</textarea>"));
        Assert.DoesNotContain("id=\"video-title\" value=", fallback, StringComparison.Ordinal);

        Assert.Equal("长城牌保温杯", VideoStudioModel.Shorten("长城牌保温杯", 10));
        Assert.Equal("超长的中文标题没有空格所以", VideoStudioModel.Shorten("超长的中文标题没有空格所以直接截断", 13));
    }

    [Fact]
    public async Task Generate_ShowsProgressThenThePlayerChecksAndDownloads_RegenerateAndContentHubPlayIt()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var productId = await ProductAsync(app, session, "GEN-1", ["Cold for 24 hours"], photos: 1);

        using var started = await session.PostFormAsync(
            $"/app/video-studio?product={productId}",
            new Dictionary<string, string>
            {
                ["Form.Template"] = "showcase",
                ["Form.Formats"] = "1:1",
                ["Form.DurationSeconds"] = "6",
                ["Form.Engine"] = "local",
                ["Form.Language"] = "en",
                ["Form.Title"] = "Cold all day",
                ["Form.Captions"] = "Leak-proof lid\r\nFits cup holders\r\n",
                ["Form.Points"] = "",
            });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.StartsWith($"/app/video-studio?product={productId}&started=1", started.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var running = await session.Client.GetStringAsync($"/app/video-studio?handler=results&product={productId}", Ct);
        if (running.Contains("data-status=\"queued\"", StringComparison.Ordinal) || running.Contains("data-status=\"running\"", StringComparison.Ordinal))
        {
            Assert.Contains("hx-trigger=\"every 2s\"", running, StringComparison.Ordinal);
            Assert.Contains("data-cancel=", running, StringComparison.Ordinal);
        }

        await WaitForVideoJobsAsync(app, session, 1);
        var results = await session.Client.GetStringAsync($"/app/video-studio?handler=results&product={productId}", Ct);
        Assert.DoesNotContain("hx-trigger", results, StringComparison.Ordinal);
        Assert.DoesNotContain("data-cancel=", results, StringComparison.Ordinal);
        Assert.Contains("data-status=\"succeeded\"", results, StringComparison.Ordinal);
        var video = await app.QueryAsync(session, db => db.Assets.SingleAsync(a => a.Skill == VideoSkills.Video, Ct));
        var cover = await app.QueryAsync(session, db => db.Assets.SingleAsync(a => a.Skill == VideoSkills.Cover, Ct));
        var vtt = await app.QueryAsync(session, db => db.Assets.SingleAsync(a => a.Skill == VideoSkills.Subtitles && a.ContentType == "text/vtt", Ct));
        Assert.Contains($"poster=\"/api/v1/assets/{cover.Id}/content\"", results, StringComparison.Ordinal);
        Assert.Contains("controls preload=\"metadata\"", results, StringComparison.Ordinal);
        Assert.Contains($"<source src=\"/api/v1/assets/{video.Id}/content\" type=\"video/mp4\" />", results, StringComparison.Ordinal);
        Assert.Contains($"<track kind=\"captions\" src=\"/api/v1/assets/{vtt.Id}/content\" srclang=\"en\"", results, StringComparison.Ordinal);
        foreach (var kind in new[] { "mp4", "cover", "srt", "vtt" })
        {
            Assert.Contains($"download data-download=\"{kind}\"", results, StringComparison.Ordinal);
        }

        Assert.Contains("data-marketplace=\"tiktok-shop\" data-passes=\"true\"", results, StringComparison.Ordinal);
        Assert.Contains("data-marketplace=\"amazon\" data-passes=\"false\"", results, StringComparison.Ordinal);
        Assert.Matches(@"6(\.\d+)? s is shorter than the 15 s minimum\.", results);
        Assert.Contains("source: marketplace-rules.md §1.2 (P)", results, StringComparison.Ordinal);
        Assert.Contains("Product showcase", results, StringComparison.Ordinal);

        using (var download = await session.Client.GetAsync($"/api/v1/assets/{video.Id}/content?download=true", Ct))
        {
            Assert.Equal("video/mp4", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.EndsWith(".mp4", download.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        }

        using var again = await session.PostFormAsync(
            $"/app/video-studio?handler=regenerate&assetId={video.Id}&product={productId}", [], $"/app/video-studio?product={productId}");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await WaitForVideoJobsAsync(app, session, 2);
        var inputs = await app.QueryAsync(session, db => db.Jobs.Where(j => j.Kind == RequestVideos.JobKind).OrderBy(j => j.CreatedAt).Select(j => j.InputJson).ToListAsync(Ct));
        Assert.Equal(inputs[0], inputs[1]);
        Assert.Equal(2, await app.QueryAsync(session, db => db.Assets.CountAsync(a => a.Skill == VideoSkills.Video, Ct)));

        var hub = await session.Client.GetStringAsync("/app/content-hub", Ct);
        Assert.Contains($"<a href=\"/app/content-hub/{video.Id}\" class=\"video-thumb\" data-video><img src=\"/api/v1/assets/{video.Id}/content?variant=thumbnail\"", hub, StringComparison.Ordinal);
        Assert.Contains("class=\"play-badge\"", hub, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/app/content-hub/{vtt.Id}\" class=\"file-tile\" data-file>VTT</a>", hub, StringComparison.Ordinal);
        var detail = await session.Client.GetStringAsync($"/app/content-hub/{video.Id}", Ct);
        Assert.Contains("<video class=\"preview-large\" id=\"asset-player\" controls preload=\"metadata\"", detail, StringComparison.Ordinal);
        Assert.Contains($"poster=\"/api/v1/assets/{cover.Id}/content\"", detail, StringComparison.Ordinal);
        Assert.Contains("data-template=\"showcase\">Product showcase", detail, StringComparison.Ordinal);
        Assert.Contains("data-format>1:1</td>", detail, StringComparison.Ordinal);
        Assert.Contains("data-engine=\"local\"", detail, StringComparison.Ordinal);
        Assert.Contains(RequestVideos.JobKind, detail, StringComparison.Ordinal);
        Assert.Contains("id=\"asset-channels\"", detail, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/video-studio?product={productId}\"", detail, StringComparison.Ordinal);
        Assert.DoesNotMatch("\\sstyle=\"", detail);
    }

    [Fact]
    public async Task RefusedRequestAndBadMusic_ShowTheirReasons_AndChangeNothing()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        var productId = await ProductAsync(app, session, "BAD-1", [], photos: 1);

        using var refused = await session.PostFormAsync(
            $"/app/video-studio?product={productId}",
            new Dictionary<string, string> { ["Form.Template"] = "highlights", ["Form.Formats"] = "9:16", ["Form.DurationSeconds"] = "90", ["Form.Language"] = "en", ["Form.Engine"] = "local" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"video-errors\"", html, StringComparison.Ordinal);
        Assert.Contains("时长必须在 6 到 60 秒之间。", html, StringComparison.Ordinal);
        // The form keeps what the seller typed.
        Assert.Contains("id=\"video-duration\" value=\"90\"", html, StringComparison.Ordinal);

        using var quota = await session.PostFormAsync(
            $"/app/video-studio?product={productId}",
            new Dictionary<string, string> { ["Form.Template"] = "showcase", ["Form.Formats"] = "1:1", ["Form.DurationSeconds"] = "6", ["Form.Language"] = "en", ["Form.Engine"] = "local" },
            "/app/video-studio");
        Assert.Equal(HttpStatusCode.Redirect, quota.StatusCode);
        using var over = await session.PostFormAsync(
            $"/app/video-studio?product={productId}",
            new Dictionary<string, string> { ["Form.Template"] = "showcase", ["Form.Formats"] = "1:1", ["Form.DurationSeconds"] = "15", ["Form.Language"] = "en", ["Form.Engine"] = "local" },
            "/app/video-studio");
        Assert.Equal(HttpStatusCode.PaymentRequired, over.StatusCode);

        using var fake = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Png(64, 64)) { Headers = { ContentType = new MediaTypeHeaderValue("audio/mpeg") } }, "musicFile", "song.mp3" },
        };
        using var music = await session.PostMultipartAsync($"/app/video-studio?handler=music&product={productId}", fake, "/app/video-studio");
        Assert.Equal(HttpStatusCode.BadRequest, music.StatusCode);
        var musicHtml = await music.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"video-errors\"", musicHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("video.music.", Between(musicHtml, "id=\"video-errors\">", "</div>"), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(session, db => db.Assets.CountAsync(a => a.Skill == VideoSkills.Music, Ct)));

        using var wav = new MultipartFormDataContent
        {
            { new ByteArrayContent(VideoApiTests.Wav(2)) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } }, "musicFile", "jingle.wav" },
        };
        using var uploaded = await session.PostMultipartAsync($"/app/video-studio?handler=music&product={productId}", wav, "/app/video-studio");
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var track = await app.QueryAsync(session, db => db.Assets.SingleAsync(a => a.Skill == VideoSkills.Music, Ct));
        var withMusic = await session.Client.GetStringAsync(uploaded.Headers.Location!.OriginalString, Ct);
        Assert.Contains($"<option value=\"{track.Id}\" selected=\"selected\">jingle.wav", withMusic, StringComparison.Ordinal);
        Assert.Equal(1, await app.QueryAsync(session, db => db.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind, Ct)));
    }

    [Fact]
    public async Task AnotherWorkspacesProductJobOrVideo_IsNotFound_AndViewerIsReadOnly()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var owner = await BrowserSession.SignUpAsync(app, displayName: "Owner");
        using var intruder = await BrowserSession.SignUpAsync(app, displayName: "Intruder");
        var productId = await ProductAsync(app, owner, "OWN-1", ["Cold"], photos: 1);
        await ProductAsync(app, intruder, "MINE-1", ["Mine"], photos: 1);
        var (jobId, photoId) = await app.InWorkspaceAsync(owner, async services =>
        {
            var photo = await services.GetRequiredService<AppDbContext>().ProductPhotos.Select(p => p.AssetId).FirstAsync(Ct);
            var job = await services.GetRequiredService<RequestVideos>().HandleAsync(new VideoJobInput(productId, "showcase", ["1:1"], 6), Ct);
            Assert.True(job.IsSuccess);
            return (job.Value.Id, photo);
        });
        var token = await intruder.AntiforgeryTokenAsync("/app/video-studio");

        using (var get = await intruder.Client.GetAsync($"/app/video-studio?product={productId}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        foreach (var url in new[]
        {
            $"/app/video-studio?product={productId}",
            $"/app/video-studio?handler=cancel&jobId={jobId}",
            $"/app/video-studio?handler=regenerate&assetId={photoId}",
        })
        {
            using var post = await intruder.Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Form.Template"] = "showcase", ["Form.Formats"] = "1:1", ["Form.DurationSeconds"] = "6",
            }), Ct);
            Assert.True(post.StatusCode == HttpStatusCode.NotFound, $"{url}: {post.StatusCode}");
        }

        Assert.Equal(0, await app.QueryAsync(intruder, db => db.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind, Ct)));
        Assert.Equal(1, await app.QueryAsync(owner, db => db.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind && j.Status != JobStatus.Cancelled, Ct)));

        await using (var db = app.Database.CreateContext())
        {
            var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == owner.UserId && m.WorkspaceId == owner.WorkspaceId, Ct);
            membership.Role = WorkspaceRole.Viewer;
            await db.SaveChangesAsync(Ct);
        }

        var page = await owner.Client.GetStringAsync($"/app/video-studio?product={productId}", Ct);
        Assert.Contains("id=\"video-read-only\"", page, StringComparison.Ordinal);
        Assert.Contains("<fieldset class=\"plain\" disabled=\"disabled\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"video-generate\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"video-music\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-cancel=", page, StringComparison.Ordinal);
        var viewerToken = await owner.AntiforgeryTokenAsync("/app/dashboard");
        foreach (var handler in new[] { "", $"&handler=cancel&jobId={jobId}", "&handler=music" })
        {
            using var post = await owner.Client.PostAsync(
                $"/app/video-studio?product={productId}{handler}",
                new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = viewerToken, ["Form.Template"] = "showcase", ["Form.Formats"] = "1:1", ["Form.DurationSeconds"] = "6",
                }),
                Ct);
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{handler}: {post.StatusCode} {post.Headers.Location}");
        }

        Assert.Equal(1, await app.QueryAsync(owner, db => db.Jobs.CountAsync(j => j.Kind == RequestVideos.JobKind, Ct)));
    }

    internal static async Task<Guid> ProductAsync(AppFactory app, BrowserSession session, string sku, IReadOnlyList<string> points, int photos = 0) =>
        await app.InWorkspaceAsync(session, async services =>
        {
            var product = await services.GetRequiredService<CreateProduct>().HandleAsync(
                new CreateProduct.Request(new ProductInput(sku, "Aurora bottle", SellingPoints: points)), Ct);
            Assert.True(product.IsSuccess, string.Join(", ", product.Errors));
            for (var i = 0; i < photos; i++)
            {
                using var photo = new MemoryStream(StudioPhotos.Bottle(600, 600));
                var asset = await services.GetRequiredService<UploadAsset>().HandleAsync(new UploadAsset.Request(photo, $"bottle-{i}.jpg"), Ct);
                var added = await services.GetRequiredService<AddPhoto>().HandleAsync(new AddPhoto.Request(product.Value.Id, asset.Asset!.Id), Ct);
                Assert.True(added.IsSuccess);
            }

            return product.Value.Id;
        });


    private static async Task WaitForVideoJobsAsync(AppFactory app, BrowserSession session, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var jobs = await app.QueryAsync(session, db => db.Jobs.AsNoTracking().Where(j => j.Kind == RequestVideos.JobKind).ToListAsync(Ct));
            if (jobs.Count >= count && jobs.All(j => j.IsTerminal))
            {
                Assert.All(jobs, j => Assert.True(j.Status == JobStatus.Succeeded, j.LastError));
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "video jobs did not finish");
            await Task.Delay(100, Ct);
        }
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not found");
        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return System.Net.WebUtility.HtmlDecode(text[from..to]);
    }
}
