namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

/// <summary>Section <c>Publishing:TikTokShop</c>: the hosts of external-apis.md section 9.1, so tests point them at a fake.</summary>
public sealed class TikTokShopOptions : MarketplaceOptions
{
    public const string Section = "Publishing:TikTokShop";

    /// <summary>Every Shop API call (products, images, shops).</summary>
    public string ApiBaseUrl { get; set; } = "https://open-api.tiktokglobalshop.com";

    /// <summary>Token get and refresh.</summary>
    public string AuthBaseUrl { get; set; } = "https://auth.tiktok-shops.com";

    /// <summary>When to ask again about a product in audit (the Pending result's PollAfter).</summary>
    public TimeSpan AuditPollInterval { get; set; } = TimeSpan.FromMinutes(5);
}
