using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Api;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Settings;

/// <summary>The settings pages through a signed-in browser session against the real host.</summary>
public sealed partial class SettingsPagesTests
{
    private const string NewPassword = "violet harbour compass 77";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChangePassword_ThroughSecurityPage_OldPasswordFailsNewWorks(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        using var wrong = await session.PostFormAsync("/app/settings/security?handler=Password",
            new() { ["currentPassword"] = "not my password at all", ["newPassword"] = NewPassword }, "/app/settings/security");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("id=\"password-errors\"", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var changed = await session.PostFormAsync("/app/settings/security?handler=Password",
            new() { ["currentPassword"] = BrowserSession.DefaultPassword, ["newPassword"] = NewPassword }, "/app/settings/security");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/app/settings/security?done=password", changed.Headers.Location?.OriginalString);
        // This session got a fresh cookie with the new security stamp and stays signed in.
        Assert.Contains("id=\"password-changed\"", await session.Client.GetStringAsync("/app/settings/security?done=password", Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, await SignInStatusAsync(app, session.Email, BrowserSession.DefaultPassword));
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(app, session.Email, NewPassword));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SensitiveActions_SessionOlderThanFiveMinutes_RequireReauthenticationThenWork(DatabaseKind kind)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await AppFactory.StartAsync(kind, services: services => services.AddSingleton<TimeProvider>(clock));
        using var session = await BrowserSession.SignUpAsync(app);
        await GrantApiAccessAsync(app, session.WorkspaceId, true);
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var sensitive = new (string Path, Dictionary<string, string> Form, string Page)[]
        {
            ("/app/settings/api-keys?handler=Create", new() { ["name"] = "CI" }, "/app/settings/api-keys"),
            ("/app/settings/security?handler=Password", new() { ["currentPassword"] = BrowserSession.DefaultPassword, ["newPassword"] = NewPassword }, "/app/settings/security"),
            ("/app/settings/security?handler=Email", new() { ["newEmail"] = "new-address@example.com" }, "/app/settings/security"),
        };
        foreach (var (path, form, page) in sensitive)
        {
            using var refused = await session.PostFormAsync(path, new(form), page);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal($"/account/reauthenticate?returnUrl={Uri.EscapeDataString(page)}", refused.Headers.Location?.OriginalString);

            using var htmx = new HttpRequestMessage(HttpMethod.Post, path);
            var fields = new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = await session.AntiforgeryTokenAsync(page) };
            htmx.Content = new FormUrlEncodedContent(fields);
            htmx.Headers.Add("HX-Request", "true");
            using var problem = await session.Client.SendAsync(htmx, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, problem.StatusCode);
            Assert.Equal("common.reauth_required", (await problem.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }

        // A session refresh (saving the language) must not count as re-authentication.
        using (var profile = await session.PostFormAsync("/app/settings?handler=Profile", new() { ["DisplayName"] = "Test Seller", ["PreferredLanguage"] = "en" }, "/app/settings"))
        {
            Assert.Equal(HttpStatusCode.Redirect, profile.StatusCode);
        }

        using (var stillRefused = await session.PostFormAsync("/app/settings/api-keys?handler=Create", new() { ["name"] = "CI" }, "/app/settings/api-keys"))
        {
            Assert.StartsWith("/account/reauthenticate", stillRefused.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountAsync(app, db => db.ApiKeys.CountAsync(k => k.UserId == session.UserId, Ct)));

        using (var badPassword = await session.PostFormAsync("/account/reauthenticate", new() { ["Password"] = "wrong password here", ["ReturnUrl"] = "/app/settings/api-keys" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badPassword.StatusCode);
        }

        using (var reauthenticated = await session.PostFormAsync("/account/reauthenticate?returnUrl=%2Fapp%2Fsettings%2Fapi-keys",
            new() { ["Password"] = BrowserSession.DefaultPassword, ["ReturnUrl"] = "/app/settings/api-keys" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, reauthenticated.StatusCode);
            Assert.Equal("/app/settings/api-keys", reauthenticated.Headers.Location?.OriginalString);
        }

        clock.Advance(TimeSpan.FromMinutes(4));
        using (var created = await session.PostFormAsync("/app/settings/api-keys?handler=Create", new() { ["name"] = "CI" }, "/app/settings/api-keys"))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Matches(ApiKey(), await created.Content.ReadAsStringAsync(Ct));
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        using (var expiredAgain = await session.PostFormAsync("/app/settings/api-keys?handler=Create", new() { ["name"] = "CI 2" }, "/app/settings/api-keys"))
        {
            Assert.Equal(HttpStatusCode.Redirect, expiredAgain.StatusCode);
        }

        Assert.Equal(1, await CountAsync(app, db => db.ApiKeys.CountAsync(k => k.UserId == session.UserId, Ct)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ApiKey_CreatedThroughPage_ShownOnceWorksAsBearerUntilRevoked(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        // Starter has no API access: the page says so with the way to upgrade, and a key cannot be made.
        var starterPage = await session.Client.GetStringAsync("/app/settings/api-keys", Ct);
        Assert.Contains("id=\"api-upgrade\"", starterPage, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/billing\"", starterPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"api-key-create\"", starterPage, StringComparison.Ordinal);
        using (var refused = await session.PostFormAsync("/app/settings/api-keys?handler=Create", new() { ["name"] = "Shopify sync" }, "/app/settings/api-keys"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
            Assert.DoesNotMatch(ApiKey(), await refused.Content.ReadAsStringAsync(Ct));
        }

        await GrantApiAccessAsync(app, session.WorkspaceId, true);
        var key = await CreateKeyThroughPageAsync(session, "Shopify sync");
        using var api = BearerClient(app, key);
        using (var usage = await api.GetAsync("/api/v1/usage", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        }

        // The grant taken back (or a downgrade from Enterprise): the key is refused with the plan gate's code and the way back.
        await GrantApiAccessAsync(app, session.WorkspaceId, false);
        using (var gated = await api.GetAsync("/api/v1/usage", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, gated.StatusCode);
            var problem = await gated.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("api.feature_required", problem.GetProperty("code").GetString());
            Assert.Equal("api_access", problem.GetProperty("feature").GetString());
            Assert.Equal("/app/billing", problem.GetProperty("upgradeUrl").GetString());
        }

        await GrantApiAccessAsync(app, session.WorkspaceId, true);

        var list = await session.Client.GetStringAsync("/app/settings/api-keys", Ct);
        Assert.Contains(key[..12], list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.Contains("data-confirm=", list, StringComparison.Ordinal);
        var keyId = KeyRow().Match(list).Groups[1].Value;

        using var revoked = await session.PostFormAsync("/app/settings/api-keys?handler=Revoke", new() { ["keyId"] = keyId }, "/app/settings/api-keys");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);

        using var after = await api.GetAsync("/api/v1/usage", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Invitation_MailedAcceptedThenRemoved_MemberSeesWorkspaceThenLosesAccess(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var owner = await BrowserSession.SignUpAsync(app, language: "zh-CN", displayName: "Owner Lin");
        using var member = await BrowserSession.SignUpAsync(app, displayName: "Member Mo");
        await GrantApiAccessAsync(app, owner.WorkspaceId, true);
        using var ownerApi = BearerClient(app, await CreateKeyThroughPageAsync(owner, "catalog"));
        await ApiTestHelpers.CreateProductAsync(ownerApi, "TEAM-1", "Shared teapot");

        using (var invited = await owner.PostFormAsync("/app/settings/team?handler=Invite", new() { ["email"] = member.Email, ["role"] = "Editor" }, "/app/settings/team"))
        {
            Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        }

        var team = await owner.Client.GetStringAsync("/app/settings/team", Ct);
        Assert.Contains(member.Email, team, StringComparison.Ordinal);
        Assert.Contains("data-invitation=", team, StringComparison.Ordinal);

        var (subject, link) = InvitationMail(app.DataDirectory, member.Email);
        Assert.Contains("Owner Lin 邀请您加入", subject, StringComparison.Ordinal);
        Assert.Equal("/account/accept-invitation", link.AbsolutePath);
        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;

        using (var anonymous = app.CreateBrowserClient())
        {
            var signedOut = await anonymous.GetStringAsync(link.PathAndQuery, Ct);
            Assert.Contains("id=\"invitation-sign-in\"", signedOut, StringComparison.Ordinal);
            Assert.Contains("returnUrl=" + Uri.EscapeDataString(link.PathAndQuery), signedOut, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("TEAM-1", await member.Client.GetStringAsync("/api/v1/products", Ct), StringComparison.Ordinal);
        using (var accepted = await member.PostFormAsync("/account/accept-invitation", new() { ["token"] = token }, link.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.Equal("/app/dashboard", accepted.Headers.Location?.OriginalString);
        }

        Assert.Contains("TEAM-1", await member.Client.GetStringAsync("/api/v1/products", Ct), StringComparison.Ordinal);
        Assert.Contains("data-count=\"products\">1<", await member.Client.GetStringAsync("/app/dashboard", Ct), StringComparison.Ordinal);
        var settings = await member.Client.GetStringAsync("/app/settings", Ct);
        Assert.Contains($"data-workspace=\"{owner.WorkspaceId}\"", settings, StringComparison.Ordinal);
        Assert.Contains($"data-workspace=\"{member.WorkspaceId}\"", settings, StringComparison.Ordinal);
        Assert.Contains($"data-member=\"{member.UserId}\" data-role=\"Editor\"", await owner.Client.GetStringAsync("/app/settings/team", Ct), StringComparison.Ordinal);

        // The member (Editor) may not remove the Owner; the page shows the refusal.
        using (var refused = await member.PostFormAsync("/app/settings/team?handler=Remove", new() { ["userId"] = owner.UserId.ToString() }, "/app/settings/team"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var removed = await owner.PostFormAsync("/app/settings/team?handler=Remove", new() { ["userId"] = member.UserId.ToString() }, "/app/settings/team"))
        {
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        }

        // The very next request of the removed member no longer reaches the owner's workspace.
        Assert.DoesNotContain("TEAM-1", await member.Client.GetStringAsync("/api/v1/products", Ct), StringComparison.Ordinal);
        Assert.Contains("data-count=\"products\">0<", await member.Client.GetStringAsync("/app/dashboard", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain($"data-member=\"{member.UserId}\"", await owner.Client.GetStringAsync("/app/settings/team", Ct), StringComparison.Ordinal);
        using var reuse = await member.PostFormAsync("/account/accept-invitation", new() { ["token"] = token }, link.PathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SwitchWorkspace_OnlyToOwnMemberships(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        using var stranger = await BrowserSession.SignUpAsync(app);

        using var foreign = await session.PostFormAsync("/app/settings?handler=Switch", new() { ["workspaceId"] = stranger.WorkspaceId.ToString() }, "/app/settings");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(foreign.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("__Host-cos-ws=", StringComparison.Ordinal)));

        using var own = await session.PostFormAsync("/app/settings?handler=Switch", new() { ["workspaceId"] = session.WorkspaceId.ToString() }, "/app/settings");
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        var cookie = Assert.Single(own.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-cos-ws=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChangeEmail_LinkFromMail_ConfirmsOnPostAndLanguageAppliesAtOnce(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        var newEmail = $"moved-{Guid.NewGuid():N}@example.com";

        using (var requested = await session.PostFormAsync("/app/settings/security?handler=Email", new() { ["newEmail"] = newEmail }, "/app/settings/security"))
        {
            Assert.Equal("/app/settings/security?done=email", requested.Headers.Location?.OriginalString);
        }

        var link = MailLink(app.DataDirectory, newEmail, "/account/confirm-email-change");
        var page = await session.Client.GetStringAsync(link.PathAndQuery, Ct);
        Assert.Contains("id=\"confirm-email-change\"", page, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(app, db => db.Users.CountAsync(u => u.Email == session.Email, Ct)));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        using (var confirmed = await session.PostFormAsync("/account/confirm-email-change",
            new() { ["userId"] = query["userId"]!, ["email"] = query["email"]!, ["token"] = query["token"]! }, link.PathAndQuery))
        {
            Assert.Contains("id=\"email-change-confirmed\"", await confirmed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var saved = await session.PostFormAsync("/app/settings?handler=Profile", new() { ["DisplayName"] = "林小姐", ["PreferredLanguage"] = "zh-CN" }, "/app/settings"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var chinese = await session.Client.GetStringAsync("/app/settings?done=profile", Ct);
        Assert.Contains("设置已保存", chinese, StringComparison.Ordinal);
        Assert.Contains("value=\"林小姐\"", chinese, StringComparison.Ordinal);

        // Signing in elsewhere ends this session (one session per account), so it comes last.
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(app, newEmail, BrowserSession.DefaultPassword));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInStatusAsync(app, session.Email, BrowserSession.DefaultPassword));
    }

    [Fact]
    public async Task SettingsPages_HaveNoInlineScriptsOrStyles()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await GrantApiAccessAsync(app, session.WorkspaceId, true);
        await CreateKeyThroughPageAsync(session, "csp");

        foreach (var path in new[] { "/app/settings", "/app/settings/security", "/app/settings/api-keys", "/app/settings/team", "/app/settings/language",
                     "/account/reauthenticate", "/account/accept-invitation?token=x", "/account/confirm-email-change?userId=" + session.UserId })
        {
            using var response = await session.Client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("<style[\\s>]", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        }
    }

    private static async Task<string> CreateKeyThroughPageAsync(BrowserSession session, string name)
    {
        using var created = await session.PostFormAsync("/app/settings/api-keys?handler=Create", new() { ["name"] = name }, "/app/settings/api-keys");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var match = ApiKey().Match(await created.Content.ReadAsStringAsync(Ct));
        Assert.True(match.Success, "The created key is not on the page.");
        return match.Value;
    }

    private static async Task GrantApiAccessAsync(AppFactory app, Guid workspaceId, bool granted)
    {
        await using var db = app.Database.CreateContext();
        await ApiTenants.GrantApiAccessAsync(db, workspaceId, granted);
    }

    private static HttpClient BearerClient(AppFactory app, string key)
    {
        var client = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<HttpStatusCode> SignInStatusAsync(AppFactory app, string email, string password)
    {
        using var client = app.CreateBrowserClient();
        var html = await client.GetStringAsync("/account/login", Ct);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }), Ct);
        return response.StatusCode;
    }

    private static async Task<int> CountAsync(AppFactory app, Func<AppDbContext, Task<int>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static (string Subject, Uri Link) InvitationMail(string dataDirectory, string to)
    {
        var message = PickupMessages(dataDirectory, to).Single(m => (m.TextBody ?? "").Contains(InvitationTokens.AcceptPath, StringComparison.Ordinal));
        return (message.Subject ?? "", new Uri(Link().Match(message.TextBody ?? "").Value));
    }

    private static Uri MailLink(string dataDirectory, string to, string path)
    {
        var message = PickupMessages(dataDirectory, to).Single(m => (m.TextBody ?? "").Contains(path, StringComparison.Ordinal));
        return new Uri(Link().Matches(message.TextBody ?? "").Single(m => m.Value.Contains(path, StringComparison.Ordinal)).Value);
    }

    private static IEnumerable<MimeKit.MimeMessage> PickupMessages(string dataDirectory, string to) =>
        Directory.EnumerateFiles(Path.Combine(dataDirectory, "mail", "pickup"), "*.eml")
            .Select(file => MimeKit.MimeMessage.Load(file))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)));

    [GeneratedRegex("cos_[A-Za-z0-9_-]{43}")]
    private static partial Regex ApiKey();

    [GeneratedRegex("data-key=\"([0-9a-f-]{36})\"")]
    private static partial Regex KeyRow();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
