namespace CommerceOS.Core.Translation;

/// <summary>Codes of the translation area; texts in <c>Resources/{en,zh-CN}/Translation.json</c>.</summary>
public static class TranslationErrors
{
    public const string LanguageUnknown = "translation.language_unknown";
    public const string SameLanguage = "translation.same_language";
    public const string NoSegments = "translation.no_segments";
    public const string TooManySegments = "translation.too_many_segments";
    public const string SegmentTooLong = "translation.segment_too_long";
    public const string TooManyTerms = "translation.too_many_terms";
    public const string TermInvalid = "translation.term_invalid";
    public const string TargetRequired = "translation.target_required";

    // Reasons a segment stayed untranslated (SegmentResult.ReasonCode).
    public const string NoMemoryMatch = "translation.untranslated.no_match";
    public const string FuzzyBelowThreshold = "translation.untranslated.below_threshold";
    public const string FuzzyTermsDiffer = "translation.untranslated.protected_terms_differ";
    public const string PlaceholderLost = "translation.untranslated.placeholder_lost";
    public const string LanguageUnsupported = "translation.untranslated.language_unsupported";
    public const string SegmentTooLarge = "translation.untranslated.segment_too_large";
    public const string EmptyOutput = "translation.untranslated.empty_output";

    // Reasons an LLM's translation of a segment was refused (texts in Resources/{en,zh-CN}/LlmTranslation.json).
    public const string MissingFromReply = "translation.untranslated.missing_from_reply";
    public const string PlaceholderRepeated = "translation.untranslated.placeholder_repeated";
    public const string GlossaryIgnored = "translation.untranslated.glossary_ignored";
    public const string Unchanged = "translation.untranslated.unchanged";

    /// <summary>The model answered for a text it was not given: a rule for the repair round, never a segment's reason.</summary>
    public const string UnexpectedIndex = "translation.llm.unexpected_index";

    // A provider call that failed as a whole (TranslationProviderException.Code).
    public const string ProviderRateLimited = "translation.provider.rate_limited";
    public const string ProviderQuotaExceeded = "translation.provider.quota_exceeded";
    public const string ProviderBadKey = "translation.provider.bad_key";
    public const string ProviderRejected = "translation.provider.rejected";
    public const string ProviderUnavailable = "translation.provider.unavailable";
    public const string ProviderTimeout = "translation.provider.timeout";
    public const string ProviderMalformed = "translation.provider.malformed";
}
