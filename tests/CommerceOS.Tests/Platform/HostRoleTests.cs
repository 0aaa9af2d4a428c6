using System.Net;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Platform;

public sealed class HostRoleTests
{
    [Fact]
    public async Task WorkerRole_ServesHealthButNoPagesOrApi()
    {
        // Separate web and worker processes need shared Hangfire storage, i.e. PostgreSQL.
        await using var app = await AppFactory.StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Role"] = "worker" });
        using var client = app.CreateBrowserClient();

        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var pricing = await client.GetAsync("/pricing", TestContext.Current.CancellationToken);
        using var api = await client.GetAsync("/api/v1/usage", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pricing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task SeparateRoles_WithSqlite_AreRefusedAtStart()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Role"] = "web" });
        });

        Assert.Contains("postgres", failure.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
