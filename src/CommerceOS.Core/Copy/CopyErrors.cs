namespace CommerceOS.Core.Copy;

/// <summary>Error codes of the copy area; texts in <c>Resources/{en,zh-CN}/Copy.json</c>.</summary>
public static class CopyErrors
{
    public const string MarketplaceUnknown = "copy.marketplace_unknown";
    public const string LanguageUnknown = "copy.language_unknown";
    public const string ToneUnknown = "copy.tone_unknown";
    public const string FieldUnknown = "copy.field_unknown";
    public const string FieldNotOnMarketplace = "copy.field_not_on_marketplace";
    public const string TooManyKeywords = "copy.keywords_too_many";
    public const string KeywordTooLong = "copy.keyword_too_long";
    public const string Locked = "copy.locked";
    public const string NotLocked = "copy.not_locked";
    public const string NoVersion = "copy.no_version";
    public const string VersionNotFound = "copy.version_not_found";
    public const string StaleVersion = "copy.stale_version";
    public const string HasErrors = "copy.has_errors";
    public const string RulesFailed = "copy.rules_failed";
    public const string TargetsRequired = "copy.targets_required";
    public const string SameLanguage = "copy.same_language";
    public const string TextTooLong = "copy.text_too_long";
    public const string TranslationRefused = "copy.translation_refused";
}

/// <summary>Limits on what a request may carry.</summary>
public static class CopyLimits
{
    public const int MaxKeywords = 20;
    public const int MaxKeywordLength = 80;
    public const int MaxCompetitors = 50;

    /// <summary>Longest field a hand edit may send (the longest marketplace limit, TikTok's 10,000).</summary>
    public const int MaxFieldLength = 10_000;

    public const int MaxItems = 30;
}
