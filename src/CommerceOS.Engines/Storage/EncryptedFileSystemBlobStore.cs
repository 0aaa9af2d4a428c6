using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CommerceOS.Core.Assets;

namespace CommerceOS.Engines.Storage;

/// <summary>
/// Blobs as files under a root folder, outside the web root, encrypted at rest with AES-256-GCM in
/// fixed-size chunks (layout in <see cref="BlobFormat"/>). Key <c>{scope}/{sha256 of plaintext}</c>
/// maps to <c>{root}/{scope}/{sha[0..2]}/{sha}</c>. Writes go to <c>{root}/.tmp</c> and are renamed
/// into place, so a crash never leaves a partial file under a real key.
/// </summary>
public sealed partial class EncryptedFileSystemBlobStore : IBlobStore
{
    public const int DefaultChunkSize = 64 * 1024;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _root;
    private readonly string _tempDirectory;
    private readonly byte[] _masterKey;
    private readonly int _chunkSize;

    /// <param name="masterKey">32 bytes; file keys are derived from it per blob.</param>
    public EncryptedFileSystemBlobStore(string root, ReadOnlySpan<byte> masterKey, int chunkSize = DefaultChunkSize)
    {
        if (masterKey.Length != 32)
        {
            throw new ArgumentException("The blob encryption key must be 32 bytes (AES-256).", nameof(masterKey));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, BlobFormat.MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, BlobFormat.MaxChunkSize);
        _root = Path.GetFullPath(root);
        _tempDirectory = Path.Combine(_root, ".tmp");
        _masterKey = masterKey.ToArray();
        _chunkSize = chunkSize;
    }

    public string Root => _root;

    public async Task<StoredBlob> PutAsync(string scope, Stream content, CancellationToken cancellationToken)
    {
        if (!ScopePattern().IsMatch(scope))
        {
            throw new ArgumentException($"Invalid blob scope '{scope}'.", nameof(scope));
        }

        Directory.CreateDirectory(_tempDirectory);
        var temp = Path.Combine(_tempDirectory, $"{Guid.NewGuid():N}.part");
        try
        {
            string sha256;
            long length;
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            await using (var file = new FileStream(temp, options))
            {
                (sha256, length) = await EncryptAsync(content, file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            var key = $"{scope}/{sha256}";
            var path = PathFor(key);
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                try
                {
                    File.Move(temp, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // A concurrent put of the same content won the rename; its file is equivalent.
                }
            }

            return new StoredBlob(key, sha256, length);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        if (!File.Exists(path))
        {
            return null;
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        try
        {
            var header = new byte[BlobFormat.HeaderLength];
            var read = await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            var fileKey = BlobFormat.OpenHeader(_masterKey, header.AsSpan(0, read), key, out var chunkSize);
            return new DecryptingReadStream(file, key, key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..], header, fileKey, chunkSize);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathFor(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteScopeAsync(string scope, CancellationToken cancellationToken)
    {
        if (!ScopePattern().IsMatch(scope))
        {
            throw new ArgumentException($"Invalid blob scope '{scope}'.", nameof(scope));
        }

        var folder = Path.GetFullPath(Path.Combine(_root, scope));
        if (!folder.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !Directory.Exists(folder))
        {
            return Task.FromResult(0);
        }

        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }

    /// <summary>Maps a key to its file; anything but <c>{scope}/{64 lower-case hex}</c> is refused, so no key can leave the root.</summary>
    private string PathFor(string key)
    {
        var match = KeyPattern().Match(key);
        if (!match.Success)
        {
            throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
        }

        var hash = match.Groups["hash"].Value;
        var path = Path.GetFullPath(Path.Combine(_root, match.Groups["scope"].Value, hash[..2], hash));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
        }

        return path;
    }

    private async Task<(string Sha256, long Length)> EncryptAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var header = BlobFormat.CreateHeader(_masterKey, _chunkSize, out var fileKey);
        using var aes = new AesGcm(fileKey, BlobFormat.TagLength);
        CryptographicOperations.ZeroMemory(fileKey);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await output.WriteAsync(header, cancellationToken);

        var current = new byte[_chunkSize];
        var next = new byte[_chunkSize];
        var record = new byte[_chunkSize + BlobFormat.TagLength];
        var nonce = new byte[BlobFormat.NonceLength];
        long length = 0;
        uint counter = 0;
        var currentLength = await input.ReadAtLeastAsync(current, _chunkSize, throwOnEndOfStream: false, cancellationToken);
        while (true)
        {
            // A full chunk is final only if nothing follows it: read ahead one chunk to know.
            var nextLength = currentLength < _chunkSize
                ? 0
                : await input.ReadAtLeastAsync(next, _chunkSize, throwOnEndOfStream: false, cancellationToken);
            var final = nextLength == 0;
            BlobFormat.Nonce(header, counter, final, nonce);
            aes.Encrypt(nonce, current.AsSpan(0, currentLength), record.AsSpan(0, currentLength), record.AsSpan(currentLength, BlobFormat.TagLength), header);
            await output.WriteAsync(record.AsMemory(0, currentLength + BlobFormat.TagLength), cancellationToken);
            hash.AppendData(current, 0, currentLength);
            length += currentLength;
            if (final)
            {
                break;
            }

            (current, next) = (next, current);
            currentLength = nextLength;
            counter = checked(counter + 1);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex ScopePattern();

    [GeneratedRegex(@"^(?<scope>[A-Za-z0-9][A-Za-z0-9_-]{0,63})/(?<hash>[0-9a-f]{64})\z")]
    private static partial Regex KeyPattern();
}
