using System.Net;
using System.Text.RegularExpressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Email;
using CommerceOS.Core.Privacy;
using CommerceOS.Tests.Infrastructure;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Policy section 10 and security-privacy.md row P6: published versions of the privacy policy and the terms, exactly one
/// change notice per active user across repeated runs and a crash, the in-app notice until acknowledged.
/// </summary>
public sealed partial class LegalNoticeTests
{
    private const string ChineseText = "隐私政策(新版):我们更新了数据保留期限。";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task MaterialChange_EmailsEveryActiveUserExactlyOnce_AcrossRepeatedRunsAndACrash(DatabaseKind kind)
    {
        var sender = new CrashingSender();
        var hangfire = new RecordingJobClient();
        await using var app = await StartAsync(kind, sender, hangfire, batchSize: 300);
        var folder = app.Services.GetRequiredService<EmailPickupFolder>().Path;

        var (adminId, active, terminated) = await InsertUsersAsync(app, activeCount: 1_000, terminatedCount: 50);

        LegalDocumentVersion version;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var published = await scope.ServiceProvider.GetRequiredService<PublishLegalVersion>().HandleAsync(
                new PublishLegalVersion.Request(LegalDocuments.Privacy, "2026-12-01", "Privacy Policy (new): we changed how long we keep data.", ChineseText, true,
                    "We keep analytics for 90 days instead of 180.", "分析数据的保留期限由 180 天缩短为 90 天。"),
                adminId, null, Ct);
            Assert.True(published.IsSuccess, published.ToString());
            version = published.Value;
        }

        // Publishing handed the version id (and nothing else) to the background job.
        var queued = Assert.Single(hangfire.Jobs);
        Assert.Equal((typeof(LegalNoticeDelivery), nameof(LegalNoticeDelivery.DeliverAsync)), (queued.Type, queued.Method.Name));
        Assert.Equal(version.Id, queued.Args[0]);

        var delivery = app.Services.GetRequiredService<LegalNoticeDelivery>();

        // A crash midway: the 450th message is handed over, then the process dies before it is marked sent.
        sender.CrashAfter = 450;
        await Assert.ThrowsAsync<IOException>(() => delivery.DeliverAsync(version.Id, Ct));
        Assert.Equal(450, Directory.GetFiles(folder, "*.eml").Length);
        sender.CrashAfter = null;

        // A process killed outright keeps its lease: nobody else sends until it runs out.
        await using (var db = app.Database.CreateContext())
        {
            var future = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1);
            await db.LegalDocumentVersions.Where(v => v.Id == version.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.NoticeLeaseUntil, future).SetProperty(v => v.NoticeLeaseOwner, Guid.NewGuid()), Ct);
        }

        Assert.Equal(0, await delivery.DeliverAsync(version.Id, Ct));
        await using (var db = app.Database.CreateContext())
        {
            var past = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-1);
            await db.LegalDocumentVersions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.NoticeLeaseUntil, past), Ct);
        }

        // The restart finishes the job (the crashed message again, which the sender drops), then the job runs twice more.
        Assert.Equal(1_000 - 449, await delivery.DeliverAsync(version.Id, Ct));
        Assert.Equal(0, await delivery.RunAsync(Ct));
        Assert.Equal(0, await delivery.DeliverAsync(version.Id, Ct));

        var recipients = new List<(string To, string Subject)>();
        foreach (var file in Directory.GetFiles(folder, "*.eml"))
        {
            var message = await MimeMessage.LoadAsync(file, Ct);
            recipients.Add((message.To.Mailboxes.Single().Address, message.Subject ?? ""));
        }

        Assert.Equal(1_000, recipients.Count);
        Assert.Equal(1_000, recipients.Select(r => r.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(recipients.Select(r => r.To).ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(active.Values));
        Assert.DoesNotContain(recipients, r => terminated.Contains(r.To));
        // Each in the recipient's language (every other user prefers Chinese).
        Assert.Equal(500, recipients.Count(r => r.Subject.Contains("隐私政策", StringComparison.Ordinal)));
        Assert.Equal(500, recipients.Count(r => r.Subject.Contains("Privacy Policy", StringComparison.Ordinal)));

        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(1_000, await db.LegalNotices.CountAsync(n => n.VersionId == version.Id && n.SentAt != null, Ct));
            Assert.Equal(0, await db.LegalNotices.CountAsync(n => n.SentAt == null, Ct));
            var row = await db.LegalDocumentVersions.SingleAsync(v => v.Id == version.Id, Ct);
            Assert.NotNull(row.NoticesCompletedAt);
            Assert.Null(row.NoticeLeaseOwner);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Publishing_NeedsAnAdminBothTextsAndANewLabel_AndTheNoticeShowsUntilAcknowledged(DatabaseKind kind)
    {
        var hangfire = new RecordingJobClient();
        await using var app = await StartAsync(kind, new CrashingSender(), hangfire, batchSize: 500);
        using var seller = await BrowserSession.SignUpAsync(app, displayName: "Seller");
        using var adminSession = await BrowserSession.SignUpAsync(app, displayName: "Admin");
        await using (var db = app.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == adminSession.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, true), Ct);
        }

        using var admin = app.CreateBrowserClient();
        using (var login = await BrowserSession.SignInAsync(admin, adminSession.Email))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        var material = Fields("privacy", "2026-12-01", "New privacy policy text, December edition.", ChineseText, material: true,
            "We now keep analytics for 90 days.", "分析数据现在保留 90 天。");

        // Not an admin: 403 on the page and on the form, and nothing is published.
        using (var page = await seller.Client.GetAsync("/admin/legal", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        }

        var sellerToken = await seller.AntiforgeryTokenAsync("/app/dashboard");
        using (var post = await seller.Client.PostAsync("/admin/legal", new FormUrlEncodedContent(With(material, sellerToken)), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        // Both texts, a new label and (for a material change) both summaries: localized errors, nothing stored.
        var missingChinese = await PublishAsync(admin, Fields("privacy", "2026-12-01", "English only.", "", material: false));
        Assert.Equal(HttpStatusCode.BadRequest, missingChinese.Status);
        Assert.Contains("Enter the Chinese text.", missingChinese.Html, StringComparison.Ordinal);
        var seedLabel = await PublishAsync(admin, Fields("privacy", LegalDocuments.PrivacyVersion, "Text.", "文本。", material: false));
        Assert.Equal(HttpStatusCode.Conflict, seedLabel.Status);
        Assert.Contains("already has a version with that label", seedLabel.Html, StringComparison.Ordinal);
        var noSummary = await PublishAsync(admin, Fields("terms", "2026-12-01", "Terms.", "条款。", material: true));
        Assert.Equal(HttpStatusCode.BadRequest, noSummary.Status);
        Assert.Contains("needs a summary of the changes", noSummary.Html, StringComparison.Ordinal);
        var badLabel = await PublishAsync(admin, Fields("privacy", "../v2", "Text.", "文本。", material: false));
        Assert.Equal(HttpStatusCode.BadRequest, badLabel.Status);
        Assert.Contains("Enter a version label of up to 40 letters", badLabel.Html, StringComparison.Ordinal);
        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(0, await db.LegalDocumentVersions.CountAsync(Ct));
        }

        // A minor change is current at once but sends nothing and asks nothing.
        var minor = await PublishAsync(admin, Fields("privacy", "2026-11-01", "Privacy policy with a typo fixed.", "隐私政策(修正错别字)。", material: false));
        Assert.Equal(HttpStatusCode.Redirect, minor.Status);
        Assert.Empty(hangfire.Jobs);
        Assert.Equal(0, await app.Services.GetRequiredService<LegalNoticeDelivery>().RunAsync(Ct));
        Assert.DoesNotContain("legal-notice-privacy", await seller.Client.GetStringAsync("/app/dashboard", Ct), StringComparison.Ordinal);
        var privacyPage = await seller.Client.GetStringAsync("/privacy", Ct);
        Assert.Contains("Privacy policy with a typo fixed.", privacyPage, StringComparison.Ordinal);
        Assert.Contains("Version 2026-11-01", privacyPage, StringComparison.Ordinal);

        // The same label twice is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await PublishAsync(admin, Fields("privacy", "2026-11-01", "Again.", "再次。", material: false))).Status);

        // A material change: queued for e-mail, shown at the next sign-in and on every page until acknowledged.
        Assert.Equal(HttpStatusCode.Redirect, (await PublishAsync(admin, material)).Status);
        Assert.Single(hangfire.Jobs);
        Assert.Contains("New privacy policy text, December edition.", await seller.Client.GetStringAsync("/privacy", Ct), StringComparison.Ordinal);

        // (A sign-in ends the user's other sessions, so the admin's next sign-in is the one looked at; the seller stays signed in.)
        using var nextSignIn = app.CreateBrowserClient(followRedirects: true);
        using (var login = await BrowserSession.SignInAsync(nextSignIn, adminSession.Email))
        {
            var landing = await login.Content.ReadAsStringAsync(Ct);
            Assert.Contains("id=\"legal-notice-privacy\"", landing, StringComparison.Ordinal);
            Assert.Contains("We now keep analytics for 90 days.", landing, StringComparison.Ordinal);
            Assert.Contains("href=\"/privacy\"", landing, StringComparison.Ordinal);
        }

        var dashboard = await seller.Client.GetStringAsync("/app/dashboard", Ct);
        Assert.Contains("id=\"legal-notice-privacy\"", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"legal-notice-terms\"", dashboard, StringComparison.Ordinal);
        var versionId = VersionIdField().Match(dashboard).Groups[1].Value;

        using (var acknowledged = await seller.PostFormAsync("/legal/acknowledge", new() { ["versionId"] = versionId, ["returnUrl"] = "/app/dashboard" }, "/app/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Redirect, acknowledged.StatusCode);
        }

        Assert.DoesNotContain("legal-notice-privacy", await seller.Client.GetStringAsync("/app/dashboard", Ct), StringComparison.Ordinal);
        using (var again = await seller.PostFormAsync("/legal/acknowledge", new() { ["versionId"] = versionId }, "/app/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(1, await db.ConsentRecords.CountAsync(c => c.UserId == seller.UserId && c.Purpose == ConsentPurposes.Privacy && c.Version == "2026-12-01" && c.Granted, Ct));
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.LegalNoticeAcknowledge && a.UserId == seller.UserId, Ct));
            Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.LegalVersionPublish && a.UserId == adminSession.UserId, Ct));
        }

        // Someone signing up now accepts the new version and sees no notice; consents are stamped with it.
        using var newcomer = await BrowserSession.SignUpAsync(app, displayName: "Newcomer");
        Assert.DoesNotContain("legal-notice-privacy", await newcomer.Client.GetStringAsync("/app/dashboard", Ct), StringComparison.Ordinal);
        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal("2026-12-01", await db.ConsentRecords.Where(c => c.UserId == newcomer.UserId && c.Purpose == ConsentPurposes.Privacy).Select(c => c.Version).SingleAsync(Ct));
        }

        // The notice job e-mails the two users who signed up before the change (not the newcomer).
        Assert.Equal(2, await app.Services.GetRequiredService<LegalNoticeDelivery>().RunAsync(Ct));

        // An analytics yes given under the old policy lapses (asked again); a no stays a no.
        using var oldYes = app.CreateBrowserClient();
        oldYes.DefaultRequestHeaders.Add("Cookie", $"__Host-cos-consent={Uri.EscapeDataString(LegalDocuments.PrivacyVersion + ":1")}; __Host-cos-aid={Guid.NewGuid():N}");
        var oldYesPage = await oldYes.GetStringAsync("/pricing", Ct);
        Assert.Contains("id=\"consent-banner\"", oldYesPage, StringComparison.Ordinal);
        Assert.DoesNotContain("analytics.js", oldYesPage, StringComparison.Ordinal);
        using var oldNo = app.CreateBrowserClient();
        oldNo.DefaultRequestHeaders.Add("Cookie", $"__Host-cos-consent={Uri.EscapeDataString(LegalDocuments.PrivacyVersion + ":0")}");
        Assert.DoesNotContain("id=\"consent-banner\"", await oldNo.GetStringAsync("/pricing", Ct), StringComparison.Ordinal);
        using var newYes = app.CreateBrowserClient();
        newYes.DefaultRequestHeaders.Add("Cookie", $"__Host-cos-consent={Uri.EscapeDataString("2026-12-01:1")}; __Host-cos-aid={Guid.NewGuid():N}");
        Assert.Contains("analytics.js", await newYes.GetStringAsync("/pricing", Ct), StringComparison.Ordinal);
    }

    private static Task<AppFactory> StartAsync(DatabaseKind kind, CrashingSender sender, RecordingJobClient hangfire, int batchSize) =>
        AppFactory.StartAsync(
            kind,
            new Dictionary<string, string?>
            {
                ["LegalNotices:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // The test runs the delivery itself.
                ["LegalNotices:SweepCron"] = Cron.Never(),
            },
            services =>
            {
                services.AddSingleton<IBackgroundJobClient>(hangfire);
                services.AddSingleton<IEmailSender>(sp =>
                {
                    sender.Inner = new EmailPickupSender(sp.GetRequiredService<IOptions<EmailOptions>>(), sp.GetRequiredService<EmailPickupFolder>(), sp.GetRequiredService<TimeProvider>());
                    return sender;
                });
            });

    /// <summary>Inserts users directly (no password, no workspace): the admin is the first active one; every other user prefers Chinese.</summary>
    private static async Task<(Guid AdminId, Dictionary<Guid, string> Active, HashSet<string> Terminated)> InsertUsersAsync(AppFactory app, int activeCount, int terminatedCount)
    {
        var created = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-30);
        var active = new Dictionary<Guid, string>();
        var terminated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var db = app.Database.CreateContext();
        for (var i = 0; i < activeCount + terminatedCount; i++)
        {
            var isActive = i < activeCount;
            var email = $"{(isActive ? "active" : "gone")}-{i:D4}@example.com";
            var user = new AppUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString("N"), DisplayName = $"User {i}",
                PreferredLanguage = i % 2 == 0 ? SupportedLanguages.English : SupportedLanguages.Chinese,
                CreatedAt = created, AdultConfirmedAt = created, IsAdmin = i == 0, TerminatedAt = isActive ? null : created.AddDays(1),
            };
            db.Users.Add(user);
            if (isActive)
            {
                active[user.Id] = email;
            }
            else
            {
                terminated.Add(email);
            }
        }

        await db.SaveChangesAsync(Ct);
        return (active.Keys.First(), active, terminated);
    }

    private static Dictionary<string, string> Fields(string document, string version, string english, string chinese, bool material, string summaryEnglish = "", string summaryChinese = "") => new()
    {
        ["Document"] = document, ["Version"] = version, ["TextEnglish"] = english, ["TextChinese"] = chinese,
        ["MaterialChange"] = material ? "true" : "false", ["SummaryEnglish"] = summaryEnglish, ["SummaryChinese"] = summaryChinese,
    };

    private static Dictionary<string, string> With(Dictionary<string, string> fields, string token) => new(fields) { ["__RequestVerificationToken"] = token };

    private static async Task<(HttpStatusCode Status, string Html)> PublishAsync(HttpClient admin, Dictionary<string, string> fields)
    {
        var page = await admin.GetStringAsync("/admin/legal", Ct);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        using var response = await admin.PostAsync("/admin/legal", new FormUrlEncodedContent(With(fields, token)), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("name=\"versionId\" value=\"([0-9a-f-]+)\"")]
    private static partial Regex VersionIdField();

    /// <summary>The real pickup sender; with <see cref="CrashAfter"/> set, that many-th message is handed over and then the "process" dies.</summary>
    private sealed class CrashingSender : IEmailSender
    {
        private int _sent;

        public EmailPickupSender? Inner { get; set; }

        public int? CrashAfter { get; set; }

        public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            await Inner!.SendAsync(message, cancellationToken);
            if (Interlocked.Increment(ref _sent) == CrashAfter)
            {
                throw new IOException("Simulated crash after the hand-over.");
            }
        }
    }

    /// <summary>Records what is handed to Hangfire instead of running it, so the test runs the delivery itself.</summary>
    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        private readonly List<Job> _jobs = [];

        public IReadOnlyList<Job> Jobs
        {
            get
            {
                lock (_jobs)
                {
                    return [.. _jobs.Where(j => j.Type == typeof(LegalNoticeDelivery))];
                }
            }
        }

        public string Create(Job job, IState state)
        {
            lock (_jobs)
            {
                _jobs.Add(job);
            }

            return Guid.NewGuid().ToString("N");
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
