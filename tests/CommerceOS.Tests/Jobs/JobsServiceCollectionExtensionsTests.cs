using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CommerceOS.Tests.Jobs;

public sealed class JobsServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(JobsRoles.Web)]
    [InlineData(JobsRoles.Worker)]
    public void AddJobs_SplitRoleOnSqlite_ThrowsBecauseInMemoryStorageIsNotShared(string role)
    {
        var configuration = Configuration(DatabaseOptions.Sqlite);

        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddJobs(configuration, role));
    }

    [Fact]
    public void AddJobs_UnknownRole_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddJobs(Configuration(DatabaseOptions.Sqlite), "both"));
    }

    [Theory]
    [InlineData(JobsRoles.All, 2)]
    [InlineData(JobsRoles.Web, 1)]
    [InlineData(JobsRoles.Worker, 2)]
    public void AddJobs_Role_AddsHangfireServerOnlyWhereJobsRun(string role, int hostedServices)
    {
        var services = new ServiceCollection().AddJobs(Configuration(DatabaseOptions.Postgres), role);

        Assert.Equal(hostedServices, services.Count(d => d.ServiceType == typeof(IHostedService)));
    }

    [Fact]
    public void AddJobs_Sqlite_UsesOwnInMemoryStorageNotTheGlobalOne()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TimeProvider.System);
        services.AddJobs(Configuration(DatabaseOptions.Sqlite));
        using var first = services.BuildServiceProvider();
        using var second = services.BuildServiceProvider();

        var storage = first.GetRequiredService<JobStorage>();

        Assert.IsType<InMemoryStorage>(storage);
        Assert.NotSame(storage, second.GetRequiredService<JobStorage>());
    }

    private static IConfiguration Configuration(string provider) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = provider == DatabaseOptions.Postgres ? "Host=127.0.0.1;Database=unused" : "Data Source=unused.db",
        })
        .Build();
}
