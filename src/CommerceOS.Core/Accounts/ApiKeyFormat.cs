using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// API key format: <c>cos_</c> + base64url of 32 CSPRNG bytes (256 bits, ASVS 5.0 11.5.1), 47 characters.
/// Stored as lower-case SHA-256 hex of the whole key plus its first 12 characters as a display prefix.
/// </summary>
public static class ApiKeyFormat
{
    public const string Scheme = "cos_";
    public const int SecretBytes = 32;
    public const int Length = 47;
    public const int PrefixLength = 12;

    public static string Generate() => Scheme + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Shape check only (scheme, length, alphabet): rejects junk before any database work.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: Length } && key.StartsWith(Scheme, StringComparison.Ordinal)
        && key.AsSpan(Scheme.Length).IndexOfAnyExcept(Base64UrlAlphabet) < 0;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Prefix(string key) => key[..PrefixLength];

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
