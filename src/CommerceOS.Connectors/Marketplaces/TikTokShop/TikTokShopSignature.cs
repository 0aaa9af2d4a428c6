using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

/// <summary>
/// The request signature of external-apis.md section 9.4: the query without <c>sign</c> and <c>access_token</c> and
/// without empty values, sorted by key (ordinal), written as <c>key value</c> pairs after the path, then the raw JSON body
/// (not for multipart), wrapped in the app secret, HMAC-SHA256 keyed with the app secret, lower-case hex.
/// </summary>
public static class TikTokShopSignature
{
    /// <param name="body">The exact JSON text that is sent; null for a multipart upload or a request without a body.</param>
    public static string Compute(string path, IEnumerable<KeyValuePair<string, string>> query, string? body, string appSecret)
    {
        var text = new StringBuilder(appSecret).Append(path);
        foreach (var (key, value) in query
            .Where(pair => pair.Key is not ("sign" or "access_token") && !string.IsNullOrEmpty(pair.Value))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append(value);
        }

        text.Append(body).Append(appSecret);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(text.ToString())));
    }
}
