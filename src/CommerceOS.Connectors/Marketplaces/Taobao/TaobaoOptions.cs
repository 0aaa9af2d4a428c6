namespace CommerceOS.Connectors.Marketplaces.Taobao;

/// <summary>Section <c>Publishing:Taobao</c>: where the TOP gateway is and how requests are signed (external-apis.md §10).</summary>
public sealed class TaobaoOptions : MarketplaceOptions
{
    public const string Section = "Publishing:Taobao";

    /// <summary>The HTTPS gateway; every method is a POST to this one URL.</summary>
    public string GatewayUrl { get; set; } = "https://eco.taobao.com/router/rest";

    /// <summary><c>hmac-sha256</c> (default), <c>hmac</c> (HMAC-MD5) or <c>md5</c>, as the app is registered (§10.3).</summary>
    public string SignMethod { get; set; } = TaobaoSignature.HmacSha256;

    /// <summary>
    /// <c>taobao.itemcats.get</c> calls one category walk may make (one per parent category); a tree that needs more
    /// is returned incomplete rather than holding a worker and the app's call quota.
    /// </summary>
    public int MaxCategoryCalls { get; set; } = 400;
}
