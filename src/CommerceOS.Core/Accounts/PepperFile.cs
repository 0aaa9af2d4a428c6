using System.Security.Cryptography;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// The embedded default's pepper: <c>&lt;data dir&gt;/keys/pepper.key</c>, 32 random bytes, mode 0600.
/// Back it up with the database: without it no password verifies.
/// </summary>
public static class PepperFile
{
    public const int Size = 32;

    public static string PathFor(string dataDirectory) => Path.Combine(dataDirectory, "keys", "pepper.key");

    /// <summary>Reads the pepper, creating it atomically (write to a temp file, then rename) on first use.</summary>
    /// <exception cref="InvalidOperationException">The existing file is shorter than 32 bytes.</exception>
    public static byte[] LoadOrCreate(string dataDirectory)
    {
        var path = PathFor(dataDirectory);
        if (!File.Exists(path))
        {
            Create(path);
        }

        var pepper = File.ReadAllBytes(path);
        if (pepper.Length < Size)
        {
            throw new InvalidOperationException($"The pepper file '{path}' holds {pepper.Length} bytes; at least {Size} are required.");
        }

        return pepper;
    }

    private static void Create(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temp = Path.Combine(directory, $".pepper-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(RandomNumberGenerator.GetBytes(Size));
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; theirs wins so both use the same pepper.
            File.Delete(temp);
        }
    }
}
