using System.Net;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Platform;

public sealed class PublicPagesTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Pricing_ShowsEveryPlanFromPlanData(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var client = app.CreateBrowserClient();

        var html = await client.GetStringAsync("/pricing?currency=CNY", TestContext.Current.CancellationToken);

        foreach (var plan in new[] { "starter", "creator", "business", "enterprise" })
        {
            Assert.Contains($"data-plan=\"{plan}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("¥59", html, StringComparison.Ordinal);
        Assert.Contains("¥199", html, StringComparison.Ordinal);
        // Annual: 59 x 0.67 = 39.53 -> ¥40 a month, ¥480 a year (product-scope.md A3).
        Assert.Contains("¥40", html, StringComparison.Ordinal);
        Assert.Contains("¥480", html, StringComparison.Ordinal);
        // A visitor signs up first; a signed-in seller goes to checkout in the currency shown; Enterprise is by contact.
        Assert.Contains("href=\"/account/register\" data-checkout=\"creator\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:hello@commerceos.ai", html, StringComparison.Ordinal);
        using var seller = await BrowserSession.SignUpAsync(app);
        var signedIn = await seller.Client.GetStringAsync("/pricing?currency=CNY", TestContext.Current.CancellationToken);
        Assert.Contains("href=\"/app/billing?currency=CNY\" data-checkout=\"business\"", signedIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_ServesThePolicyVerbatimInBothLanguages()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();
        var policy = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Features", "Legal", "privacy-policy.txt"), TestContext.Current.CancellationToken);

        var english = await GetAsync(client, "/privacy", "en-US");
        var chinese = await GetAsync(client, "/privacy", "zh-CN");

        Assert.Contains("Passwords are hashed using industry-standard algorithms (bcrypt).", english, StringComparison.Ordinal);
        Assert.DoesNotContain("隐私政策", ExtractLegal(english), StringComparison.Ordinal);
        Assert.Contains("密码使用行业标准算法(bcrypt)进行哈希处理。", chinese, StringComparison.Ordinal);
        Assert.Contains("Last updated: June 25, 2026", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShippedPolicy_IsTheProductsOwnPolicy()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "Features", "Legal", "privacy-policy.txt");
        var source = FindSharedPolicy();
        Assert.SkipWhen(source is null, "shared/seed/privacy-policy.txt is not beside the repository");

        Assert.Equal(await File.ReadAllTextAsync(source!, TestContext.Current.CancellationToken), await File.ReadAllTextAsync(shipped, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Terms_AreServedInTheRequestedLanguage()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();

        Assert.Contains("Acceptable use", await GetAsync(client, "/terms", "en"), StringComparison.Ordinal);
        Assert.Contains("可接受的使用", await GetAsync(client, "/terms", "zh-CN"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();

        foreach (var path in new[] { "/", "/pricing", "/privacy", "/does-not-exist", "/css/app.css" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains("max-age=31536000", string.Join(";", response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
            Assert.True(response.Headers.Contains("Referrer-Policy"));
            Assert.False(response.Headers.Contains("Server"));
        }
    }

    [Fact]
    public async Task UnknownRoute_IsProblemDetailsWithCode()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nothing-here");
        request.Headers.Add("Accept", "application/json");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"code\":\"common.not_found\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static async Task<string> GetAsync(HttpClient client, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept-Language", language);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static string ExtractLegal(string html)
    {
        var start = html.IndexOf("id=\"privacy-policy\"", StringComparison.Ordinal);
        return html[start..html.IndexOf("</pre>", start, StringComparison.Ordinal)];
    }

    private static string? FindSharedPolicy()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "seed", "privacy-policy.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
