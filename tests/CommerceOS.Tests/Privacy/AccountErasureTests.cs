using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Privacy;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Account deletion and erasure (privacy policy 5 and 6, security-privacy.md row P2): access ends at once, the marketplace
/// and the payment gateway are each told exactly once, generated content stays 30 days, then a schema-wide scan finds
/// nothing of the user, their workspace or the canary token but the invoices' legal minimum; other tenants keep everything.
/// </summary>
public sealed class AccountErasureTests
{
    private const string CustomerId = "cus_ERASURE_customer";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task P2_SoleOwnerDeletes_AccessEndsAtOnce_VendorsToldOnce_AndAfter30DaysNothingIsLeft(DatabaseKind kind)
    {
        await using var vendors = await FakeVendors.StartAsync();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await StartAsync(kind, vendors, clock);
        using var session = await BrowserSession.SignUpAsync(app);
        var canary = $"tok_CANARY_{Guid.NewGuid():N}";
        var apiKey = await SeedEverythingAsync(app, session, canary);
        var blobRoot = Path.Combine(app.DataDirectory, "blobs"); // the United States region's location, where these workspaces live
        var scopeFolder = Path.Combine(blobRoot, AssetBlobScope.For(session.WorkspaceId));
        Assert.True(Directory.GetFiles(scopeFolder, "*", SearchOption.AllDirectories).Length >= 2);
        Assert.NotEmpty(MailTo(app, session.Email));

        using var other = await app.CreateApiTenantAsync();
        await SeedOtherTenantAsync(app, other.WorkspaceId);
        var otherBefore = await CountByWorkspaceAsync(app, other.WorkspaceId);
        var otherBlobs = Directory.GetFiles(Path.Combine(blobRoot, AssetBlobScope.For(other.WorkspaceId)), "*", SearchOption.AllDirectories).Length;

        // The account is deleted with its password.
        var cookie = session.CookieHeader;
        using (var response = await DeleteMeAsync(session.Client, BrowserSession.DefaultPassword))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(1, body.GetProperty("workspacesClosed").GetInt32());
        }

        var terminatedAt = clock.GetUtcNow();

        // The old session cookie and the API key are refused at once.
        using (var stale = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false }))
        {
            stale.DefaultRequestHeaders.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/v1/me/consents", Ct)).StatusCode);
        }

        using (var keyed = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false }))
        {
            keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyed.GetAsync("/api/v1/products", Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/api/v1/products", Ct)).StatusCode);
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            Assert.DoesNotContain(await db.Jobs.Where(j => j.Kind == ThumbnailJob.JobKind).Select(j => j.Status).ToListAsync(Ct), s => s == JobStatus.Queued);
            Assert.Equal(SubscriptionStatus.Canceled, (await db.Subscriptions.SingleAsync(Ct)).Status);
            Assert.Empty(await db.ApiKeys.Where(k => k.UserId == session.UserId).ToListAsync(Ct));
            Assert.Empty(await db.ConsentRecords.Where(c => c.UserId == session.UserId).ToListAsync(Ct));
            var erased = await db.Users.SingleAsync(u => u.Id == session.UserId, Ct);
            Assert.Equal((null, null, ""), (erased.Email, erased.PasswordHash, erased.DisplayName));
        }

        Assert.Empty(MailTo(app, session.Email));

        // The erasure jobs ran: one revoke at the marketplace, one customer delete at Stripe; running them again calls nothing.
        var erasureJobs = await WaitForErasureJobsAsync(app, session.WorkspaceId);
        Assert.Equal(2, erasureJobs.Count);
        Assert.Equal((1, 1), (vendors.Revokes, vendors.CustomerDeletes));
        Assert.Equal(canary, vendors.LastRevokedToken);
        foreach (var job in erasureJobs)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobRunner>().RunAsync(job.Id, Ct);
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(job.WorkspaceId, null, WorkspaceRole.Editor);
            await scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(job.Kind).ExecuteAsync(job, new Progress<double>(), Ct);
        }

        Assert.Equal((1, 1), (vendors.Revokes, vendors.CustomerDeletes));

        // Day 29: the generated content is still there.
        var purge = app.Services.GetRequiredService<TerminatedAccountPurge>();
        clock.SetUtcNow(terminatedAt.AddDays(29));
        Assert.Equal(0, await purge.RunAsync(Ct));
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            Assert.Equal(1, await db.Products.CountAsync(Ct));
            Assert.Equal(1, await db.Assets.CountAsync(Ct));
        }

        Assert.True(Directory.Exists(scopeFolder));

        // The scans see what is kept until then (so they can fail).
        string[] needles =
        [
            session.UserId.ToString(), session.UserId.ToString("N"), session.WorkspaceId.ToString(), session.WorkspaceId.ToString("N"),
            session.Email, canary, CustomerId,
        ];
        var kept = await ScanDatabaseAsync(app, needles);
        Assert.Contains("Product.WorkspaceId", kept);
        Assert.Contains("Asset.BlobKey", kept);
        Assert.Contains("Job.CreatedByUserId", kept);
        Assert.Contains("AppUser.Id", kept);
        var hangfireIds = erasureJobs.Select(j => j.HangfireJobId!).ToList();
        Assert.All(hangfireIds, Assert.NotNull);
        var hangfireNeedles = needles.Concat(erasureJobs.Select(j => j.Id.ToString())).ToArray();
        if (kind == DatabaseKind.Postgres)
        {
            Assert.NotEmpty(await ScanHangfireAsync(app, hangfireNeedles));
        }

        // Day 31: the sweep leaves nothing of the user, the workspace or the canary anywhere but the invoices' legal minimum.
        clock.SetUtcNow(terminatedAt.AddDays(31));
        Assert.True(await purge.RunAsync(Ct) > 0);
        var hits = await ScanDatabaseAsync(app, needles);
        Assert.Equal([$"{nameof(Invoice)}.{nameof(Invoice.WorkspaceId)}"], hits.Distinct());
        if (kind == DatabaseKind.Postgres)
        {
            Assert.Empty(await ScanHangfireAsync(app, hangfireNeedles));
        }
        else
        {
            using var hangfire = app.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
            Assert.All(hangfireIds, id => Assert.Null(hangfire.GetJobData(id)));
        }

        Assert.False(Directory.Exists(scopeFolder));
        Assert.Empty(MailTo(app, session.Email));
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var invoice = await db.Invoices.SingleAsync(Ct);
            Assert.Null(invoice.OrderId);
            Assert.Equal(4900, invoice.TotalMinor);
        }

        // A re-run deletes nothing, and the other tenant kept every row and file.
        Assert.Equal(0, await purge.RunAsync(Ct));
        Assert.Equal(otherBefore, await CountByWorkspaceAsync(app, other.WorkspaceId));
        Assert.Equal(otherBlobs, Directory.GetFiles(Path.Combine(blobRoot, AssetBlobScope.For(other.WorkspaceId)), "*", SearchOption.AllDirectories).Length);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WrongOrMissingPassword_IsRefused_ChangesNothing_AndIsAudited(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        var before = await CountByWorkspaceAsync(app, session.WorkspaceId);

        foreach (var password in new[] { "not the password 1", null })
        {
            using var response = await DeleteMeAsync(session.Client, password);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(ErasureErrors.PasswordIncorrect, problem.GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/me/consents", Ct)).StatusCode);
        await using var db = app.Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Id == session.UserId, Ct);
        Assert.Null(user.TerminatedAt);
        Assert.Equal(session.Email, user.Email);
        Assert.Null(await db.Workspaces.Where(w => w.Id == session.WorkspaceId).Select(w => w.TerminatedAt).SingleAsync(Ct));
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.UserId == session.UserId && a.Action == ErasureAudit.AccountDeleted && a.Outcome == AuditOutcomes.Failure, Ct));
        var after = await CountByWorkspaceAsync(app, session.WorkspaceId);
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SoleOwnerOfATeam_IsRefused_WhileAMemberDeletingWithAnApiKeyLeavesTheTeam(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var owner = await BrowserSession.SignUpAsync(app);
        using var member = await app.CreateApiTenantAsync();
        await using (var db = app.Database.CreateContext())
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = owner.WorkspaceId, UserId = member.UserId, Role = WorkspaceRole.Editor, JoinedAt = TestWorkspaces.Epoch });
            await db.SaveChangesAsync(Ct);
        }

        using (var refused = await DeleteMeAsync(owner.Client, BrowserSession.DefaultPassword))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(ErasureErrors.SoleOwner, problem.GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/me/consents", Ct)).StatusCode);
        await using (var db = app.Database.CreateContext())
        {
            Assert.Null(await db.Users.Where(u => u.Id == owner.UserId).Select(u => u.TerminatedAt).SingleAsync(Ct));
        }

        // The member deletes their account with their API key: their own workspace closes, the owner's team goes on without them.
        using (var deleted = await DeleteMeAsync(member.Client, "correct horse battery staple 42"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await member.Client.GetAsync("/api/v1/products", Ct)).StatusCode);
        await using (var db = app.Database.CreateContext())
        {
            Assert.False(await db.WorkspaceMembers.AnyAsync(m => m.UserId == member.UserId, Ct));
            Assert.Null(await db.Workspaces.Where(w => w.Id == owner.WorkspaceId).Select(w => w.TerminatedAt).SingleAsync(Ct));
            Assert.NotNull(await db.Workspaces.Where(w => w.Id == member.WorkspaceId).Select(w => w.TerminatedAt).SingleAsync(Ct));
        }

        // Alone again, the owner may go.
        using var last = await DeleteMeAsync(owner.Client, BrowserSession.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SettingsPage_ExplainsInBothLanguages_RefusesAWrongPassword_AndSignsOutOnSuccess(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var chinese = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        var zh = await chinese.Client.GetStringAsync(DeletePage, Ct);
        Assert.Contains("删除您的账号", zh, StringComparison.Ordinal);
        Assert.Contains("保留 30 天", zh, StringComparison.Ordinal);

        using var session = await BrowserSession.SignUpAsync(app);
        Assert.Contains($"href=\"{DeletePage}\"", await session.Client.GetStringAsync("/app/settings", Ct), StringComparison.Ordinal);
        var page = await session.Client.GetStringAsync(DeletePage, Ct);
        Assert.Contains("id=\"erasure-what-happens\"", page, StringComparison.Ordinal);
        Assert.Contains("kept for 30 days", page, StringComparison.Ordinal);
        Assert.Contains("Invoices are kept as the law requires", page, StringComparison.Ordinal);

        using (var wrong = await session.PostFormAsync(DeletePage, new() { ["password"] = "not the password 1" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Contains("The password is not correct.", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/app/dashboard", Ct)).StatusCode);
        using (var done = await session.PostFormAsync(DeletePage, new() { ["password"] = BrowserSession.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.Contains("id=\"account-deleted\"", await done.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var after = await session.Client.GetAsync("/app/dashboard", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var login = await BrowserSession.SignInAsync(app.CreateBrowserClient(), session.Email);
        Assert.NotEqual(HttpStatusCode.Redirect, login.StatusCode);
    }

    private const string DeletePage = "/app/settings/delete-account";

    [Fact]
    public void Resources_EveryErasureCode_HasEnglishAndChineseText_WithTheSameKeys()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        Dictionary<string, string> Load(string culture) => JsonSerializer.Deserialize<Dictionary<string, string>>(
            File.ReadAllText(Path.Combine(directory.FullName, "src", "CommerceOS.Web", "Resources", culture, "Erasure.json")))!;
        var en = Load("en");
        var zh = Load("zh-CN");
        Assert.Equal(en.Keys.Order(StringComparer.Ordinal), zh.Keys.Order(StringComparer.Ordinal));
        Assert.All(ErasureErrors.All, code => Assert.False(string.IsNullOrWhiteSpace(en.GetValueOrDefault(code)) || string.IsNullOrWhiteSpace(zh.GetValueOrDefault(code)), code));
    }


    private static Task<AppFactory> StartAsync(DatabaseKind kind, FakeVendors vendors, FakeTimeProvider clock) =>
        AppFactory.StartAsync(
            kind,
            new Dictionary<string, string?>
            {
                ["Billing:Stripe:SecretKey"] = "sk_test_erasure",
                ["Billing:Stripe:WebhookSecrets:0"] = "whsec_erasure",
                ["Billing:Stripe:ApiBase"] = vendors.BaseUrl,
                ["Jobs:RetryBaseDelay"] = "00:00:01",
                ["Jobs:SchedulePollingInterval"] = "00:00:01",
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.RemoveAll<IMarketplacePublisher>();
                services.AddSingleton<IMarketplacePublisher>(new RevokingPublisher(vendors));
            });

    private static async Task<HttpResponseMessage> DeleteMeAsync(HttpClient client, string? password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password }) };
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Rows in every store of the user's workspace, and an API key; returns the key.</summary>
    private static async Task<string> SeedEverythingAsync(AppFactory app, BrowserSession session, string canary)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        await ApiTenants.GrantApiAccessAsync(db, session.WorkspaceId);
        var key = await services.GetRequiredService<CreateApiKey>().ExecuteAsync(new CreateApiKey.Request(session.UserId, session.WorkspaceId, "erasure"), Ct);

        await using var ws = app.Database.CreateContext(session.WorkspaceId);
        var userId = session.UserId;
        var workspaceId = session.WorkspaceId;
        var blobs = services.GetRequiredService<IBlobStore>();
        var original = await blobs.PutAsync(AssetBlobScope.For(workspaceId), new MemoryStream([1, 2, 3, 4]), Ct);
        var thumbnail = await blobs.PutAsync(AssetBlobScope.For(workspaceId), new MemoryStream([5, 6, 7]), Ct);
        var product = new Product { WorkspaceId = workspaceId, Sku = "ERASE-1", Title = "Teapot" };
        var asset = new Asset
        {
            WorkspaceId = workspaceId, ContentType = "image/png", BlobKey = original.Key, ThumbnailBlobKey = thumbnail.Key, Sha256 = original.Sha256,
            Source = "upload", CreatedByUserId = userId, ProductId = product.Id,
        };
        var copy = new ListingCopy { WorkspaceId = workspaceId, ProductId = product.Id, Marketplace = "amazon", Language = "en", ApprovedByUserId = userId };
        var order = new BillingOrder { WorkspaceId = workspaceId, Gateway = PaymentGatewaysStripe, PlanCode = PlanCatalog.Creator, Currency = "USD", AmountMinor = 4900, CreatedByUserId = userId };
        ws.AddRange(product, asset, copy, order);
        ws.Add(new ListingCopyVersion { WorkspaceId = workspaceId, ListingCopyId = copy.Id, Engine = "local", TextJson = "{\"title\":\"Teapot\"}", CreatedByUserId = userId });
        ws.Add(new TranslationMemoryEntry
        {
            WorkspaceId = workspaceId, SourceLanguage = "en", TargetLanguage = "de", SourceKeyHash = "k", SourceTextHash = "t",
            SourceKey = "teapot", SourceText = "teapot", TargetText = "Teekanne",
        });
        ws.Add(new WorkflowBatch { WorkspaceId = workspaceId, TemplateId = "main-images", TemplateName = "Main images", MarketplacesJson = "[\"amazon\"]", CreatedByUserId = userId });
        ws.Add(new Job { WorkspaceId = workspaceId, Kind = ThumbnailJob.JobKind, Status = JobStatus.Succeeded, SubjectId = asset.Id, CreatedByUserId = userId });
        ws.Add(new Job
        {
            WorkspaceId = workspaceId, Kind = ThumbnailJob.JobKind, Status = JobStatus.Queued, SubjectId = asset.Id, CreatedByUserId = userId,
            NotBefore = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(1),
        });
        ws.Add(new Invoice
        {
            WorkspaceId = workspaceId, Number = $"CO-2026-{Random.Shared.Next(100000, 999999)}", OrderId = order.Id, Gateway = PaymentGatewaysStripe,
            GatewayReference = $"sub_erasure:{Guid.NewGuid():N}", PlanCode = PlanCatalog.Creator, Currency = "USD", SubtotalMinor = 4900, TotalMinor = 4900,
        });
        var connection = new MarketplaceConnection { WorkspaceId = workspaceId, Platform = Platforms.Shopify, Name = "My store", Status = ConnectionStatus.Active, CreatedByUserId = userId };
        connection.ProtectedCredentials = services.GetRequiredService<ConnectionSecrets>().Protect(connection, new Dictionary<string, string> { ["shop"] = "erasure-shop", ["access_token"] = canary });
        ws.Add(connection);
        var subscription = await ws.Subscriptions.SingleAsync(Ct);
        (subscription.Gateway, subscription.GatewayCustomerId, subscription.GatewaySubscriptionId) = (PaymentGatewaysStripe, CustomerId, "sub_erasure");
        ws.Add(new Core.Privacy.PageView { VisitorId = Guid.NewGuid(), UserId = userId, Path = "/app", Browser = "chrome", OperatingSystem = "linux", Device = "desktop" });
        await ws.SaveChangesAsync(Ct);
        Assert.NotEmpty(await ws.ConsentRecords.Where(c => c.UserId == userId).ToListAsync(Ct));
        return key.PlaintextKey!;
    }

    private const string PaymentGatewaysStripe = Core.Billing.Payments.PaymentGateways.Stripe;

    private static async Task SeedOtherTenantAsync(AppFactory app, Guid workspaceId)
    {
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var blob = await blobs.PutAsync(AssetBlobScope.For(workspaceId), new MemoryStream([9, 9, 9]), Ct);
        await using var ws = app.Database.CreateContext(workspaceId);
        ws.Add(new Product { WorkspaceId = workspaceId, Sku = "KEEP-1", Title = "Kept" });
        ws.Add(new Asset { WorkspaceId = workspaceId, ContentType = "image/png", BlobKey = blob.Key, Sha256 = blob.Sha256, Source = "upload" });
        ws.Add(new TranslationMemoryEntry
        {
            WorkspaceId = workspaceId, SourceLanguage = "en", TargetLanguage = "fr", SourceKeyHash = "k", SourceTextHash = "t",
            SourceKey = "teapot", SourceText = "teapot", TargetText = "théière",
        });
        await ws.SaveChangesAsync(Ct);
    }

    private static async Task<List<Job>> WaitForErasureJobsAsync(AppFactory app, Guid workspaceId)
    {
        string[] kinds = [RevokeMarketplaceConnectionJob.JobKind, DeletePaymentCustomerJob.JobKind];
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            await using var db = app.Database.CreateContext(workspaceId);
            var jobs = await db.Jobs.AsNoTracking().Where(j => kinds.Contains(j.Kind)).ToListAsync(Ct);
            if (jobs.Count == kinds.Length && jobs.All(j => j.Status == JobStatus.Succeeded))
            {
                return jobs;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Erasure jobs: " + string.Join(", ", jobs.Select(j => $"{j.Kind}={j.Status} {j.LastError}")));
            await Task.Delay(200, Ct);
        }
    }

    private static List<string> MailTo(AppFactory app, string email)
    {
        var folder = Path.Combine(app.DataDirectory, "mail", "pickup");
        return !Directory.Exists(folder)
            ? []
            : Directory.GetFiles(folder, "*.eml")
                .Where(f => MimeMessage.Load(f).To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase)))
                .ToList();
    }

    /// <summary>Rows naming the workspace, per table, over every <c>…WorkspaceId</c> column of the model.</summary>
    private static async Task<Dictionary<string, int>> CountByWorkspaceAsync(AppFactory app, Guid workspaceId)
    {
        await using var db = app.Database.CreateContext();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (entity, _) in TerminatedAccountPurge.References(db.Model, "WorkspaceId"))
        {
            var rows = await LoadAllAsync(db, entity.ClrType);
            counts[entity.ClrType.Name] = rows.Count(row => entity.GetProperties()
                .Where(p => p.Name.EndsWith("WorkspaceId", StringComparison.Ordinal) && p.PropertyInfo is not null)
                .Any(p => Equals(p.PropertyInfo!.GetValue(row), workspaceId)));
        }

        return counts;
    }

    /// <summary>
    /// Every table of the EF model, every column: "Entity.Property" for each value that is, or contains, a needle (Guids
    /// compared in both text forms, JSON columns as their JSON).
    /// </summary>
    private static async Task<List<string>> ScanDatabaseAsync(AppFactory app, string[] needles)
    {
        await using var db = app.Database.CreateContext();
        var hits = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes().Where(e => !e.IsOwned() && !e.HasSharedClrType && e.BaseType is null))
        {
            foreach (var row in await LoadAllAsync(db, entity.ClrType))
            {
                foreach (var property in entity.GetProperties().Where(p => p.PropertyInfo is not null))
                {
                    var value = property.PropertyInfo!.GetValue(row);
                    var text = value switch
                    {
                        null => null,
                        string s => s,
                        Guid g => $"{g} {g:N}",
                        _ when value.GetType().IsPrimitive || value is DateTime or decimal or Enum => null,
                        _ => JsonSerializer.Serialize(value),
                    };
                    if (text is not null && needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)))
                    {
                        hits.Add($"{entity.ClrType.Name}.{property.Name}");
                    }
                }
            }
        }

        return hits;
    }

    private static async Task<List<object>> LoadAllAsync(AppDbContext db, Type type) =>
        await (Task<List<object>>)typeof(AccountErasureTests).GetMethod(nameof(LoadAllOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db])!;

    private static async Task<List<object>> LoadAllOfAsync<T>(AppDbContext db)
        where T : class
    {
#pragma warning disable RS0030 // The scan reads every row of every workspace.
        var rows = await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync(Ct);
#pragma warning restore RS0030
        return [.. rows.Cast<object>()];
    }

    /// <summary>PostgreSQL: every text column of Hangfire's tables, "table.column" for each needle found.</summary>
    private static async Task<List<string>> ScanHangfireAsync(AppFactory app, string[] needles)
    {
        await using var db = app.Database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        var columns = new List<(string Table, string Column)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'hangfire' AND data_type IN ('text', 'character varying', 'jsonb', 'json')";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.NotEmpty(columns);
        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            foreach (var needle in needles)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM hangfire.\"{table}\" WHERE \"{column}\"::text ILIKE '%' || @needle || '%'";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "needle";
                parameter.Value = needle;
                command.Parameters.Add(parameter);
                if (Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    hits.Add($"{table}.{column}");
                }
            }
        }

        return hits;
    }

    /// <summary>A marketplace whose revoke calls the fake platform with the connection's token.</summary>
    private sealed class RevokingPublisher(FakeVendors vendors) : IMarketplacePublisher
    {
        public string Platform => Platforms.Shopify;

        public IReadOnlyList<CredentialField> Fields { get; } = [new("shop", Secret: false, Required: true), new("access_token", Secret: true)];

        public IReadOnlyList<string> RequiredFields { get; } = [ListingFields.Title];

        public int MaxImages => 10;

        public async Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken)
        {
            using var client = new HttpClient(new SocketsHttpHandler(), disposeHandler: true);
            using var response = await client.PostAsync(vendors.BaseUrl + "/oauth/revoke", new FormUrlEncodedContent([new("token", session.Required("access_token"))]), cancellationToken);
            response.EnsureSuccessStatusCode();
            return true;
        }

        public Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>In-process Kestrel fakes of the marketplace's token revocation and Stripe's <c>DELETE /v1/customers/{id}</c>, counting calls.</summary>
    private sealed class FakeVendors : IAsyncDisposable
    {
        private WebApplication? _app;
        private int _revokes;
        private int _customerDeletes;

        public string BaseUrl { get; private set; } = "";

        public int Revokes => _revokes;

        public int CustomerDeletes => _customerDeletes;

        public string? LastRevokedToken { get; private set; }

        public static async Task<FakeVendors> StartAsync()
        {
            var fake = new FakeVendors();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            fake._app = builder.Build();
            fake._app.MapPost("/oauth/revoke", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                fake.LastRevokedToken = form["token"];
                Interlocked.Increment(ref fake._revokes);
                return Results.Ok();
            });
            fake._app.MapDelete("/v1/customers/{id}", (string id, HttpRequest request) =>
            {
                if (request.Headers.Authorization.ToString() != "Bearer sk_test_erasure")
                {
                    return Results.Unauthorized();
                }

                Interlocked.Increment(ref fake._customerDeletes);
                return Results.Json(new { id, @object = "customer", deleted = true });
            });
            await fake._app.StartAsync();
            fake.BaseUrl = fake._app.Urls.First().TrimEnd('/');
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
