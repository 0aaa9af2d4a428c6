namespace CommerceOS.Core.Generation;

/// <summary>Stable error codes of Image Studio (texts in Web/Resources/*/ImageStudio.json).</summary>
public static class GenerationErrors
{
    public const string SkillUnknown = "generation.skill_unknown";
    public const string MarketplaceUnknown = "generation.marketplace_unknown";
    public const string MarketplaceRequired = "generation.marketplace_required";
    public const string TooManyMarketplaces = "generation.too_many_marketplaces";
    public const string NoPhoto = "generation.no_photo";
    public const string PhotoNotOfProduct = "generation.photo_not_of_product";
    public const string SourceNotGenerated = "generation.source_not_generated";
    public const string SceneUnknown = "generation.scene_unknown";
    public const string SceneAssetNotFound = "generation.scene_asset_not_found";
    public const string PromptTooLong = "generation.prompt_too_long";
    public const string TemplateUnknown = "generation.template_unknown";
    public const string SizeInvalid = "generation.size_invalid";
    public const string StyleUnknown = "generation.style_unknown";
    public const string LayoutUnknown = "generation.layout_unknown";
    public const string NoSellingPoints = "generation.no_selling_points";
    public const string AiCutoutUnavailable = "generation.ai_cutout_unavailable";

    /// <summary>The stored photo cannot be decoded any more (job failure).</summary>
    public const string SourceUnreadable = "generation.source_unreadable";

    /// <summary>No product could be separated from the background (job failure).</summary>
    public const string NoProductFound = "generation.no_product_found";

    public const string ProviderRateLimited = "generation.provider.rate_limited";
    public const string ProviderUnavailable = "generation.provider.unavailable";
    public const string ProviderTimeout = "generation.provider.timeout";
    public const string ProviderModerated = "generation.provider.moderated";
    public const string ProviderRejected = "generation.provider.rejected";
    public const string ProviderCredits = "generation.provider.credits";
    public const string ProviderMisconfigured = "generation.provider.misconfigured";
    public const string ProviderExpired = "generation.provider.expired";

    public const string ComplianceMarketplaceRequired = "compliance.marketplace_required";

    public static string For(ProviderFailure failure) => failure switch
    {
        ProviderFailure.RateLimited => ProviderRateLimited,
        ProviderFailure.Transient => ProviderUnavailable,
        ProviderFailure.Timeout => ProviderTimeout,
        ProviderFailure.Moderated => ProviderModerated,
        ProviderFailure.Rejected => ProviderRejected,
        ProviderFailure.InsufficientCredits => ProviderCredits,
        ProviderFailure.Misconfigured => ProviderMisconfigured,
        ProviderFailure.ResultExpired => ProviderExpired,
        _ => ProviderUnavailable,
    };
}
