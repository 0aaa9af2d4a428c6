namespace CommerceOS.Core.Seo;

/// <summary>Error codes of the SEO area; texts in <c>Resources/{en,zh-CN}/Seo.json</c>.</summary>
public static class SeoErrors
{
    public const string UnknownMarketplace = "seo.marketplace_unknown";

    /// <summary>The plan has no SEO optimization (Creator and above).</summary>
    public const string FeatureRequired = "seo.feature_required";
}
