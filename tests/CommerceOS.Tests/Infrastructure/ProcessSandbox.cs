using Microsoft.Data.Sqlite;
using Npgsql;

namespace CommerceOS.Tests.Infrastructure;

/// <summary>
/// A folder for tests that run <c>cos</c> as a real process: a working directory with a <c>data</c> folder, and the host
/// arguments every such process takes (that data folder, a fast bcrypt cost). Disposing releases pooled database
/// connections into it and deletes it.
/// </summary>
public sealed class ProcessSandbox : IDisposable
{
    private ProcessSandbox(string root)
    {
        Root = root;
        Data = Path.Combine(root, "data");
        Directory.CreateDirectory(Data);
        HostArguments =
        [
            "--CommerceOS:DataDirectory", Data,
            "--Accounts:PasswordHashing:Cost", "4",
            "--Accounts:PasswordHashing:AllowLowCostForTests", "true",
        ];
    }

    public string Root { get; }

    public string Data { get; }

    public IReadOnlyList<string> HostArguments { get; }

    /// <param name="name">A prefix for the folder name, so a left-over folder says which test made it.</param>
    public static ProcessSandbox Create(string name) =>
        new(Path.Combine(Path.GetTempPath(), "commerceos-tests", $"{name}-{Guid.NewGuid():N}"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
