using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace CommerceOS.BrowserTests;

/// <summary>Debian's Chromium driven by Playwright (no browser download: the system binary is used).</summary>
public static partial class Browsers
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath) || Environment.GetEnvironmentVariable("CI") == "true",
            "Chromium is not installed (./dev.sh setup installs it).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// A page in a fresh context on the server, in English, with a generous timeout (the machine is shared with image
    /// tests whose libvips work takes every core), and the Content Security Policy violations the console reports.
    /// </summary>
    public static async Task<(IPage Page, List<string> CspViolations)> NewPageAsync(IBrowser browser, ServerProcess server)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), Locale = "en-US" });
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(message.Text);
            }
        };
        return (page, cspViolations);
    }

    /// <summary>
    /// A new seller registers (<paramref name="prefix"/>-…@example.com), confirms the e-mail and signs in: the page ends on
    /// the dashboard. Returns the e-mail address.
    /// </summary>
    public static async Task<string> SignUpAsync(IPage page, ServerProcess server, string prefix, string displayName)
    {
        const string password = "amber canyon teapot 2026";
        await page.GotoAsync("/account/register");
        var email = $"{prefix}-{Guid.NewGuid():N}@example.com";
        await page.FillAsync("#email", email);
        await page.FillAsync("#displayName", displayName);
        await page.FillAsync("#password", password);
        await page.FillAsync("#dob", "1990-05-01");
        await page.CheckAsync("#legal");
        await page.ClickAsync("#register-submit");
        await page.WaitForSelectorAsync("#check-email");
        await page.GotoAsync(ConfirmationLink(server.DataDirectory));
        await page.ClickAsync("#confirm-email");
        await page.WaitForSelectorAsync("#email-confirmed");
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-submit");
        await DashboardAsync(page);
        return email;
    }

    /// <summary>
    /// Waits for the dashboard after sign-in by its content, not its load event: twice in CI the wait for the load event
    /// after the login POST's redirect ran out its 90 s with the network already idle.
    /// </summary>
    public static async Task DashboardAsync(IPage page)
    {
        await page.WaitForURLAsync("**/app/dashboard", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync("#dashboard-counts");
    }

    /// <summary>
    /// Moves the seller's workspace to a paid plan (<c>creator</c>) in the server's SQLite file: a new account starts on
    /// the free one and no page changes plans yet.
    /// </summary>
    public static async Task SetPlanAsync(ServerProcess server, string email, string planCode)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "commerceos.db")};Default Timeout=30");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE "Subscriptions" SET "PlanCode" = $plan
            WHERE "WorkspaceId" IN (SELECT "DefaultWorkspaceId" FROM "AspNetUsers" WHERE "Email" = $email)
            """;
        command.Parameters.AddWithValue("$plan", planCode);
        command.Parameters.AddWithValue("$email", email);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The e-mail confirmation link from the only message in the server's pickup folder.</summary>
    public static string ConfirmationLink(string dataDirectory)
    {
        var file = Directory.EnumerateFiles(Path.Combine(dataDirectory, "mail", "pickup"), "*.eml").Single();
        var match = ConfirmLink().Match(File.ReadAllText(file).Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal));
        Assert.True(match.Success, "no confirmation link in the e-mail");
        return match.Value.Replace("=3D", "=", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/account/confirm-email\?[^\s""<>]+")]
    private static partial Regex ConfirmLink();

    /// <summary>Screenshots are kept as test artifacts under TestResults/screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
