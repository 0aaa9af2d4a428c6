using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Connectors.Marketplaces.Shopee;

/// <summary>
/// Shopee v2 request signing (external-apis.md §11.3): lower-case hex HMAC-SHA256, keyed with the partner key, of
/// <c>partner_id + api_path + timestamp</c> for public APIs (auth, token) and of the same followed by
/// <c>access_token + shop_id</c> for shop APIs. The body is never signed.
/// </summary>
public static class ShopeeSignature
{
    public static string PublicBase(long partnerId, string path, long timestamp) =>
        string.Concat(partnerId.ToString(CultureInfo.InvariantCulture), path, timestamp.ToString(CultureInfo.InvariantCulture));

    public static string ShopBase(long partnerId, string path, long timestamp, string accessToken, long shopId) =>
        string.Concat(PublicBase(partnerId, path, timestamp), accessToken, shopId.ToString(CultureInfo.InvariantCulture));

    public static string Sign(string partnerKey, string baseString) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(partnerKey), Encoding.UTF8.GetBytes(baseString)));
}
