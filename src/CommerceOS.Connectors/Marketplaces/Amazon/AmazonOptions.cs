namespace CommerceOS.Connectors.Marketplaces.Amazon;

/// <summary>
/// Settings of the Amazon SP-API adapter (section <c>Publishing:Amazon</c>). The seller's own credentials live in the
/// connection, not here: these are the hosts (production by default, a fake's in tests) and our own request budget.
/// </summary>
public sealed class AmazonOptions : MarketplaceOptions
{
    public const string Section = "Publishing:Amazon";

    /// <summary>Login with Amazon's token endpoint (external-apis.md §8.2).</summary>
    public string LwaTokenUrl { get; set; } = "https://api.amazon.com/auth/o2/token";

    /// <summary>SP-API host of the North America region (US, CA, MX, BR), §8.1.</summary>
    public string NaBaseUrl { get; set; } = "https://sellingpartnerapi-na.amazon.com";

    /// <summary>SP-API host of the Europe region (UK, DE, FR, IT, ES, ...).</summary>
    public string EuBaseUrl { get; set; } = "https://sellingpartnerapi-eu.amazon.com";

    /// <summary>SP-API host of the Far East region (JP, AU, SG).</summary>
    public string FeBaseUrl { get; set; } = "https://sellingpartnerapi-fe.amazon.com";

    /// <summary>Amazon asks every caller to name itself and its language (§8.2).</summary>
    public string UserAgent { get; set; } = "CommerceOS/1.0 (Language=C#)";

    /// <summary>
    /// The default usage plan of the Listings Items and Product Type Definitions operations (§8.3: 5 per second,
    /// burst 10). A client-side token bucket per seller keeps us under it, so a product with many SKUs does not
    /// spend its publish on 429s.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 5;

    public int Burst { get; set; } = 10;
}
