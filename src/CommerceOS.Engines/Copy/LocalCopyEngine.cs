using CommerceOS.Core.Copy;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Copy;

/// <summary>What the local engine wrote before it was judged: the text, each item's facts and the tone it wrote in.</summary>
public sealed record LocalCopyDraft(ListingText Text, IReadOnlyList<CopyTrace> Traces, string Tone, string Language);

/// <summary>
/// The offline copy engine (issue 4, "Local engine"): composes every field of a marketplace's listing from the product's
/// facts with native English and Chinese templates per tone, picks among phrasings by a stable hash of seed, product and
/// slot (same request and seed, same text), fits every limit in the marketplace's unit at word boundaries, and traces every
/// item to the facts it states. Keywords, tags and meta tags come from the SEO engine. Pure and synchronous; no I/O once
/// jieba's dictionary is loaded.
/// </summary>
public sealed class LocalCopyEngine(ISeoEngine seo) : ICopyEngine
{
    public const string EngineName = "local";

    private readonly SeoMemo _seo = new(seo);

    public string Name => EngineName;

    public bool Writes(string language) => NormalizeLanguage(language) is not null;

    public Task<CopyOutcome> WriteAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(request);
        var profile = CopyProfiles.Get(request.Marketplace);
        var facts = ProductFacts.From(request.Product, request.Brand);
        var draft = Compose(request, profile, facts);
        var issues = CopyValidator.Validate(draft.Text, new CopyCheck(
            profile, facts, request.Brand?.BannedWords, request.Competitors, request.Required, request.Brand?.Name, draft.Traces,
            request.Fields is null ? null : [.. request.Fields]));

        // The local engine states only facts, so what it still breaks is what the product lacks (too few facts for five
        // bullets, a description under the platform's minimum): the draft is stored with those issues for the seller to complete.
        return Task.FromResult(new CopyOutcome(draft.Text, draft.Traces, issues, EngineName));
    }

    /// <summary>Writes the listing without judging it (the draft a seller can complete when facts are missing).</summary>
    public LocalCopyDraft Compose(CopyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Compose(request, CopyProfiles.Get(request.Marketplace), ProductFacts.From(request.Product, request.Brand));
    }

    private LocalCopyDraft Compose(CopyRequest request, CopyProfile profile, ProductFacts facts)
    {
        var language = NormalizeLanguage(request.Language)
            ?? throw new ArgumentException($"The local copy engine writes en and zh-CN, not '{request.Language}'.", nameof(request));
        var tone = ResolveTone(request.Tone, request.Brand?.Tone, request.Brand?.Voice);
        var composer = new CopyComposer(request, profile, facts, _seo, language, tone);
        var text = composer.Compose();
        return new LocalCopyDraft(text, composer.Traces, tone, language);
    }

    /// <summary>en for any English tag, zh-CN for Simplified Chinese tags; null for languages the engine does not write.</summary>
    public static string? NormalizeLanguage(string? language)
    {
        var l = language?.Trim().ToLowerInvariant();
        return l switch
        {
            null or "" => null,
            "en" or "en-us" or "en-gb" => CopyTemplates.English,
            "zh" or "zh-cn" or "zh-hans" or "zh-hans-cn" or "zh-sg" => CopyTemplates.Chinese,
            _ when l.StartsWith("en-", StringComparison.Ordinal) => CopyTemplates.English,
            _ => null,
        };
    }

    /// <summary>
    /// The request's tone; without one the brand's tone, then its voice read for tone words (the seller describes the voice
    /// in their own words, in English or Chinese), then professional.
    /// </summary>
    public static string ResolveTone(string? requested, string? brandTone, string? brandVoice)
    {
        if ((CopyTones.Normalize(requested) ?? CopyTones.Normalize(brandTone)) is { } tone)
        {
            return tone;
        }

        var voice = brandVoice?.ToLowerInvariant() ?? "";
        foreach (var (voiceTone, words) in VoiceWords)
        {
            if (words.Any(w => voice.Contains(w, StringComparison.Ordinal)))
            {
                return voiceTone;
            }
        }

        return CopyTones.Professional;
    }

    private static readonly (string Tone, string[] Words)[] VoiceWords =
    [
        (CopyTones.Luxurious, ["luxur", "elegant", "premium", "refined", "exquisite", "奢", "高端", "优雅", "精致", "典雅"]),
        (CopyTones.Playful, ["playful", "fun", "cheeky", "witty", "quirky", "活泼", "有趣", "俏皮", "可爱", "幽默"]),
        (CopyTones.Technical, ["technical", "precise", "engineer", "spec", "技术", "专业参数", "严谨", "理性"]),
        (CopyTones.Warm, ["warm", "friendly", "caring", "cosy", "cozy", "gentle", "温暖", "亲切", "温馨", "贴心"]),
        (CopyTones.Professional, ["professional", "expert", "trusted", "专业", "商务"]),
    ];
}
