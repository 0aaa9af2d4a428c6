namespace CommerceOS.Connectors.Marketplaces.Shopee;

/// <summary>Section <c>Publishing:Shopee</c>: which Open Platform v2 domain to call (external-apis.md §11.1).</summary>
public sealed class ShopeeOptions : MarketplaceOptions
{
    public const string Section = "Publishing:Shopee";

    /// <summary>The SG-served production domain; <c>https://openplatform.shopee.cn</c> and <c>.com.br</c> serve the same API.</summary>
    public string BaseUrl { get; set; } = "https://partner.shopeemobile.com";

    /// <summary>An access token is renewed this long before Shopee's <c>expire_in</c> runs out.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromMinutes(1);
}
