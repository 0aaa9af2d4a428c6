using System.Security.Cryptography;
using System.Text;
using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Marketplaces.Taobao;

/// <summary>
/// TOP's request signature (external-apis.md §10.3, from the official SDK): every parameter except <c>sign</c> and the
/// uploaded file, empty values skipped, sorted by name (ordinal), concatenated as <c>name1value1name2value2</c> and
/// hashed with the app secret; upper-case hex.
/// </summary>
public static class TaobaoSignature
{
    public const string Md5 = "md5";
    public const string Hmac = "hmac";
    public const string HmacSha256 = "hmac-sha256";

    public static bool IsSupported(string? method) => method is Md5 or Hmac or HmacSha256;

    /// <summary>The string that is hashed: exposed so tests and the fake can show what was signed.</summary>
    public static string CanonicalText(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parameters.Where(p => p.Key != "sign" && !string.IsNullOrEmpty(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(value);
        }

        return text.ToString();
    }

    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secret, string method)
    {
        var data = Encoding.UTF8.GetBytes(CanonicalText(parameters));
        var key = Encoding.UTF8.GetBytes(secret);
#pragma warning disable CA5351 // md5 and HMAC-MD5 are sign methods TOP defines; hmac-sha256 is the default.
        var digest = method switch
        {
            Md5 => MD5.HashData([.. key, .. data, .. key]),
            Hmac => HMACMD5.HashData(key, data),
            HmacSha256 => HMACSHA256.HashData(key, data),
            _ => throw new ProviderException(ProviderFailure.Misconfigured, $"Publishing:Taobao:SignMethod '{method}' is not md5, hmac or hmac-sha256."),
        };
#pragma warning restore CA5351
        return Convert.ToHexString(digest);
    }
}
