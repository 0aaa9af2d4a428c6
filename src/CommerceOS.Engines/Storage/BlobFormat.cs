using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Engines.Storage;

/// <summary>
/// On-disk layout of an encrypted blob, version 1:
/// <code>
/// header (52 bytes, authenticated as associated data of every chunk)
///   0  "COSB"          magic
///   4  0x01            format version
///   5  0x01            algorithm: HKDF-SHA256 file keys, AES-256-GCM chunks
///   6  0x0000          reserved
///   8  uint32 LE       chunk size (plaintext bytes per chunk)
///  12  16 bytes        random salt: file key = HKDF(master key, salt)
///  28  7 bytes         random nonce prefix
///  35  0x00            reserved
///  36  16 bytes        key check: HMAC-SHA256(check key, bytes 0..35), truncated
/// records: ciphertext (chunk size, the last one shorter) + 16-byte GCM tag
/// </code>
/// Nonce of record i = prefix (7) || i as uint32 BE (4) || final flag (1): the STREAM construction,
/// so reordering, dropping or appending records and truncation all fail authentication. An empty
/// blob is one empty final record.
/// </summary>
internal static class BlobFormat
{
    public const int HeaderLength = 52;
    public const int TagLength = 16;
    public const int NonceLength = 12;
    public const int MinChunkSize = 1024;
    public const int MaxChunkSize = 16 * 1024 * 1024;

    private const byte Version = 1;
    private const byte Algorithm = 1;
    private const int SaltOffset = 12;
    private const int SaltLength = 16;
    private const int PrefixOffset = 28;
    private const int PrefixLength = 7;
    private const int CheckOffset = 36;
    private const int CheckLength = 16;

    private static readonly byte[] Magic = "COSB"u8.ToArray();
    private static readonly byte[] KeyInfo = Encoding.ASCII.GetBytes("CommerceOS blob v1");

    public static byte[] CreateHeader(ReadOnlySpan<byte> masterKey, int chunkSize, out byte[] fileKey)
    {
        var header = new byte[HeaderLength];
        Magic.CopyTo(header, 0);
        header[4] = Version;
        header[5] = Algorithm;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)chunkSize);
        RandomNumberGenerator.Fill(header.AsSpan(SaltOffset, SaltLength));
        RandomNumberGenerator.Fill(header.AsSpan(PrefixOffset, PrefixLength));
        fileKey = DeriveKeys(masterKey, header, out var checkKey);
        KeyCheck(checkKey, header).CopyTo(header.AsSpan(CheckOffset));
        return header;
    }

    /// <summary>Validates the header and returns the file key and chunk size; throws when it cannot be trusted.</summary>
    public static byte[] OpenHeader(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> header, string key, out int chunkSize)
    {
        if (header.Length < HeaderLength || !header[..4].SequenceEqual(Magic))
        {
            throw new Core.Assets.BlobIntegrityException(key, "not an encrypted blob (bad or truncated header).");
        }

        if (header[4] != Version || header[5] != Algorithm)
        {
            throw new Core.Assets.BlobIntegrityException(key, $"unsupported blob format version {header[4]}.{header[5]}.");
        }

        var fileKey = DeriveKeys(masterKey, header, out var checkKey);
        if (!CryptographicOperations.FixedTimeEquals(KeyCheck(checkKey, header), header.Slice(CheckOffset, CheckLength)))
        {
            throw new Core.Assets.BlobIntegrityException(key, "header authentication failed: wrong encryption key or tampered header.");
        }

        chunkSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (chunkSize is < MinChunkSize or > MaxChunkSize)
        {
            throw new Core.Assets.BlobIntegrityException(key, $"invalid chunk size {chunkSize}.");
        }

        return fileKey;
    }

    public static void Nonce(ReadOnlySpan<byte> header, uint counter, bool final, Span<byte> nonce)
    {
        header.Slice(PrefixOffset, PrefixLength).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[PrefixLength..], counter);
        nonce[NonceLength - 1] = final ? (byte)1 : (byte)0;
    }

    private static byte[] DeriveKeys(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> header, out byte[] checkKey)
    {
        Span<byte> keys = stackalloc byte[64];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, keys, header.Slice(SaltOffset, SaltLength), KeyInfo);
        checkKey = keys[32..].ToArray();
        var fileKey = keys[..32].ToArray();
        CryptographicOperations.ZeroMemory(keys);
        return fileKey;
    }

    private static byte[] KeyCheck(byte[] checkKey, ReadOnlySpan<byte> header) =>
        HMACSHA256.HashData(checkKey, header[..CheckOffset])[..CheckLength];
}
