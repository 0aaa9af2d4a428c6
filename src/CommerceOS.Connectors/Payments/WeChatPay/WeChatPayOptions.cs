using System.Text;
using CommerceOS.Connectors.Marketplaces;

namespace CommerceOS.Connectors.Payments.WeChatPay;

/// <summary>
/// Section <c>Billing:WeChatPay</c>: the merchant's WeChat Pay API v3 credentials (external-apis.md §13.2). The retry and
/// timeout settings are the shared vendor-client ones, so the same keys tune every connector.
/// </summary>
public sealed class WeChatPayOptions : MarketplaceOptions
{
    public const string Section = "Billing:WeChatPay";

    /// <summary>The APIv3 key is used as the AES-256 key as it is, so it must be exactly this many UTF-8 bytes.</summary>
    public const int ApiV3KeyBytes = 32;

    public string? MchId { get; set; }

    /// <summary>The official account / mini program / app id the Native orders are made for.</summary>
    public string? AppId { get; set; }

    /// <summary>The serial number of the merchant API certificate whose private key signs our requests.</summary>
    public string? MerchantSerialNo { get; set; }

    /// <summary>The merchant API private key (<c>apiclient_key.pem</c>, PKCS#8 PEM).</summary>
    public string? MerchantPrivateKeyPem { get; set; }

    /// <summary>Decrypts notification resources (AEAD_AES_256_GCM).</summary>
    public string? ApiV3Key { get; set; }

    /// <summary>The WeChat Pay public key (PEM) that signs responses and notifications.</summary>
    public string? PlatformPublicKeyPem { get; set; }

    /// <summary>Its id (<c>PUB_KEY_ID_…</c>), matched against <c>Wechatpay-Serial</c>.</summary>
    public string? PlatformPublicKeyId { get; set; }

    /// <summary>A second key during rotation: both are accepted until the old one is removed.</summary>
    public string? PlatformPublicKeyPem2 { get; set; }

    public string? PlatformPublicKeyId2 { get; set; }

    public string ApiBase { get; set; } = "https://api.mch.weixin.qq.com";

    /// <summary>How far a signed timestamp may be from our clock (the vendor's 5 minutes).</summary>
    public int ToleranceSeconds { get; set; } = 300;

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(MchId) && !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(MerchantSerialNo)
        && !string.IsNullOrWhiteSpace(MerchantPrivateKeyPem) && !string.IsNullOrEmpty(ApiV3Key) && PlatformKeys().Any();

    internal bool ApiV3KeyValid => ApiV3Key is not null && Encoding.UTF8.GetByteCount(ApiV3Key) == ApiV3KeyBytes;

    /// <summary>The configured platform keys by id; a half-filled pair does not count.</summary>
    internal IEnumerable<(string Id, string Pem)> PlatformKeys()
    {
        if (!string.IsNullOrWhiteSpace(PlatformPublicKeyId) && !string.IsNullOrWhiteSpace(PlatformPublicKeyPem))
        {
            yield return (PlatformPublicKeyId.Trim(), PlatformPublicKeyPem);
        }

        if (!string.IsNullOrWhiteSpace(PlatformPublicKeyId2) && !string.IsNullOrWhiteSpace(PlatformPublicKeyPem2))
        {
            yield return (PlatformPublicKeyId2.Trim(), PlatformPublicKeyPem2);
        }
    }
}
