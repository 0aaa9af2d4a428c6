using System.Security.Cryptography;
using CommerceOS.Core.Assets;

namespace CommerceOS.Engines.Storage;

/// <summary>
/// Read-only plaintext view of an encrypted blob. Each record is authenticated before any of its
/// bytes are returned; at the end the plaintext's SHA-256 must equal the hash in the key. Any
/// failure throws <see cref="BlobIntegrityException"/>.
/// </summary>
internal sealed class DecryptingReadStream : Stream
{
    private readonly FileStream _file;
    private readonly string _key;
    private readonly string _expectedSha256;
    private readonly byte[] _header;
    private readonly AesGcm _aes;
    private readonly int _chunkSize;
    private readonly byte[] _record;
    private readonly byte[] _plain;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _plainOffset;
    private int _plainLength;
    private uint _counter;
    private bool _finished;

    public DecryptingReadStream(FileStream file, string key, string expectedSha256, byte[] header, byte[] fileKey, int chunkSize)
    {
        _file = file;
        _key = key;
        _expectedSha256 = expectedSha256;
        _header = header;
        _aes = new AesGcm(fileKey, BlobFormat.TagLength);
        CryptographicOperations.ZeroMemory(fileKey);
        _chunkSize = chunkSize;
        _record = new byte[chunkSize + BlobFormat.TagLength];
        _plain = new byte[chunkSize];
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>Plaintext length, computed from the file size (authenticated only once fully read).</summary>
    public override long Length
    {
        get
        {
            var body = _file.Length - BlobFormat.HeaderLength;
            var recordSize = (long)_chunkSize + BlobFormat.TagLength;
            var records = Math.Max(1, (body + recordSize - 1) / recordSize);
            return Math.Max(0, body - (records * BlobFormat.TagLength));
        }
    }

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_plainOffset == _plainLength && !_finished)
        {
            var read = _file.ReadAtLeast(_record, _record.Length, throwOnEndOfStream: false);
            DecryptRecord(read);
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_plainOffset == _plainLength && !_finished)
        {
            var read = await _file.ReadAtLeastAsync(_record, _record.Length, throwOnEndOfStream: false, cancellationToken);
            DecryptRecord(read);
        }

        return CopyOut(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _aes.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int CopyOut(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, count).CopyTo(buffer);
        _plainOffset += count;
        return count;
    }

    private void DecryptRecord(int read)
    {
        if (read < BlobFormat.TagLength)
        {
            throw new BlobIntegrityException(_key, $"truncated: record {_counter} is incomplete.");
        }

        // A short record, or a full one that ends the file, must be the one the writer marked final.
        var final = read < _record.Length || _file.Position == _file.Length;
        var cipherLength = read - BlobFormat.TagLength;
        Span<byte> nonce = stackalloc byte[BlobFormat.NonceLength];
        BlobFormat.Nonce(_header, _counter, final, nonce);
        try
        {
            _aes.Decrypt(nonce, _record.AsSpan(0, cipherLength), _record.AsSpan(cipherLength, BlobFormat.TagLength), _plain.AsSpan(0, cipherLength), _header);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BlobIntegrityException(_key, $"record {_counter} failed authentication (tampered or truncated).");
        }

        _plainOffset = 0;
        _plainLength = cipherLength;
        _hash.AppendData(_plain, 0, cipherLength);
        _counter = checked(_counter + 1);
        if (final)
        {
            _finished = true;
            if (!string.Equals(Convert.ToHexStringLower(_hash.GetHashAndReset()), _expectedSha256, StringComparison.Ordinal))
            {
                _plainLength = 0;
                throw new BlobIntegrityException(_key, "content does not match the hash in its key.");
            }
        }
    }
}
