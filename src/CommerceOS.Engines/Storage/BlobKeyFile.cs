using System.Security.Cryptography;

namespace CommerceOS.Engines.Storage;

/// <summary>
/// Resolves a 32-byte key from configuration or a key file in the data folder: the blob store's master key, and the key
/// that encrypts the Data Protection key ring.
/// </summary>
public static class BlobKeyFile
{
    public const int KeyLength = 32;

    public static byte[] Resolve(BlobStorageOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(options.EncryptionKey, $"{BlobStorageOptions.Section}:EncryptionKey", Path.Combine(dataDirectory, "keys", "blob.key"));
    }

    /// <summary>The configured key (base64 of 32 bytes) when set, else the key file at <paramref name="path"/>, made on first use.</summary>
    public static byte[] Resolve(string? configured, string configurationKey, string path) =>
        string.IsNullOrWhiteSpace(configured) ? LoadOrCreate(path) : Decode(configured, configurationKey);

    /// <summary>Reads the key file, or creates it with a fresh random key (owner-only permissions) if it does not exist.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Decode(File.ReadAllText(path), path);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = RandomNumberGenerator.GetBytes(KeyLength);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var file = new FileStream(temp, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(Convert.ToBase64String(key));
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            // Rename so a crash never leaves a half-written key; if another process won the race, use its key.
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return Decode(File.ReadAllText(path), path);
            }

            return key;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static byte[] Decode(string base64, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The encryption key in {source} is not valid base64.");
        }

        if (key.Length != KeyLength)
        {
            throw new InvalidOperationException($"The encryption key in {source} must be {KeyLength} bytes (base64 of 32 random bytes), not {key.Length}.");
        }

        return key;
    }
}
