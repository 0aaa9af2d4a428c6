using System.Net;
using CommerceOS.Core.Accounts;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Accounts;

public sealed class SignInProtectionTests
{
    [Fact]
    public async Task Login_AfterFiveWrongPasswords_LocksTheAccountEvenForTheRightOne()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        using var attacker = app.CreateBrowserClient();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await PostLoginAsync(attacker, session.Email, "wrong password " + attempt);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using var right = await PostLoginAsync(attacker, session.Email, BrowserSession.DefaultPassword);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_BeyondTheAddressLimit_Answers429WithRetryAfterAndNoPasswordCheck()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:AuthPerMinute"] = "3" });
        var hasher = new CountingHasher();
        using var client = app.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IPasswordHasher<AppUser>>(hasher))).CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var response = await PostLoginAsync(client, "nobody@example.com", "some password here");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null || response.Headers.Contains("Retry-After"));
            }
        }

        // The login page GET and POST share the budget: three requests pass, the rest are refused.
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var verificationsBefore = hasher.Verifications;
        using var refused = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "nobody@example.com", ["Password"] = "some password here",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(verificationsBefore, hasher.Verifications);
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetAsync("/account/login", TestContext.Current.CancellationToken);
        if (page.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return page;
        }

        var token = System.Text.RegularExpressions.Regex.Match(
            await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        page.Dispose();
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }), TestContext.Current.CancellationToken);
    }

    private sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(AppUser user, string password) => "x";

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return PasswordVerificationResult.Failed;
        }
    }
}
