using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommerceOS.Core.Publishing;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Tests.Publishing;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommerceOS.Tests.Security;

/// <summary>
/// Test-plan row A7 (privacy policy section 5, encryption at rest): a marketplace token connected through the API appears
/// nowhere in plain text in a dump of the whole database (every table, Hangfire's included: <c>pg_dump</c>, or the SQLite
/// file with its write-ahead log), and still decrypts after the Data Protection keys are rotated.
/// </summary>
public sealed class SecretsAtRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AConnectedToken_IsInNoDatabaseDump_AndDecryptsAfterKeyRotation(DatabaseKind kind)
    {
        var publisher = new ScriptedPublisher();
        await using var app = await PublishingWorld.StartAsync(publisher, kind);
        using var tenant = await app.CreateApiTenantAsync();
        var canary = $"tok_CANARY_{Guid.NewGuid():N}";
        using (var connected = await tenant.Client.PostAsJsonAsync("/api/v1/connections",
            new { platform = "shopify", name = "Main store", credentials = new Dictionary<string, string> { ["shop"] = "acme", ["access_token"] = canary } }, Ct))
        {
            Assert.True(connected.StatusCode == HttpStatusCode.Created, await connected.Content.ReadAsStringAsync(Ct));
            Assert.DoesNotContain(canary, await connected.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var dump = kind == DatabaseKind.Sqlite ? await SqliteDumpAsync(app) : await PgDumpAsync(app);
        Assert.True(dump.Length > 10_000, "The dump holds the database.");
        Assert.Contains("MarketplaceConnections", Encoding.UTF8.GetString(dump), StringComparison.Ordinal);
        Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)));
        Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.Unicode.GetBytes(canary)));
        Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(canary))[..20])));

        // Rotation: a new default key; the token written under the old one still opens, and new writes use the new key.
        var keys = app.Services.GetRequiredService<IKeyManager>();
        var before = keys.GetAllKeys().Count;
        var now = TimeProvider.System.GetUtcNow();
        keys.CreateNewKey(now.AddSeconds(-1), now.AddDays(90));
        Assert.Equal(before + 1, keys.GetAllKeys().Count);
        await using var db = app.Database.CreateContext(tenant.WorkspaceId);
        var row = await db.MarketplaceConnections.SingleAsync(Ct);
        var secrets = app.Services.GetRequiredService<ConnectionSecrets>();
        Assert.Equal(canary, secrets.Unprotect(row)!["access_token"]);
        Assert.Equal(before + 1, await db.DataProtectionKeys.CountAsync(Ct));
    }

    private static async Task<byte[]> SqliteDumpAsync(AppFactory app)
    {
        var file = new SqliteConnectionStringBuilder(app.Database.ConnectionString).DataSource;
        using var dump = new MemoryStream();
        foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await stream.CopyToAsync(dump, Ct);
        }

        return dump.ToArray();
    }

    private static async Task<byte[]> PgDumpAsync(AppFactory app)
    {
        var settings = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString);
        var start = new ProcessStartInfo(PgDump())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-h", settings.Host!, "-p", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", settings.Username!, "-d", settings.Database!, "--no-owner" },
        };
        start.Environment["PGPASSWORD"] = settings.Password ?? "";
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        await copy;
        Assert.True(process.ExitCode == 0, await errors);
        return output.ToArray();
    }

    /// <summary>The newest server package's own pg_dump (as scripts/postgres-throwaway.sh finds initdb), else the one on the path.</summary>
    private static string PgDump() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin", "pg_dump")) : [])
            .Append("/usr/bin/pg_dump")
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pg_dump is not installed (package postgresql-client).");
}
