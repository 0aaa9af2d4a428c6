using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire's tables live in this PostgreSQL schema, apart from CommerceOS's own.</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Registers durable jobs: <see cref="IJobScheduler"/>, the outbox dispatcher and its
    /// SaveChanges signal, <see cref="JobRunner"/>, the recovery sweep, the usage ledger
    /// (<see cref="UsageServiceCollectionExtensions.AddUsage"/>) and Hangfire.
    /// <para>
    /// Storage follows <c>Database:Provider</c>. With <c>postgres</c> Hangfire uses the same database
    /// (schema <c>hangfire</c>, sliding invisibility timeout of 5 minutes, so a killed worker's job
    /// is redelivered within minutes rather than after the 30-minute default). With <c>sqlite</c> it
    /// uses Hangfire.InMemory: Hangfire's queue is then lost on restart, which is safe only because
    /// CommerceOS's job rows are the durable state and <see cref="JobRecoverySweep"/> re-enqueues
    /// every queued or lease-expired row at start-up and every 30 seconds. For the same reason the
    /// in-memory storage cannot be shared between processes, so SQLite requires role <c>all</c>.
    /// </para>
    /// <para>
    /// <paramref name="role"/>: <c>all</c> (default; web and Hangfire server in one process),
    /// <c>web</c> (schedules and dispatches, no server) or <c>worker</c> (Hangfire server).
    /// Needs <c>AddDatabase</c>. Handlers are added with <see cref="AddJobHandler{THandler}"/>.
    /// </para>
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, string role = JobsRoles.All)
    {
        if (role is not (JobsRoles.All or JobsRoles.Web or JobsRoles.Worker))
        {
            throw new ArgumentException($"Unknown jobs role '{role}'. Use 'all', 'web' or 'worker'.", nameof(role));
        }

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider == DatabaseOptions.Sqlite && role != JobsRoles.All)
        {
            throw new InvalidOperationException(
                $"Jobs role '{role}' needs shared Hangfire storage: use Database:Provider 'postgres', or role 'all' with SQLite.");
        }

        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .Validate(o => o.WorkerCount > 0, "Jobs:WorkerCount must be positive.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(3), "Jobs:LeaseDuration must be at least 3 seconds.")
            .Validate(o => o.ProgressInterval > TimeSpan.Zero && o.ProgressInterval < o.LeaseDuration / 3, "Jobs:ProgressInterval must be positive and below a third of the lease.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay, "Jobs:RetryBaseDelay must be positive and not above Jobs:RetryMaxDelay.")
            .Validate(o => o.RecoveryGracePeriod >= TimeSpan.Zero, "Jobs:RecoveryGracePeriod must not be negative.")
            .Validate(o => o.FinishedRetention > TimeSpan.Zero, "Jobs:FinishedRetention must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddUsage(configuration);

        services.AddScoped<IJobScheduler, JobScheduler>();
        services.AddSingleton<JobDispatchSignal>();
        services.AddSingleton<IJobDispatchSignal>(sp => sp.GetRequiredService<JobDispatchSignal>());
        services.AddSingleton<OutboxSignalInterceptor>();
        services.ConfigureDbContext<AppDbContext>((sp, builder) => builder.AddInterceptors(sp.GetRequiredService<OutboxSignalInterceptor>()));
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<JobRecoverySweep>();
        services.AddScoped<JobCancellation>();
        services.AddScoped<CancelJob>();
        services.AddScoped<JobRetention>();
        services.AddScoped<JobSweeps>();
        services.AddTransient<JobRunner>();

        // Storage and activator are this container's own (registered before AddHangfire, whose
        // TryAdd keeps them), not Hangfire's process-wide JobStorage.Current / JobActivator.Current.
        services.AddSingleton<JobStorage>(sp => CreateStorage(database, sp.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (JobsRoles.RunsServer(role))
        {
            services.AddHangfireServer((sp, server) =>
            {
                var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.Queues = [.. JobQueues.ServerOrder];
                server.SchedulePollingInterval = jobs.SchedulePollingInterval;
            });
        }

        services.AddSingleton(new JobsRole(role));
        services.AddHostedService<JobsHostedService>();
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> (scoped) as the <see cref="IJobHandler"/> for
    /// <paramref name="kind"/>, which must equal the handler's <see cref="IJobHandler.Kind"/>.
    /// </summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string kind)
        where THandler : class, IJobHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        services.TryAddScoped<THandler>();
        services.AddKeyedScoped<IJobHandler>(kind, (sp, _) =>
        {
            var handler = sp.GetRequiredService<THandler>();
            return handler.Kind == kind
                ? handler
                : throw new InvalidOperationException($"{typeof(THandler).Name} handles '{handler.Kind}', not '{kind}'.");
        });
        return services;
    }

#pragma warning disable CA1859 // Either storage is returned; the declared type is the common base.
    private static JobStorage CreateStorage(DatabaseOptions database, JobsOptions jobs)
    {
        if (database.Provider == DatabaseOptions.Postgres)
        {
            var connectionString = database.ConnectionString is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException("Database:ConnectionString is required for the Hangfire PostgreSQL storage.");
            var storageOptions = new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSchema,
                PrepareSchemaIfNecessary = true,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
                QueuePollInterval = jobs.QueuePollInterval,
                EnableLongPolling = true,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
        }

        return new InMemoryStorage(new InMemoryStorageOptions());
    }
#pragma warning restore CA1859
}
