using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Privacy policy 6 and 7 (security-privacy.md row P3 on the server side): essential cookies only until the visitor
/// chooses; analytics only with consent, redacted; withdrawal in one request stops it at once and forgets what was
/// collected; consent decisions are recorded with the policy version.
/// </summary>
public sealed class ConsentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Analytics_OnlyAfterConsent_AndWithdrawalStopsAndForgetsIt(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var browser = app.CreateBrowserClient();

        // Before any choice: the banner, no analytics script, no cookie but the antiforgery token, and nothing collected.
        using (var first = await browser.GetAsync("/pricing", Ct))
        {
            var html = await first.Content.ReadAsStringAsync(Ct);
            Assert.Contains("id=\"consent-banner\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("analytics.js", html, StringComparison.Ordinal);
            Assert.All(SetCookies(first), c => Assert.StartsWith("__Host-cos-af=", c, StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await CollectAsync(browser, "/pricing")).StatusCode);
        Assert.Equal(0, await PageViewsAsync(app));

        // One click accepts.
        using (var accepted = await ChooseAsync(browser, "/pricing", "accept"))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.Contains(SetCookies(accepted), c => c.StartsWith($"__Host-cos-consent={Uri.EscapeDataString(LegalDocuments.PrivacyVersion + ":1")};", StringComparison.Ordinal));
            Assert.Contains(SetCookies(accepted), c => c.StartsWith("__Host-cos-aid=", StringComparison.Ordinal));
        }

        var page = await browser.GetStringAsync("/pricing", Ct);
        Assert.Contains("analytics.js", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-banner\"", page, StringComparison.Ordinal);
        using (await CollectAsync(browser, "/app/products?q=secret+term", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148"))
        {
        }

        await using (var db = app.Database.CreateContext())
        {
            var view = await db.PageViews.SingleAsync(Ct);
            Assert.Equal(("/app/products", "other", "ios", "mobile"), (view.Path, view.Browser, view.OperatingSystem, view.Device));
            Assert.Null(view.UserId);
            Assert.DoesNotContain("127.0.0.1", view.Network ?? "", StringComparison.Ordinal);
        }

        // One click withdraws: the analytics cookie goes, what it collected goes, and nothing more is collected.
        using (var withdrawn = await ChooseAsync(browser, "/privacy/cookies", "reject"))
        {
            Assert.Contains(SetCookies(withdrawn), c => c.StartsWith("__Host-cos-aid=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(0, await PageViewsAsync(app));
        Assert.DoesNotContain("analytics.js", await browser.GetStringAsync("/pricing", Ct), StringComparison.Ordinal);
        using (await CollectAsync(browser, "/pricing"))
        {
        }

        Assert.Equal(0, await PageViewsAsync(app));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Consents_AreOptIn_RecordedWithThePolicyVersion_AndAWithdrawalStopsAnalyticsAtOnce(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        var initial = await session.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/consents", Ct);
        Assert.False(initial.GetProperty("analytics").GetBoolean());
        Assert.False(initial.GetProperty("qualityImprovement").GetBoolean());
        Assert.Equal(LegalDocuments.PrivacyVersion, initial.GetProperty("policyVersion").GetString());

        // Accepted in the banner while signed in: the browser and the account both say yes.
        using (await session.PostFormAsync("/consent", new() { ["analytics"] = "accept", ["returnUrl"] = "/app" }, "/pricing"))
        {
        }

        using (var put = await session.Client.PutAsJsonAsync("/api/v1/me/consents", new { qualityImprovement = true }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var again = await session.Client.PutAsJsonAsync("/api/v1/me/consents", new { analytics = true, qualityImprovement = true }, Ct))
        {
            var state = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(state.GetProperty("analytics").GetBoolean());
            Assert.True(state.GetProperty("qualityImprovement").GetBoolean());
            // Saying yes again records nothing new.
            Assert.Equal(2, state.GetProperty("history").GetArrayLength());
        }

        using (await CollectAsync(session.Client, "/app"))
        {
        }

        Assert.Equal(1, await PageViewsAsync(app));

        // Withdrawn through the API: the browser's earlier yes no longer counts, and the account's page views are gone.
        using (var withdrawn = await session.Client.PutAsJsonAsync("/api/v1/me/consents", new { analytics = false }, Ct))
        {
            var state = await withdrawn.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.False(state.GetProperty("analytics").GetBoolean());
            Assert.True(state.GetProperty("qualityImprovement").GetBoolean());
        }

        Assert.Equal(0, await PageViewsAsync(app));
        Assert.DoesNotContain("analytics.js", await session.Client.GetStringAsync("/app/dashboard", Ct), StringComparison.Ordinal);
        using (await CollectAsync(session.Client, "/app"))
        {
        }

        Assert.Equal(0, await PageViewsAsync(app));
        await using var db = app.Database.CreateContext();
        var records = await db.ConsentRecords.Where(c => c.UserId == session.UserId && (c.Purpose == ConsentPurposes.Analytics || c.Purpose == ConsentPurposes.QualityImprovement))
            .OrderBy(c => c.RecordedAt).ThenBy(c => c.Id).ToListAsync(Ct);
        Assert.Equal(
            [(ConsentPurposes.Analytics, true), (ConsentPurposes.QualityImprovement, true), (ConsentPurposes.Analytics, false)],
            records.Select(r => (r.Purpose, r.Granted)));
        Assert.All(records, r => Assert.Equal(LegalDocuments.PrivacyVersion, r.Version));
        Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == "privacy.consent_changed" && a.UserId == session.UserId, Ct));
    }

    [Fact]
    public async Task Consents_NeedASignedInUser()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var anonymous = app.CreateBrowserClient();

        using var get = await anonymous.GetAsync("/api/v1/me/consents", Ct);
        using var put = await anonymous.PutAsJsonAsync("/api/v1/me/consents", new { analytics = true }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
    }

    private static async Task<HttpResponseMessage> ChooseAsync(HttpClient browser, string page, string analytics)
    {
        var html = await browser.GetStringAsync(page, Ct);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await browser.PostAsync("/consent", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["analytics"] = analytics, ["returnUrl"] = page, ["__RequestVerificationToken"] = token,
        }), Ct);
    }

    private static async Task<HttpResponseMessage> CollectAsync(HttpClient browser, string path, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/analytics/collect") { Content = JsonContent.Create(new { path }) };
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return await browser.SendAsync(request, Ct);
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static async Task<int> PageViewsAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PageViews.CountAsync(Ct);
    }
}
