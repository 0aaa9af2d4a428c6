using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Privacy;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.Infrastructure;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Personal data export (issue 9, privacy policy section 6, security-privacy.md row P1): re-authenticated request, a job that
/// writes a schema-valid archive with every record (counted) and every original file of the user's own workspaces and
/// nothing of anyone else's, a link that works once and expires, and a sweep that deletes the archive afterwards.
/// </summary>
public sealed partial class DataExportTests
{
    private const string Canary = "CANARY-7f3b9e";
    private const string Rectified = "Rectified Name 更正";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RowP1_ExportHoldsEverythingOfTheUserAndNothingElse_LinkWorksOnceAndExpires(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: services => services.AddSingleton<TimeProvider>(clock));
        using var session = await BrowserSession.SignUpAsync(app);
        var other = await SeedOtherTenantAsync(app, session.UserId);
        var (uploads, generated) = await SeedOwnDataAsync(app, session.WorkspaceId);

        // Rectification first (the existing profile use case), so the export must carry the new value.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var updated = await scope.ServiceProvider.GetRequiredService<UpdateProfile>()
                .ExecuteAsync(new UpdateProfile.Request(session.UserId, Rectified, SupportedLanguages.English), Ct);
            Assert.True(updated.Succeeded);
        }

        // A wrong or missing password: refused, nothing scheduled, the failure audited.
        foreach (var body in new object[] { new { password = "not my password" }, new { } })
        {
            using var refused = await session.Client.PostAsJsonAsync("/api/v1/me/export", body, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("common.reauth_required", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }

        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            Assert.Equal(0, await db.PersonalDataExports.CountAsync(Ct));
            Assert.Equal(0, await db.Jobs.CountAsync(j => j.Kind == RequestDataExport.JobKind, Ct));
            Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.UserId == session.UserId && a.Action == AuditActions.PrivacyExportRequested && a.Outcome == AuditOutcomes.Failure, Ct));
        }

        var job = await RequestAndWaitAsync(app, session.Client);
        var output = job.GetProperty("output");
        var exportId = output.GetProperty("exportId").GetGuid();
        Assert.Equal($"/api/v1/me/exports/{exportId}/download", output.GetProperty("download").GetString());

        // The e-mail, in the user's language, with the link.
        var link = MailLink(app.DataDirectory, session.Email);
        Assert.Contains("/account/data-export/", link.AbsolutePath, StringComparison.Ordinal);

        // An anonymous visitor is sent to sign in and back; the owner gets the archive once.
        using (var anonymous = app.CreateBrowserClient())
        using (var challenge = await anonymous.GetAsync(link.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
            Assert.StartsWith("/account/login", challenge.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }

        byte[] archive;
        using (var download = await session.Client.GetAsync(link.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/zip", download.Content.Headers.ContentType!.MediaType);
            archive = await download.Content.ReadAsByteArrayAsync(Ct);
        }

        using (var again = await session.Client.GetAsync(link.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
            Assert.Contains("id=\"export-gone\"", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var byId = await session.Client.GetAsync($"/api/v1/me/exports/{exportId}/download", Ct))
        {
            Assert.Equal(HttpStatusCode.Gone, byId.StatusCode);
        }

        await AssertArchiveAsync(app, session, archive, uploads, generated, other);

        // A second export, not downloaded in time: the link (and the download by id) is refused after 24 h + 1 s.
        var second = await RequestAndWaitAsync(app, session.Client);
        var secondId = second.GetProperty("output").GetProperty("exportId").GetGuid();
        Assert.NotEqual(exportId, secondId);
        var secondLink = MailLinks(app.DataDirectory, session.Email).Single(l => l != link);
        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        // The session has lapsed by then too: the owner signs in again, and the link is still refused.
        using var later = app.CreateBrowserClient();
        using (var signIn = await BrowserSession.SignInAsync(later, session.Email))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using (var expired = await later.GetAsync(secondLink.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        }

        using (var expiredById = await later.GetAsync($"/api/v1/me/exports/{secondId}/download", Ct))
        {
            Assert.Equal(HttpStatusCode.Gone, expiredById.StatusCode);
        }

        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.UserId == session.UserId && a.Action == AuditActions.PrivacyExportDownloaded, Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Sweep_DeletesTheArchivesOfDownloadedAndExpiredExports_AndAReRunDoesNothing(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: services => services.AddSingleton<TimeProvider>(clock));
        using var tenant = await app.CreateApiTenantAsync();
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var now = clock.GetUtcNow().UtcDateTime;
        var exports = new Dictionary<string, PersonalDataExport>();
        foreach (var (name, downloadedAt, expiresAt) in new (string, DateTime?, DateTime)[]
                 {
                     ("downloaded", now.AddMinutes(-1), now.AddHours(20)),
                     ("expired", null, now.AddSeconds(-1)),
                     ("live", null, now.AddHours(1)),
                 })
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes($"archive {name} {Guid.NewGuid()}"));
            var blob = await blobs.PutAsync(AssetBlobScope.For(tenant.WorkspaceId), content, Ct);
            exports[name] = new PersonalDataExport
            {
                UserId = tenant.UserId, WorkspaceId = tenant.WorkspaceId, BlobKey = blob.Key, TokenHash = DataExportJob.HashToken(DataExportJob.NewToken()),
                Status = downloadedAt is null ? DataExportStatus.Ready : DataExportStatus.Downloaded, RequestedAt = now.AddHours(-1), ReadyAt = now.AddHours(-1),
                NotifiedAt = now.AddHours(-1), ExpiresAt = expiresAt, DownloadedAt = downloadedAt,
            };
        }

        await using (var db = app.Database.CreateContext())
        {
            db.PersonalDataExports.AddRange(exports.Values);
            await db.SaveChangesAsync(Ct);
        }

        var sweep = app.Services.GetRequiredService<DataExportSweep>();
        Assert.Equal(2, await sweep.RunAsync(Ct));
        Assert.Equal(0, await sweep.RunAsync(Ct));

        await using (var db = app.Database.CreateContext())
        {
            var rows = await db.PersonalDataExports.AsNoTracking().ToDictionaryAsync(e => e.Id, Ct);
            foreach (var name in new[] { "downloaded", "expired" })
            {
                var row = rows[exports[name].Id];
                Assert.False(await blobs.ExistsAsync(exports[name].BlobKey!, Ct), name);
                Assert.Null(row.BlobKey);
                Assert.Null(row.TokenHash);
                Assert.NotNull(row.PurgedAt);
            }

            Assert.Equal(DataExportStatus.Downloaded, rows[exports["downloaded"].Id].Status);
            Assert.Equal(DataExportStatus.Expired, rows[exports["expired"].Id].Status);
            Assert.Equal(DataExportStatus.Ready, rows[exports["live"].Id].Status);
            Assert.True(await blobs.ExistsAsync(exports["live"].BlobKey!, Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DeletingTheAccount_EndsItsExportLinksAtOnce_AndTheSweepDeletesTheArchive(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var tenant = await app.CreateApiTenantAsync();
        using (var requested = await tenant.Client.PostAsJsonAsync("/api/v1/me/export", new { password = ApiPassword }, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
            await WaitForExportAsync(app, tenant.Client, (await requested.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        }

        var blobs = app.Services.GetRequiredService<IBlobStore>();
        string key;
        await using (var db = app.Database.CreateContext())
        {
            key = (await db.PersonalDataExports.SingleAsync(Ct)).BlobKey!;
        }

        Assert.StartsWith(AssetBlobScope.For(tenant.WorkspaceId) + "/", key, StringComparison.Ordinal);
        Assert.True(await blobs.ExistsAsync(key, Ct));
        using (var deleted = await tenant.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = ApiPassword }) }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await using (var db = app.Database.CreateContext())
        {
            var export = await db.PersonalDataExports.SingleAsync(Ct);
            Assert.True(export.ExpiresAt <= TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(1), "the link ends with the account");
        }

        Assert.Equal(1, await app.Services.GetRequiredService<DataExportSweep>().RunAsync(Ct));
        Assert.False(await blobs.ExistsAsync(key, Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task OneExportAtATime_ASecondRequestAnswersThePendingJob_UntilThatJobEnds(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: services => services.AddSingleton<TimeProvider>(clock));
        using var tenant = await app.CreateApiTenantAsync();
        var now = clock.GetUtcNow().UtcDateTime;

        // A pending export whose job a worker holds (leased), as while a big archive is being written.
        var running = new Job
        {
            WorkspaceId = tenant.WorkspaceId, Kind = RequestDataExport.JobKind, Status = JobStatus.Running, Attempts = 1, CreatedAt = now, StartedAt = now,
            LeaseUntil = now.AddHours(1), CreatedByUserId = tenant.UserId,
        };
        var pending = new PersonalDataExport { UserId = tenant.UserId, WorkspaceId = tenant.WorkspaceId, JobId = running.Id, Status = DataExportStatus.Pending, RequestedAt = now };
        running.SubjectId = pending.Id;
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            db.Jobs.Add(running);
            db.PersonalDataExports.Add(pending);
            await db.SaveChangesAsync(Ct);
        }

        using (var again = await tenant.Client.PostAsJsonAsync("/api/v1/me/export", new { password = ApiPassword }, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.Equal(running.Id, (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        }

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(1, await db.PersonalDataExports.CountAsync(Ct));
            Assert.Equal(1, await db.Jobs.CountAsync(j => j.Kind == RequestDataExport.JobKind, Ct));

            // The job dies without finishing the export: the next request starts a new one and the old one shows as failed.
            await db.Jobs.Where(j => j.Id == running.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.DeadLettered), Ct);
        }

        using (var fresh = await tenant.Client.PostAsJsonAsync("/api/v1/me/export", new { password = ApiPassword }, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
            var job = await fresh.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.NotEqual(running.Id, job.GetProperty("id").GetGuid());
            Assert.Equal(RequestDataExport.JobKind, job.GetProperty("kind").GetString());
        }

        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            Assert.Equal(DataExportStatus.Failed, (await db.PersonalDataExports.SingleAsync(e => e.Id == pending.Id, Ct)).Status);
            Assert.Equal(2, await db.PersonalDataExports.CountAsync(Ct));
        }

        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/exports", Ct);
        Assert.Equal(2, list.GetArrayLength());
    }

    [Fact]
    public async Task LinkLifetime_MoreThan24Hours_IsRefusedAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Privacy:ExportLinkLifetime"] = "1.00:00:01" }));
        Assert.Contains("Privacy:ExportLinkLifetime", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SettingsPage_WrongPasswordIsRefused_RightOneStartsAnExportListedWithItsStatus(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");

        var page = await session.Client.GetStringAsync("/app/settings/data", Ct);
        Assert.Contains("导出我的数据", page, StringComparison.Ordinal);
        Assert.Contains("id=\"exports-empty\"", page, StringComparison.Ordinal);

        using (var wrong = await session.PostFormAsync("/app/settings/data", new() { ["Password"] = "wrong password" }, "/app/settings/data"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Contains("密码不正确", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var right = await session.PostFormAsync("/app/settings/data", new() { ["Password"] = BrowserSession.DefaultPassword }, "/app/settings/data"))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            Assert.Equal("/app/settings/data?done=requested", right.Headers.Location!.OriginalString);
        }

        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var jobId = (await db.PersonalDataExports.SingleAsync(Ct)).JobId!.Value;
            await WaitForExportAsync(app, session.Client, jobId);
        }

        var listed = await session.Client.GetStringAsync("/app/settings/data", Ct);
        Assert.Contains("可下载", listed, StringComparison.Ordinal);
        var message = Assert.Single(PickupMessages(app.DataDirectory, session.Email));
        Assert.Equal("您的 CommerceOS 数据副本已准备好", message.Subject);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public void Resources_EveryExportErrorCode_HasText(string culture)
    {
        var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "CommerceOS.Web", "Resources", culture, "DataExport.json")))!;
        Assert.All(DataExportErrors.All, code => Assert.False(string.IsNullOrWhiteSpace(texts.GetValueOrDefault(code)), $"{culture}: {code}"));
    }

    private const string ApiPassword = "correct horse battery staple 42";

    private static async Task<JsonElement> RequestAndWaitAsync(AppFactory app, HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/me/export", new { password = BrowserSession.DefaultPassword }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        return await WaitForExportAsync(app, client, jobId);
    }

    /// <summary>Waits for the export job; a failure shows the job's own error (the API shows only a code).</summary>
    private static async Task<JsonElement> WaitForExportAsync(AppFactory app, HttpClient client, Guid jobId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}", Ct);
            var status = job.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                return job;
            }

            if (status is "failed" or "deadLettered" or "cancelled" || job.GetProperty("lastErrorCode").ValueKind == JsonValueKind.String || clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                await using var db = app.Database.CreateContext();
#pragma warning disable RS0030 // Test diagnostics: the job's stored error, by id.
                var error = await db.Jobs.IgnoreQueryFilters().Where(j => j.Id == jobId).Select(j => j.LastError).SingleAsync(Ct);
#pragma warning restore RS0030
                Assert.Fail($"export job {jobId} {status}: {error}");
            }

            await Task.Delay(100, Ct);
        }
    }

    private sealed record OtherTenant(Guid WorkspaceId, Guid UserId);

    /// <summary>
    /// A second tenant with canary text everywhere: products, an asset file, its owner's audit events. The exporting user is an
    /// Editor there, so the export must show the membership and nothing of the content.
    /// </summary>
    private static async Task<OtherTenant> SeedOtherTenantAsync(AppFactory app, Guid exportingUserId)
    {
        var workspaceId = await TestWorkspaces.CreateAsync(app.Database);
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var otherUser = Guid.CreateVersion7();
        await using var db = app.Database.CreateContext(workspaceId);
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = exportingUserId, Role = WorkspaceRole.Editor, JoinedAt = TestWorkspaces.Epoch });
        db.Products.Add(new Product { WorkspaceId = workspaceId, Sku = $"{Canary}-SKU", Title = $"{Canary} product", Description = Canary, CreatedAt = TestWorkspaces.Epoch, UpdatedAt = TestWorkspaces.Epoch });
        db.Brands.Add(new Brand { WorkspaceId = workspaceId, Name = $"{Canary} brand", CreatedAt = TestWorkspaces.Epoch, UpdatedAt = TestWorkspaces.Epoch });
        var bytes = Encoding.UTF8.GetBytes($"{Canary} file");
        using (var content = new MemoryStream(bytes))
        {
            var blob = await blobs.PutAsync(AssetBlobScope.For(workspaceId), content, Ct);
            db.Assets.Add(NewAsset(workspaceId, AssetKind.Upload, blob.Key, bytes, $"{Canary}.png"));
        }

        db.AuditEvents.Add(new AuditEvent { UserId = otherUser, WorkspaceId = workspaceId, Action = "authn_login_success", Outcome = "success", Target = Canary, OccurredAt = TestWorkspaces.Epoch });
        await db.SaveChangesAsync(Ct);
        return new OtherTenant(workspaceId, otherUser);
    }

    /// <summary>120 uploads, 300 generations (100 generated images and 200 listing copy versions over 5 listings), 2 invoices; rows inserted directly, tiny files.</summary>
    private static async Task<(int Uploads, int Generated)> SeedOwnDataAsync(AppFactory app, Guid workspaceId)
    {
        const int Uploads = 120;
        const int GeneratedImages = 100;
        const int Listings = 5;
        const int VersionsPerListing = 40;
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        await using var db = app.Database.CreateContext(workspaceId);
        var products = Enumerable.Range(1, Listings)
            .Select(i => new Product { WorkspaceId = workspaceId, Sku = $"OWN-{i}", Title = $"Own product {i}", SellingPoints = ["light"], CreatedAt = TestWorkspaces.Epoch, UpdatedAt = TestWorkspaces.Epoch })
            .ToList();
        db.Products.AddRange(products);
        var png = TestImages.Png(4, 4);
        for (var i = 0; i < Uploads + GeneratedImages; i++)
        {
            // A tiny PNG made unique by trailing bytes (decoders ignore them), so every file is its own blob.
            var bytes = png.Concat(BitConverter.GetBytes(i)).ToArray();
            using var content = new MemoryStream(bytes);
            var blob = await blobs.PutAsync(AssetBlobScope.For(workspaceId), content, Ct);
            var asset = NewAsset(workspaceId, i < Uploads ? AssetKind.Upload : AssetKind.Generated, blob.Key, bytes, $"photo-{i}.png");
            asset.ProductId = products[i % Listings].Id;
            db.Assets.Add(asset);
        }

        foreach (var product in products)
        {
            var copy = new ListingCopy
            {
                WorkspaceId = workspaceId, ProductId = product.Id, Marketplace = "amazon", Language = "en", CurrentVersion = VersionsPerListing,
                CreatedAt = TestWorkspaces.Epoch, UpdatedAt = TestWorkspaces.Epoch,
            };
            db.ListingCopies.Add(copy);
            for (var n = 1; n <= VersionsPerListing; n++)
            {
                db.ListingCopyVersions.Add(new ListingCopyVersion
                {
                    WorkspaceId = workspaceId, ListingCopyId = copy.Id, Number = n, Source = CopySource.Generated, Engine = "local",
                    TextJson = $$"""{"title":"{{product.Title}} v{{n}}"}""", TracesJson = "[]", IssuesJson = "[]", CreatedAt = TestWorkspaces.Epoch,
                });
            }
        }

        for (var i = 1; i <= 2; i++)
        {
            db.Invoices.Add(new Invoice
            {
                WorkspaceId = workspaceId, Number = $"CO-2026-{Random.Shared.Next(100_000, 999_999)}", Gateway = "test", GatewayReference = $"export-{Guid.NewGuid():N}",
                PlanCode = PlanCatalog.Creator, Currency = "CNY", SubtotalMinor = 5_900, TotalMinor = 5_900,
                PeriodStart = TestWorkspaces.Epoch.AddMonths(i - 1), PeriodEnd = TestWorkspaces.Epoch.AddMonths(i), IssuedAt = TestWorkspaces.Epoch.AddMonths(i - 1),
            });
        }

        await db.SaveChangesAsync(Ct);
        return (Uploads, GeneratedImages);
    }

    private static Asset NewAsset(Guid workspaceId, AssetKind kind, string blobKey, byte[] bytes, string name) => new()
    {
        WorkspaceId = workspaceId, Kind = kind, ContentType = "image/png", BlobKey = blobKey, ByteSize = bytes.Length, Width = 4, Height = 4,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), OriginalFileName = name, Source = kind == AssetKind.Upload ? UploadAsset.Source : "image-studio",
        CreatedAt = TestWorkspaces.Epoch, LastUsedAt = TestWorkspaces.Epoch,
    };

    private static async Task AssertArchiveAsync(AppFactory app, BrowserSession session, byte[] archive, int uploads, int generated, OtherTenant other)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        var entries = zip.Entries.ToDictionary(e => e.FullName, e => Read(e), StringComparer.Ordinal);

        // Nothing of the other tenant anywhere, in any entry.
        foreach (var (name, bytes) in entries)
        {
            Assert.False(Encoding.UTF8.GetString(bytes).Contains(Canary, StringComparison.Ordinal), $"{name} holds the other tenant's data");
        }

        using var data = JsonDocument.Parse(entries[PersonalDataArchive.DataEntry]);
        using var manifest = JsonDocument.Parse(entries[PersonalDataArchive.ManifestEntry]);
        AssertValid("export.schema.json", data.RootElement);
        AssertValid("export-manifest.schema.json", manifest.RootElement);

        var account = data.RootElement.GetProperty("account");
        Assert.Equal(Rectified, account.GetProperty("displayName").GetString());
        Assert.Equal(session.Email, account.GetProperty("email").GetString());

        // The other workspace shows as a membership only.
        var memberships = data.RootElement.GetProperty("memberships").EnumerateArray().ToList();
        Assert.Equal(2, memberships.Count);
        Assert.Contains(memberships, m => m.GetProperty("workspaceId").GetGuid() == other.WorkspaceId && m.GetProperty("role").GetString() == "editor");
        var workspaces = data.RootElement.GetProperty("workspaces").EnumerateArray().ToList();
        Assert.Equal(session.WorkspaceId, Assert.Single(workspaces).GetProperty("id").GetGuid());

        // Every count in the manifest equals the database's and the number of records in data.json.
        var counts = manifest.RootElement.GetProperty("counts");
        var collections = workspaces[0].GetProperty("collections");
        await using var db = app.Database.CreateContext(session.WorkspaceId);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == session.UserId, Ct);
        var expected = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["account"] = 1,
            ["memberships"] = await db.WorkspaceMembers.CountAsync(m => m.UserId == session.UserId, Ct),
            ["consents"] = await db.ConsentRecords.CountAsync(c => c.UserId == session.UserId, Ct),
            ["securityEvents"] = await db.AuditEvents.CountAsync(a => a.UserId == session.UserId && a.Action != AuditActions.PrivacyExportDownloaded, Ct),
            ["apiKeys"] = await db.ApiKeys.CountAsync(k => k.UserId == session.UserId, Ct),
            ["workspaces"] = 1,
            ["members"] = await db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == session.WorkspaceId, Ct),
            ["subscriptions"] = await db.Subscriptions.CountAsync(Ct),
            ["usageCounters"] = await db.UsageCounters.CountAsync(Ct),
            ["billingOrders"] = await db.BillingOrders.CountAsync(Ct),
            ["invoices"] = await db.Invoices.CountAsync(Ct),
            ["brands"] = await db.Brands.CountAsync(Ct),
            ["products"] = await db.Products.CountAsync(Ct),
            ["productVariants"] = await db.ProductVariants.CountAsync(Ct),
            ["productPhotos"] = await db.ProductPhotos.CountAsync(Ct),
            ["assets"] = await db.Assets.CountAsync(Ct),
            ["listingCopies"] = await db.ListingCopies.CountAsync(Ct),
            ["listingCopyVersions"] = await db.ListingCopyVersions.CountAsync(Ct),
            ["translationMemory"] = await db.TranslationMemory.CountAsync(Ct),
            ["workflowTemplates"] = await db.WorkflowTemplates.CountAsync(Ct),
            ["workflowBatches"] = await db.WorkflowBatches.CountAsync(Ct),
            ["workflowRuns"] = await db.WorkflowRuns.CountAsync(Ct),
            ["workflowSteps"] = await db.WorkflowSteps.CountAsync(Ct),
            ["workflowStepExecutions"] = await db.WorkflowStepExecutions.CountAsync(Ct),
            ["marketplaceConnections"] = await db.MarketplaceConnections.CountAsync(Ct),
            ["marketplaceListings"] = await db.MarketplaceListings.CountAsync(Ct),
            ["publications"] = await db.Publications.CountAsync(Ct),
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), counts.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (name, count) in expected)
        {
            Assert.True(count == counts.GetProperty(name).GetInt32(), $"{name}: manifest {counts.GetProperty(name).GetInt32()}, database {count}");
            var inData = PersonalDataArchive.WorkspaceCollections.Contains(name) ? collections.GetProperty(name).GetArrayLength()
                : name == "account" ? 1
                : data.RootElement.GetProperty(name).GetArrayLength();
            Assert.True(count == inData, $"{name}: data.json {inData}, database {count}");
        }

        Assert.Equal(uploads + generated, expected["assets"]);
        Assert.Equal(200, expected["listingCopyVersions"]);
        Assert.Equal(5, expected["listingCopies"]);
        Assert.Equal(2, expected["invoices"]);

        // Every original upload and generated file, byte for byte as stored.
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(uploads, files.Count(f => f.GetProperty("kind").GetString() == "upload"));
        Assert.Equal(generated, files.Count(f => f.GetProperty("kind").GetString() == "generated"));
        var hashes = await db.Assets.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Sha256, Ct);
        foreach (var file in files)
        {
            var bytes = entries[file.GetProperty("path").GetString()!];
            Assert.Equal(hashes[file.GetProperty("assetId").GetGuid()], Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        // No secret in any form: the password hash and security stamp are not in the archive.
        var all = string.Concat(entries.Values.Select(Encoding.UTF8.GetString));
        Assert.DoesNotContain(user.PasswordHash!, all, StringComparison.Ordinal);
        Assert.DoesNotContain(user.SecurityStamp!, all, StringComparison.Ordinal);
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return directory.FullName;
    }

    private static void AssertValid(string schemaFile, JsonElement instance)
    {
        // Each test reads the schema afresh into its own registry (the global one refuses a second schema with the same $id).
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "privacy", schemaFile)), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}");
        Assert.True(result.IsValid, $"{schemaFile}: {string.Join(Environment.NewLine, errors.Take(20))}");
    }

    private static List<Uri> MailLinks(string dataDirectory, string to) =>
        [.. PickupMessages(dataDirectory, to).SelectMany(m => Link().Matches(m.TextBody ?? "").Select(l => new Uri(l.Value)))
            .Where(u => u.AbsolutePath.StartsWith(AccountLinks.DataExportPath + "/", StringComparison.Ordinal))];

    private static Uri MailLink(string dataDirectory, string to) => Assert.Single(MailLinks(dataDirectory, to));

    private static IEnumerable<MimeKit.MimeMessage> PickupMessages(string dataDirectory, string to) =>
        Directory.EnumerateFiles(Path.Combine(dataDirectory, "mail", "pickup"), "*.eml")
            .Select(file => MimeKit.MimeMessage.Load(file))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase))
                && (m.TextBody ?? "").Contains(AccountLinks.DataExportPath, StringComparison.Ordinal));

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
