using System.Collections.Concurrent;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Jobs;

/// <summary>What the test handler does; shared by every execution of one harness.</summary>
public sealed class TestWork
{
    public ConcurrentDictionary<Guid, int> Executions { get; } = new();

    public Func<Job, IProgress<double>, CancellationToken, Task<string?>> Body { get; set; } =
        (job, _, _) => Task.FromResult<string?>($$"""{"done":"{{job.Id}}"}""");

    public int ExecutionsOf(Guid jobId) => Executions.GetValueOrDefault(jobId);
}

public sealed class TestJobHandler(TestWork work) : IJobHandler
{
    public const string JobKind = "tests.work";

    public string Kind => JobKind;

    public Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        work.Executions.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
        return work.Body(job, progress, cancellationToken);
    }
}

/// <summary>
/// The real <c>AddDatabase</c> + <c>AddJobs</c> wiring against a test database, with a
/// <see cref="FakeTimeProvider"/> and the test handler. Hangfire (in-memory storage on SQLite,
/// Hangfire.PostgreSql on PostgreSQL) only runs after <see cref="StartAsync"/>.
/// </summary>
public sealed class JobsHarness : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    private JobsHarness(TestDatabase database, ServiceProvider services, FakeTimeProvider time, TestWork work)
    {
        Database = database;
        Services = services;
        Time = time;
        Work = work;
    }

    public TestDatabase Database { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public TestWork Work { get; }

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public JobsOptions Options => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;

    public static JobsHarness Create(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Jobs:WorkerCount"] = "4",
            ["Jobs:SchedulePollingInterval"] = "00:00:01",
            ["Jobs:QueuePollInterval"] = "00:00:01",
            // The recurring outbox sweep must not hide a broken commit signal: yearly only.
            ["Jobs:OutboxSweepCron"] = "0 0 1 1 *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new FakeTimeProvider(new DateTimeOffset(TestWorkspaces.Epoch.AddDays(3)));
        var work = new TestWork();
        var services = new ServiceCollection();
        // Hangfire keeps its log provider in a process-wide static, taken from the last container
        // that configured it: a shared, never-disposed logger factory keeps parallel harnesses apart.
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(work);
        services.AddDatabase(configuration, Path.Combine(Path.GetTempPath(), "commerceos-tests"));
        services.AddJobs(configuration);
        services.AddJobHandler<TestJobHandler>(TestJobHandler.JobKind);
        return new JobsHarness(database, services.BuildServiceProvider(validateScopes: true), time, work);
    }

    /// <summary>Starts the Hangfire server and the jobs hosted service, as the web host would.</summary>
    public async Task StartAsync()
    {
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
            _started.Add(hosted);
        }
    }

    /// <summary>Schedules a job through the DI scope (as a request handler would) and commits it.</summary>
    public async Task<Guid> ScheduleAsync(Guid workspaceId, object? input = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
        var job = scheduler.Schedule(TestJobHandler.JobKind, workspaceId, input: input);
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        return job.Id;
    }

    public async Task<Job> LoadAsync(Guid jobId)
    {
        await using var context = Database.CreateContext();
#pragma warning disable RS0030 // Test inspection across workspaces.
        return await context.Jobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == jobId, TestContext.Current.CancellationToken);
#pragma warning restore RS0030
    }

    /// <summary>One delivery of the job, as Hangfire would make it.</summary>
    public Task RunAsync(Guid jobId) => RunUntilShutdownAsync(jobId, TestContext.Current.CancellationToken);

    /// <summary>One delivery whose token stands for the host's shutdown.</summary>
    public async Task RunUntilShutdownAsync(Guid jobId, CancellationToken shutdown)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JobRunner>().RunAsync(jobId, shutdown);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<ReserveResult> ReserveAsync(Guid workspaceId, Guid jobId, long units = 1) =>
        InScopeAsync(sp => sp.GetRequiredService<UsageLedger>().ReserveAsync(workspaceId, Meters.Images, units, jobId, TestContext.Current.CancellationToken));

    /// <summary>Polls (real time) until <paramref name="condition"/> holds on the job row.</summary>
    public async Task<Job> WaitForAsync(Guid jobId, Func<Job, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds;
        while (true)
        {
            var job = await LoadAsync(jobId);
            if (condition(job))
            {
                return job;
            }

            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Job {jobId} did not reach the expected state; it is {job.Status}, attempts {job.Attempts}, error '{job.LastError}'.");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_started))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
    }
}
