using CommerceOS.Cli;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Cli;

/// <summary>What one in-process <c>cos</c> run printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error);

/// <summary>
/// Runs <see cref="CosCli.RunAsync"/> in-process against a <see cref="TestDatabase"/> and a private data
/// folder, passing them as host configuration exactly as an operator would on the command line.
/// </summary>
public sealed class CliHarness : IAsyncDisposable
{
    private CliHarness(TestDatabase database, string dataDirectory)
    {
        Database = database;
        DataDirectory = dataDirectory;
    }

    public TestDatabase Database { get; }

    public string DataDirectory { get; }

    public static async Task<CliHarness> CreateAsync(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        return new CliHarness(database, dataDirectory);
    }

    /// <summary>Host configuration, appended after the command's own arguments.</summary>
    public string[] HostArguments =>
    [
        "--Database:Provider", Database.Provider,
        "--Database:ConnectionString", Database.ConnectionString,
        "--CommerceOS:DataDirectory", DataDirectory,
        "--Accounts:PasswordHashing:Cost", "4",
        "--Accounts:PasswordHashing:AllowLowCostForTests", "true",
    ];

    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CosCli.RunAsync([.. args, .. HostArguments], output, error, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(DataDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the temp folder is cleaned by the OS.
        }
    }
}
