using System.Net;
using System.Text.RegularExpressions;
using CommerceOS.Core.Data;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Accounts;

/// <summary>The real sign-up flow through the pages: form, e-mail in the pickup folder, confirmation, sign-in.</summary>
public sealed partial class SignUpFlowTests
{
    private const string Password = "amber canyon teapot 2026";

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Register_ConfirmAndSignIn_OpensDashboardWithSecureCookie(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var client = app.CreateBrowserClient();
        var email = $"seller-{Guid.NewGuid():N}@example.com";

        using var registered = await PostFormAsync(client, "/account/register", new()
        {
            ["Email"] = email, ["DisplayName"] = "Lin Seller", ["Password"] = Password, ["PreferredLanguage"] = "zh-CN",
            ["DataRegion"] = "sg", ["DateOfBirth"] = "1990-05-01", ["AcceptedLegal"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);

        var link = ConfirmationLink(app.DataDirectory);
        using var confirmed = await PostFormAsync(client, link.PathAndQuery, new()
        {
            ["userId"] = System.Web.HttpUtility.ParseQueryString(link.Query)["userId"]!,
            ["token"] = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!,
        });
        Assert.Contains("email-confirmed", await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var signedIn = await PostFormAsync(client, "/account/login", new() { ["Email"] = email, ["Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-cos=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);

        var dashboard = await client.GetStringAsync("/app/dashboard", TestContext.Current.CancellationToken);
        // The saved language (中文) wins over the client's default.
        Assert.Contains("欢迎,Lin Seller", dashboard, StringComparison.Ordinal);
        Assert.Contains("data-meter=\"images\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("已用 0 / 5", dashboard, StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == email, TestContext.Current.CancellationToken);
        Assert.NotEqual(Password, user.PasswordHash);
        Assert.StartsWith("$2", user.PasswordHash, StringComparison.Ordinal);
        Assert.Equal("sg", (await db.Workspaces.SingleAsync(w => w.Id == user.DefaultWorkspaceId, TestContext.Current.CancellationToken)).DataRegion);
        Assert.Equal(3, await db.ConsentRecords.CountAsync(c => c.UserId == user.Id, TestContext.Current.CancellationToken));
    }

    /// <summary>Test-plan row P5: 17 years 364 days, missing and malformed dates are refused and nothing is kept; 18 years 0 days passes.</summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite, "2008-12-01", "You must be 18 or older")]
    [InlineData(DatabaseKind.Sqlite, "", "Please enter your date of birth")]
    [InlineData(DatabaseKind.Sqlite, "30/11/2008", "Please enter a valid date of birth")]
    [InlineData(DatabaseKind.Sqlite, "2008-02-30", "Please enter a valid date of birth")]
    [InlineData(DatabaseKind.Sqlite, "2030-01-01", "Please enter a valid date of birth")]
    [InlineData(DatabaseKind.Postgres, "2008-12-01", "You must be 18 or older")]
    [InlineData(DatabaseKind.Sqlite, "2008-11-30", null)]
    [InlineData(DatabaseKind.Postgres, "2008-11-30", null)]
    public async Task Register_AgeGate_RefusesUnder18MissingAndMalformed_AndKeepsNothing(DatabaseKind kind, string dateOfBirth, string? error)
    {
        // "Today" is 30 November 2026 (UTC): born 1 December 2008 is 17 years 364 days old, born 30 November 2008 is 18 today.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var app = await AppFactory.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateBrowserClient();

        using var response = await PostFormAsync(client, "/account/register", new()
        {
            ["Email"] = "young@example.com", ["DisplayName"] = "Young", ["Password"] = Password, ["PreferredLanguage"] = "en",
            ["DataRegion"] = "us", ["DateOfBirth"] = dateOfBirth, ["AcceptedLegal"] = "true",
        });

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var pickup = Path.Combine(app.DataDirectory, "mail", "pickup");
        var mails = Directory.Exists(pickup) ? Directory.EnumerateFiles(pickup, "*.eml").Count() : 0;
        if (error is null)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var user = await db.Users.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal(clock.GetUtcNow().UtcDateTime, user.AdultConfirmedAt);
            Assert.Equal(1, mails);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Workspaces.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.ConsentRecords.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, mails);
    }

    [Fact]
    public async Task AppPages_WithoutSession_RedirectToSignIn()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync("/app/dashboard", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    private static Uri ConfirmationLink(string dataDirectory)
    {
        var message = Directory.EnumerateFiles(Path.Combine(dataDirectory, "mail", "pickup"), "*.eml").Single();
        var mime = MimeKit.MimeMessage.Load(message);
        var match = Link().Match(mime.TextBody ?? mime.HtmlBody ?? "");
        Assert.True(match.Success, "The verification e-mail has no confirmation link.");
        return new Uri(match.Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex(@"https?://\S+/account/confirm-email\?\S+")]
    private static partial Regex Link();
}
