using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommerceOS.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>The database matrix: every integration test runs once per provider.</summary>
public static class Databases
{
    public static TheoryData<DatabaseKind> All => [DatabaseKind.Sqlite, DatabaseKind.Postgres];

    /// <summary>Admin connection string of a PostgreSQL server the tests may create databases on.</summary>
    public static string? PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("COMMERCEOS_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
}

/// <summary>
/// A fresh database built from the real migrations. The first one of each kind is migrated and
/// kept as a template; later ones are copies (SQLite file copy, PostgreSQL <c>CREATE DATABASE ...
/// TEMPLATE</c>), so each test gets isolated data without re-running migrations. An unconfigured
/// PostgreSQL makes the test skipped, never passed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _sqliteTemplate;
    private static string? _postgresTemplate;

    private readonly string? _sqliteFile;
    private readonly string? _postgresName;

    private TestDatabase(DatabaseKind kind, string connectionString, string? sqliteFile, string? postgresName)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
        _postgresName = postgresName;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    public string Provider => Kind == DatabaseKind.Postgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        return kind switch
        {
            DatabaseKind.Sqlite => await CreateSqliteAsync(),
            DatabaseKind.Postgres => await CreatePostgresAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public AppDbContext CreateContext(Guid? workspaceId = null, WorkspaceRole role = WorkspaceRole.Owner)
    {
        var workspace = new WorkspaceContext();
        if (workspaceId is { } id)
        {
            workspace.Set(id, null, role);
        }

        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, Provider, ConnectionString);
        return new AppDbContext(builder.Options, workspace);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Databases.PostgresAdminConnectionString);
            await admin.OpenAsync();
            await using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string SqliteConnectionString(string file) => new SqliteConnectionStringBuilder
    {
        DataSource = file,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    private static async Task<TestDatabase> CreateSqliteAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "commerceos-tests");
        Directory.CreateDirectory(directory);
        await TemplateLock.WaitAsync();
        try
        {
            if (_sqliteTemplate is null)
            {
                var template = Path.Combine(directory, $"template-{Guid.NewGuid():N}.db");
                await MigrateAsync(DatabaseOptions.Sqlite, SqliteConnectionString(template));
                SqliteConnection.ClearAllPools();
                _sqliteTemplate = template;
            }
        }
        finally
        {
            TemplateLock.Release();
        }

        var file = Path.Combine(directory, $"{Guid.NewGuid():N}.db");
        File.Copy(_sqliteTemplate, file);
        return new TestDatabase(DatabaseKind.Sqlite, SqliteConnectionString(file), file, null);
    }

    private static async Task<TestDatabase> CreatePostgresAsync()
    {
        var adminConnectionString = Databases.PostgresAdminConnectionString;
        Assert.SkipWhen(adminConnectionString is null, "PostgreSQL is not configured: set COMMERCEOS_TEST_POSTGRES (CI does).");

        await TemplateLock.WaitAsync();
        try
        {
            if (_postgresTemplate is null)
            {
                var template = $"cos_template_{Guid.NewGuid():N}";
                await ExecuteAdminAsync(adminConnectionString!, $"CREATE DATABASE \"{template}\"");
                await MigrateAsync(DatabaseOptions.Postgres, WithDatabase(adminConnectionString!, template));
                NpgsqlConnection.ClearAllPools();
                _postgresTemplate = template;
            }
        }
        finally
        {
            TemplateLock.Release();
        }

        var name = $"cos_test_{Guid.NewGuid():N}";
        await ExecuteAdminAsync(adminConnectionString!, $"CREATE DATABASE \"{name}\" TEMPLATE \"{_postgresTemplate}\"");
        return new TestDatabase(DatabaseKind.Postgres, WithDatabase(adminConnectionString!, name), null, name);
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, MaxPoolSize = 60 }.ToString();

    private static async Task ExecuteAdminAsync(string connectionString, string sql)
    {
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task MigrateAsync(string provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, provider, connectionString);
        await using var context = new AppDbContext(builder.Options, new WorkspaceContext());
        await context.Database.MigrateAsync();
    }
}
