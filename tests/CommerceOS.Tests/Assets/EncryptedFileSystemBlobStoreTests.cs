using System.Security.Cryptography;
using System.Text;
using CommerceOS.Core.Assets;
using CommerceOS.Engines.Storage;

namespace CommerceOS.Tests.Assets;

public sealed class EncryptedFileSystemBlobStoreTests : IDisposable
{
    private const string Scope = "0199a0b1c2d34e5f8a9b0c1d2e3f4a5b";
    private const int SmallChunk = 1024;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "commerceos-tests", $"store-{Guid.NewGuid():N}");
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, SmallChunk)]
    [InlineData(1, SmallChunk)]
    [InlineData(1000, SmallChunk)]
    [InlineData(SmallChunk, SmallChunk)]
    [InlineData(3 * SmallChunk, SmallChunk)]
    [InlineData((5 * SmallChunk) + 17, SmallChunk)]
    [InlineData(200_000, EncryptedFileSystemBlobStore.DefaultChunkSize)]
    public async Task PutAsync_ThenOpenRead_ReturnsSameBytesUnderContentKey(int length, int chunkSize)
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, chunkSize);
        var data = RandomNumberGenerator.GetBytes(length);

        var stored = await store.PutAsync(Scope, new MemoryStream(data), _ct);

        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.Equal($"{Scope}/{sha}", stored.Key);
        Assert.Equal(sha, stored.Sha256);
        Assert.Equal(length, stored.Length);
        Assert.True(await store.ExistsAsync(stored.Key, _ct));
        await using var read = await store.OpenReadAsync(stored.Key, _ct);
        Assert.NotNull(read);
        Assert.Equal(length, read.Length);
        Assert.Equal(data, await ReadAllAsync(read));
    }

    [Fact]
    public async Task OpenRead_SmallReads_ReturnSameBytesAsOneRead()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var data = RandomNumberGenerator.GetBytes((3 * SmallChunk) + 5);
        var stored = await store.PutAsync(Scope, new MemoryStream(data), _ct);

        await using var read = (await store.OpenReadAsync(stored.Key, _ct))!;
        var result = new List<byte>();
        var buffer = new byte[7];
        int n;
        while ((n = read.Read(buffer, 0, buffer.Length)) > 0)
        {
            result.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Equal(data, result);
    }

    [Fact]
    public async Task PutAsync_FileOnDisk_DoesNotContainPlaintext()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var text = string.Concat(Enumerable.Repeat("CONFIDENTIAL product photo 12345 ", 200));
        var data = Encoding.ASCII.GetBytes(text);

        var stored = await store.PutAsync(Scope, new MemoryStream(data), _ct);

        var onDisk = await File.ReadAllBytesAsync(SingleBlobFile(), _ct);
        Assert.True(onDisk.Length > data.Length);
        Assert.False(TestImages.Contains(onDisk, "CONFIDENTIAL"));
        Assert.False(TestImages.Contains(onDisk, "photo 12345"));
        Assert.StartsWith("COSB", Encoding.ASCII.GetString(onDisk, 0, 4), StringComparison.Ordinal);
        Assert.Equal(data, await ReadAllAsync((await store.OpenReadAsync(stored.Key, _ct))!));
    }

    [Fact]
    public async Task PutAsync_SameBytesTwice_IsNoOpOnDisk()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var data = RandomNumberGenerator.GetBytes(5000);
        var first = await store.PutAsync(Scope, new MemoryStream(data), _ct);
        var before = await File.ReadAllBytesAsync(SingleBlobFile(), _ct);

        var second = await store.PutAsync(Scope, new MemoryStream(data), _ct);

        Assert.Equal(first, second);
        // Every write uses a fresh random salt, so identical bytes prove the file was not rewritten.
        Assert.Equal(before, await File.ReadAllBytesAsync(SingleBlobFile(), _ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task PutAsync_SameBytesInTwoScopes_StoresTwoBlobs()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var data = RandomNumberGenerator.GetBytes(100);

        var a = await store.PutAsync("scope-a", new MemoryStream(data), _ct);
        var b = await store.PutAsync("scope-b", new MemoryStream(data), _ct);

        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal(a.Sha256, b.Sha256);
        await store.DeleteAsync(a.Key, _ct);
        Assert.Equal(data, await ReadAllAsync((await store.OpenReadAsync(b.Key, _ct))!));
    }

    [Theory]
    [InlineData("header-salt")]
    [InlineData("header-chunk-size")]
    [InlineData("first-record")]
    [InlineData("middle-record")]
    [InlineData("last-tag")]
    [InlineData("truncate-mid-record")]
    [InlineData("truncate-at-record-boundary")]
    [InlineData("truncate-to-header")]
    [InlineData("drop-middle-record")]
    [InlineData("append-bytes")]
    [InlineData("append-copy-of-last-record")]
    public async Task OpenRead_TamperedFile_ThrowsBlobIntegrityException(string damage)
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var data = RandomNumberGenerator.GetBytes((4 * SmallChunk) + 100);
        var stored = await store.PutAsync(Scope, new MemoryStream(data), _ct);
        var path = SingleBlobFile();
        var file = await File.ReadAllBytesAsync(path, _ct);
        const int header = 52;
        const int record = SmallChunk + 16;
        byte[] damaged = damage switch
        {
            "header-salt" => TestImages.WithFlippedByte(file, 14),
            "header-chunk-size" => TestImages.WithFlippedByte(file, 9),
            "first-record" => TestImages.WithFlippedByte(file, header + 10),
            "middle-record" => TestImages.WithFlippedByte(file, header + (2 * record) + 500),
            "last-tag" => TestImages.WithFlippedByte(file, file.Length - 1),
            "truncate-mid-record" => file[..(header + (2 * record) + 300)],
            "truncate-at-record-boundary" => file[..(header + (4 * record))],
            "truncate-to-header" => file[..header],
            "drop-middle-record" => [.. file[..(header + record)], .. file[(header + (2 * record))..]],
            "append-bytes" => [.. file, 1, 2, 3],
            "append-copy-of-last-record" => [.. file, .. file[(header + (4 * record))..]],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        await File.WriteAllBytesAsync(path, damaged, _ct);

        var error = await Assert.ThrowsAsync<BlobIntegrityException>(async () =>
        {
            await using var read = await store.OpenReadAsync(stored.Key, _ct);
            await ReadAllAsync(read!);
        });
        Assert.Equal(stored.Key, error.Key);
        Assert.Contains(stored.Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRead_FileOfOtherContentUnderKey_ThrowsBlobIntegrityException()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var a = await store.PutAsync(Scope, new MemoryStream(RandomNumberGenerator.GetBytes(300)), _ct);
        var b = await store.PutAsync(Scope, new MemoryStream(RandomNumberGenerator.GetBytes(300)), _ct);
        var files = Directory.GetFiles(Path.Combine(_root, Scope), "*", SearchOption.AllDirectories);
        var fileA = files.Single(f => f.EndsWith(a.Sha256, StringComparison.Ordinal));
        var fileB = files.Single(f => f.EndsWith(b.Sha256, StringComparison.Ordinal));
        File.Copy(fileA, fileB, overwrite: true);

        var error = await Assert.ThrowsAsync<BlobIntegrityException>(async () => await ReadAllAsync((await store.OpenReadAsync(b.Key, _ct))!));
        Assert.Contains("hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRead_WrongKey_ThrowsBeforeReturningStream()
    {
        var writer = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var stored = await writer.PutAsync(Scope, new MemoryStream(RandomNumberGenerator.GetBytes(500)), _ct);
        var reader = new EncryptedFileSystemBlobStore(_root, RandomNumberGenerator.GetBytes(32), SmallChunk);

        var error = await Assert.ThrowsAsync<BlobIntegrityException>(() => reader.OpenReadAsync(stored.Key, _ct));
        Assert.Contains("wrong encryption key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_RemovesBlob_AndMissingKeyIsNoError()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);
        var stored = await store.PutAsync(Scope, new MemoryStream([1, 2, 3]), _ct);

        await store.DeleteAsync(stored.Key, _ct);
        await store.DeleteAsync(stored.Key, _ct);
        await store.DeleteAsync($"other/{new string('a', 64)}", _ct);

        Assert.False(await store.ExistsAsync(stored.Key, _ct));
        Assert.Null(await store.OpenReadAsync(stored.Key, _ct));
        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("ws/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("ws/0123")]
    [InlineData("ws/ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("../0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("a/b/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData(".tmp/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("ws\\..\\0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("ws/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")]
    [InlineData("")]
    public async Task AnyOperation_MalformedKey_ThrowsArgumentException(string key)
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key);

        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key, _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ExistsAsync(key, _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key, _ct));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".tmp")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("con\0")]
    [InlineData("-leading-dash")]
    public async Task PutAsync_MalformedScope_ThrowsAndWritesNothing(string scope)
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(scope, new MemoryStream([1, 2, 3]), _ct));

        Assert.False(Directory.Exists(_root) && Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length > 0);
    }

    [Fact]
    public async Task PutAsync_SourceFailsMidway_LeavesNoBlobAndNoTempFile()
    {
        var store = new EncryptedFileSystemBlobStore(_root, _key, SmallChunk);

        await Assert.ThrowsAsync<IOException>(() => store.PutAsync(Scope, new FailingStream(5 * SmallChunk), _ct));

        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Constructor_KeyNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EncryptedFileSystemBlobStore(_root, new byte[16]));
    }

    [Fact]
    public void BlobKeyFile_NoConfiguredKey_CreatesOwnerOnlyKeyFileOnceAndReusesIt()
    {
        var dataDirectory = Path.Combine(_root, "data");

        var first = BlobKeyFile.Resolve(new BlobStorageOptions(), dataDirectory);
        var second = BlobKeyFile.Resolve(new BlobStorageOptions(), dataDirectory);

        var path = Path.Combine(dataDirectory, "keys", "blob.key");
        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(first, Convert.FromBase64String(File.ReadAllText(path)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(Path.Combine(dataDirectory, "keys")));
    }

    [Fact]
    public void BlobKeyFile_ConfiguredKey_WinsOverKeyFile()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var resolved = BlobKeyFile.Resolve(new BlobStorageOptions { EncryptionKey = Convert.ToBase64String(key) }, Path.Combine(_root, "data"));

        Assert.Equal(key, resolved);
        Assert.False(Directory.Exists(Path.Combine(_root, "data", "keys")));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    public void BlobKeyFile_BadConfiguredKey_ThrowsWithConfigName(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => BlobKeyFile.Resolve(new BlobStorageOptions { EncryptionKey = value }, _root));

        Assert.Contains("Storage:EncryptionKey", error.Message, StringComparison.Ordinal);
    }

    private string SingleBlobFile() =>
        Assert.Single(Directory.GetFiles(Path.Combine(_root, Scope), "*", SearchOption.AllDirectories));

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(count, failAfter - _position);
            Array.Fill(buffer, (byte)7, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
