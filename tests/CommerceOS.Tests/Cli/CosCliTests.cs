using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Cli;

public sealed class CosCliTests
{
    private const string Email = "seller@example.com";
    private const string Password = "correct horse battery staple 42";
    private const string NormalizedEmail = "SELLER@EXAMPLE.COM";

    private static readonly StringCatalog Strings = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The English text the CLI must print for a code (from the same resources the web uses).</summary>
    private static string English(string code, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, Strings.Find(code, CultureInfo.GetCultureInfo("en")) ?? throw new InvalidOperationException(code), args);

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UserCreate_ThenApiKeyAndImport_KeyWorksAgainstApiAndValidRowsStored(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);

        var created = await cli.RunAsync("user", "create", "--email", Email, "--password", Password, "--name", "Mei Chen", "--language", "zh-CN", "--admin");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("18 or older", created.Output, StringComparison.Ordinal);
        Assert.Contains(LegalDocuments.TermsVersion, created.Output, StringComparison.Ordinal);
        Guid userId;
        Guid workspaceId;
        await using (var db = cli.Database.CreateContext())
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == NormalizedEmail, Ct);
            Assert.True(user.EmailConfirmed);
            Assert.True(user.IsAdmin);
            Assert.Equal("Mei Chen", user.DisplayName);
            Assert.Equal(SupportedLanguages.Chinese, user.PreferredLanguage);
            userId = user.Id;
            workspaceId = user.DefaultWorkspaceId ?? throw new InvalidOperationException("No workspace.");
            var consents = await db.ConsentRecords.Where(c => c.UserId == userId && c.Granted).Select(c => c.Purpose).ToListAsync(Ct);
            Assert.Equal([ConsentPurposes.AgeOver18, ConsentPurposes.Privacy, ConsentPurposes.Terms], consents.Order(StringComparer.Ordinal));
        }

        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            var subscription = await db.Subscriptions.SingleAsync(Ct);
            Assert.Equal(PlanCatalog.Starter, subscription.PlanCode);
            Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        }

        // A Starter workspace has no API access: refused, no key made, until the operator grants it.
        var refused = await cli.RunAsync("apikey", "create", "--email", Email, "--name", "import bot");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("API access is part of the Enterprise plan", refused.Error, StringComparison.Ordinal);
        Assert.Empty(refused.Output);
        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            Assert.Equal(0, await db.ApiKeys.CountAsync(Ct));
        }

        var key = await cli.RunAsync("apikey", "create", "--email", Email, "--name", "import bot", "--grant-api-access");

        Assert.True(key.ExitCode == 0, key.Error);
        var plaintext = key.Output.TrimEnd('\r', '\n');
        Assert.Matches("^cos_[A-Za-z0-9_-]+$", plaintext);
        Assert.Equal(plaintext + Environment.NewLine, key.Output);
        await using (var db = cli.Database.CreateContext())
        {
            var principal = await new ApiKeyAuthenticator(db, TimeProvider.System).FindAsync(plaintext, Ct);
            Assert.NotNull(principal);
            Assert.Equal(userId, principal.UserId);
            Assert.Equal(workspaceId, principal.WorkspaceId);
        }

        var csv = cli.WriteFile("products.csv",
            "sku,title,variant_sku,price,currency,stock\n"
            + "CLI-1,Ceramic mug,CLI-1-W,12.50,USD,4\n"
            + "CLI-2,,CLI-2-B,3.00,USD,1\n"
            + "CLI-3,陶瓷杯,CLI-3-R,88,CNY,2\n");
        var imported = await cli.RunAsync("products", "import", csv, "--email", Email, "--mode", "create");

        Assert.Equal(1, imported.ExitCode);
        Assert.Contains("products created 2, updated 0, failed 1", imported.Output, StringComparison.Ordinal);
        Assert.Contains($"row 3 (SKU CLI-2): title: {English("catalog.title_required")} [catalog.title_required]", imported.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("row 2", imported.Output, StringComparison.Ordinal);
        await using (var db = cli.Database.CreateContext(workspaceId))
        {
            var skus = await db.Products.OrderBy(p => p.Sku).Select(p => p.Sku).ToListAsync(Ct);
            Assert.Equal(["CLI-1", "CLI-3"], skus);
            var mug = await db.Products.Include(p => p.Variants).SingleAsync(p => p.Sku == "CLI-1", Ct);
            Assert.Equal(1250, Assert.Single(mug.Variants).PriceMinor);
        }

        // The printed key authenticates against the real API on the same database, and sees the imported rows.
        await using var app = await AppFactory.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = cli.Database.ConnectionString,
        });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using (var anonymous = await client.GetAsync(new Uri("/api/v1/products", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", plaintext);
        using var listed = await client.GetAsync(new Uri("/api/v1/products", UriKind.Relative), Ct);
        var body = await listed.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("\"CLI-1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"CLI-3\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"CLI-2\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UserCreate_InvalidInput_EnglishErrorsExitOneNothingStored(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);

        var run = await cli.RunAsync("user", "create", "--email", "not-an-address", "--password", "short", "--language", "fr", "--region", "mars");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains($"error: {English(AccountErrors.EmailInvalid)} [{AccountErrors.EmailInvalid}]", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{English(AccountErrors.PasswordTooShort, PasswordPolicy.MinimumLength)} [{AccountErrors.PasswordTooShort}]", run.Error, StringComparison.Ordinal);
        Assert.Contains($"[{AccountErrors.LanguageUnsupported}]", run.Error, StringComparison.Ordinal);
        Assert.Contains($"[{AccountErrors.DataRegionUnsupported}]", run.Error, StringComparison.Ordinal);
        await using var db = cli.Database.CreateContext();
        Assert.Equal(0, await db.Users.CountAsync(Ct));
        Assert.Equal(0, await db.Workspaces.CountAsync(Ct));
        Assert.Equal(0, await db.ConsentRecords.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UserCreate_ExistingEmail_RefusedWithoutMailOrRows(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);
        Assert.Equal(0, (await cli.RunAsync("user", "create", "--email", Email, "--password", Password)).ExitCode);
        var mailsBefore = CountMails(cli);
        Assert.Equal(1, mailsBefore); // the verification e-mail of the first creation
        int workspacesBefore;
        await using (var db = cli.Database.CreateContext())
        {
            workspacesBefore = await db.Workspaces.CountAsync(Ct);
        }

        var again = await cli.RunAsync("user", "create", "--email", "Seller@Example.com ", "--password", Password + " other", "--admin");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("[cli.email_taken]", again.Error, StringComparison.Ordinal);
        Assert.Equal(mailsBefore, CountMails(cli));
        await using (var db = cli.Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(Ct);
            Assert.False(user.IsAdmin);
            Assert.Equal(workspacesBefore, await db.Workspaces.CountAsync(Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ApiKeyCreate_UnknownUser_NoKeyPrintedExitOne(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);

        var run = await cli.RunAsync("apikey", "create", "--email", "nobody@example.com");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains(English("cli.user_not_found", "nobody@example.com"), run.Error, StringComparison.Ordinal);
        await using var db = cli.Database.CreateContext();
        Assert.Equal(0, await db.ApiKeys.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ProductsImport_RefusedOrMissingFile_ExitTwoNothingStored(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);
        Assert.Equal(0, (await cli.RunAsync("user", "create", "--email", Email, "--password", Password)).ExitCode);
        var refused = cli.WriteFile("bad.csv", "sku,name\nA-1,Mug\n");

        var badHeader = await cli.RunAsync("products", "import", refused, "--email", Email);
        var missing = await cli.RunAsync("products", "import", Path.Combine(cli.DataDirectory, "nope.csv"), "--email", Email);

        Assert.Equal(2, badHeader.ExitCode);
        Assert.Contains("[catalog.csv_unknown_column]", badHeader.Error, StringComparison.Ordinal);
        Assert.Contains("[catalog.csv_missing_column]", badHeader.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("[cli.file_not_found]", missing.Error, StringComparison.Ordinal);
        await using var db = cli.Database.CreateContext();
        var workspaceId = (await db.Users.SingleAsync(Ct)).DefaultWorkspaceId!.Value;
        await using var tenant = cli.Database.CreateContext(workspaceId);
        Assert.Equal(0, await tenant.Products.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ProductsExport_AfterImportWithoutEmail_FileRoundTrips(DatabaseKind kind)
    {
        await using var cli = await CliHarness.CreateAsync(kind);
        Assert.Equal(0, (await cli.RunAsync("user", "create", "--email", Email, "--password", Password)).ExitCode);
        var csv = cli.WriteFile("in.csv",
            "sku,title,category,variant_sku,variant_options,price,currency,stock\n"
            + "TEE-1,\"Tee, cotton\",Fashion,TEE-1-S,Size=S,19.99,USD,3\n"
            + "TEE-1,\"Tee, cotton\",Fashion,TEE-1-M,Size=M,19.99,USD,5\n"
            + "CAP-1,Cap,Fashion,,,,,\n");

        // The only user of the installation: --email may be left out for import.
        var imported = await cli.RunAsync("products", "import", csv);
        var output = Path.Combine(cli.DataDirectory, "out.csv");
        var exported = await cli.RunAsync("products", "export", output, "--email", Email);

        Assert.True(imported.ExitCode == 0, imported.Output + imported.Error);
        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Contains("Exported 2 products (3 rows)", exported.Output, StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync(output, Ct)).Where(l => l.Length > 0).ToList();
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("sku,title,", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.StartsWith("CAP-1,Cap,", lines[1], StringComparison.Ordinal);
        Assert.Contains("TEE-1-S,Size=S,19.99,USD,3", lines[2], StringComparison.Ordinal);
        Assert.Contains("TEE-1-M,Size=M,19.99,USD,5", lines[3], StringComparison.Ordinal);
        Assert.False(File.Exists(output + ".partial"));

        // Importing the export again changes nothing and fails nothing.
        var again = await cli.RunAsync("products", "import", output, "--email", Email);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("products created 0, updated 2, failed 0", again.Output, StringComparison.Ordinal);
    }

    private static int CountMails(CliHarness cli)
    {
        var folder = Path.Combine(cli.DataDirectory, "mail");
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.eml", SearchOption.AllDirectories).Count() : 0;
    }
}
