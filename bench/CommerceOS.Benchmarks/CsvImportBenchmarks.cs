using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Benchmarks;

/// <summary>
/// CSV import of 10,000 rows (2,500 products x 4 variants) into SQLite, against a peer in the same run:
/// the <c>sqlite3</c> command-line shell's <c>.import</c> of the very same file into a plain table (no
/// types, indexes, validation or variants table). The peer is the floor for "these bytes into a SQLite
/// file"; the ratio says what parsing, validation, brands, variants, indexes and EF cost on top.
/// Each iteration imports into a fresh database: a copy of one migrated template (the real migrations)
/// for CommerceOS, an empty file for sqlite3.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class CsvImportBenchmarks
{
    public const int Rows = 10_000;
    private const int VariantsPerProduct = 4;

    private string _folder = "";
    private string _csv = "";
    private string _template = "";
    private string _database = "";
    private Guid _workspaceId;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "commerceos-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _csv = Path.Combine(_folder, "products.csv");
        File.WriteAllText(_csv, MakeCsv(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        _template = Path.Combine(_folder, "template.db");
        _workspaceId = CreateTemplateAsync(_template).GetAwaiter().GetResult();
        _database = Path.Combine(_folder, "run.db");
    }

    [IterationSetup]
    public void FreshDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(_database + suffix);
        }
    }

    [IterationSetup(Target = nameof(CommerceOSImport))]
    public void FreshCommerceOSDatabase()
    {
        FreshDatabase();
        File.Copy(_template, _database);
    }

    [Benchmark(Description = "CommerceOS ImportProductsCsv")]
    public async Task<int> CommerceOSImport()
    {
        var workspace = new WorkspaceContext();
        workspace.Set(_workspaceId, null, WorkspaceRole.Owner);
        await using var db = CreateContext(_database, workspace);
        await using var stream = File.OpenRead(_csv);
        var result = await new ImportProductsCsv(db, workspace, TimeProvider.System)
            .HandleAsync(new ImportProductsCsv.Request(stream, CsvImportMode.CreateOnly), CancellationToken.None);
        if (!result.IsSuccess || result.Value.ProductsCreated != Rows / VariantsPerProduct || result.Value.ProductsFailed != 0)
        {
            throw new InvalidOperationException($"Import did not create every product: {result}");
        }

        return result.Value.ProductsCreated;
    }

    [Benchmark(Baseline = true, Description = "sqlite3 CLI .import")]
    public async Task<int> Sqlite3CliImport()
    {
        var start = new ProcessStartInfo("sqlite3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-batch");
        start.ArgumentList.Add(_database);
        start.ArgumentList.Add($".import --csv {_csv} products");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start (apt-get install sqlite3).");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || (await errors).Length > 0)
        {
            throw new InvalidOperationException($"sqlite3 .import failed ({process.ExitCode}): {await errors}");
        }

        return process.ExitCode;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        VerifySqlite3Rows();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The peer really loaded every row (checked once, outside the measurement).</summary>
    private void VerifySqlite3Rows()
    {
        if (!File.Exists(_database))
        {
            return;
        }

        using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'products'";
        if (command.ExecuteScalar() is null)
        {
            return;
        }

        command.CommandText = "SELECT count(*) FROM products";
        var count = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (count != Rows)
        {
            throw new InvalidOperationException($"sqlite3 loaded {count} rows, expected {Rows}.");
        }
    }

    /// <summary>Same shape as the 10,000-row import test: quotes, commas, CJK text, attributes, variants.</summary>
    public static string MakeCsv()
    {
        var csv = new StringBuilder("sku,title,description,brand,category,status,selling_points,attributes,variant_sku,variant_options,price,currency,stock\n");
        string[] sizes = ["S", "M", "L", "XL"];
        for (var p = 0; p < Rows / VariantsPerProduct; p++)
        {
            foreach (var size in sizes)
            {
                csv.Append(CultureInfo.InvariantCulture, $"BULK-{p:D5},\"纯棉T恤 Cotton tee #{p}, crew neck\",Soft jersey,Acme 品牌,Fashion,active,Soft | Breathable,Material=Cotton; Weight=180[g],BULK-{p:D5}-{size},Color=White; Size={size},{p % 100}.99,USD,{p % 7}\n");
            }
        }

        return csv.ToString();
    }

    private static AppDbContext CreateContext(string file, WorkspaceContext workspace)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
        DatabaseServiceCollectionExtensions.Configure(builder, DatabaseOptions.Sqlite, connectionString);
        return new AppDbContext(builder.Options, workspace);
    }

    /// <summary>A database built by the real migrations, with one workspace and its brand.</summary>
    private static async Task<Guid> CreateTemplateAsync(string file)
    {
        var workspace = new Workspace { Name = "Benchmark", CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        await using (var db = CreateContext(file, new WorkspaceContext()))
        {
            await db.Database.MigrateAsync();
            db.Workspaces.Add(workspace);
            db.Subscriptions.Add(new Subscription
            {
                WorkspaceId = workspace.Id,
                PlanCode = PlanCatalog.Creator,
                Cycle = BillingCycle.Monthly,
                Status = SubscriptionStatus.Active,
                CurrentPeriodStart = workspace.CreatedAt,
                CurrentPeriodEnd = workspace.CreatedAt.AddMonths(1),
                CreatedAt = workspace.CreatedAt,
                UpdatedAt = workspace.CreatedAt,
            });
            db.Brands.Add(new Brand { WorkspaceId = workspace.Id, Name = "Acme 品牌", CreatedAt = workspace.CreatedAt, UpdatedAt = workspace.CreatedAt });
            await db.SaveChangesAsync();
        }

        SqliteConnection.ClearAllPools();
        return workspace.Id;
    }
}
