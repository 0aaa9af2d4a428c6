using CommerceOS.Core.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "CommerceOS.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "CommerceOS.Migrations.Postgres";

    /// <summary>
    /// Registers <see cref="AppDbContext"/> for the configured provider, with its migrations
    /// assembly, and the scoped <see cref="WorkspaceContext"/> the tenant filters read.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddScoped<WorkspaceContext>();
        var connectionString = ResolveConnectionString(options, dataDirectory);
        services.AddDbContext<AppDbContext>(builder => Configure(builder, options.Provider, connectionString));
        return services;
    }

    public static string ResolveConnectionString(DatabaseOptions options, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        if (options.Provider == DatabaseOptions.Postgres)
        {
            throw new InvalidOperationException(
                "Database:Provider is 'postgres' but Database:ConnectionString is empty. Set it (e.g. Host=...;Database=...;Username=...;Password=...).");
        }

        Directory.CreateDirectory(dataDirectory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "commerceos.db"),
            // Private cache (the default), never Cache=Shared: in shared-cache mode concurrent requests get
            // SQLITE_LOCKED ("database table is locked"), which busy_timeout does not wait out, so parallel
            // uploads failed with 500s (found by the kill -9 recovery test). WAL + busy_timeout handle concurrency.
            DefaultTimeout = 30,
        }.ToString();
    }

    public static void Configure(DbContextOptionsBuilder builder, string provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseOptions.Postgres:
                builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            case DatabaseOptions.Sqlite:
                builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
                builder.AddInterceptors(SqlitePragmas.Instance);
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use 'sqlite' or 'postgres'.");
        }
    }
}
