using CommerceOS.Core.Common;

namespace CommerceOS.Core.Translation;

/// <summary>How markup inside a segment is treated.</summary>
public enum TagHandling
{
    /// <summary>Plain text: <c>&lt;</c> and <c>&amp;</c> are ordinary characters.</summary>
    None = 0,

    /// <summary>XML markup: tags are kept, only text between them is translated.</summary>
    Xml = 1,

    /// <summary>HTML markup (marketplace descriptions): tags are kept.</summary>
    Html = 2,
}

public enum Formality
{
    Default = 0,
    More = 1,
    Less = 2,
}

/// <summary>A glossary entry for the request's language pair: <see cref="Source"/> must become <see cref="Target"/>.</summary>
public sealed record TranslationTerm(string Source, string Target);

/// <summary>
/// One batch: every segment goes from <see cref="SourceLanguage"/> to <see cref="TargetLanguage"/>.
/// </summary>
/// <param name="DoNotTranslate">Terms that must come out exactly as they went in (brand names, product
/// lines). Model numbers, numbers with units and URLs are protected without being listed.</param>
public sealed record TranslationRequest(
    string SourceLanguage,
    string TargetLanguage,
    IReadOnlyList<string> Segments,
    TagHandling TagHandling = TagHandling.None,
    IReadOnlyList<TranslationTerm>? Glossary = null,
    IReadOnlyList<string>? DoNotTranslate = null,
    Formality Formality = Formality.Default);

public enum SegmentStatus
{
    /// <summary>Translated by the engine or provider (machine translation, or a glossary entry).</summary>
    Translated = 0,

    /// <summary>The seller's own earlier translation of the same text.</summary>
    MemoryExact = 1,

    /// <summary>The seller's translation of a similar text (<see cref="SegmentResult.Score"/> below 1): review it.</summary>
    MemoryFuzzy = 2,

    /// <summary>Nothing trustworthy: <see cref="SegmentResult.Text"/> is null and <see cref="SegmentResult.ReasonCode"/> says why.</summary>
    Untranslated = 3,
}

/// <param name="Index">Position in <see cref="TranslationRequest.Segments"/>.</param>
/// <param name="Text">The translation; null when <see cref="Status"/> is <see cref="SegmentStatus.Untranslated"/>.</param>
/// <param name="Engine">Who produced it: <c>local</c> (memory or glossary) or the provider's name (<c>deepl</c>).</param>
/// <param name="Score">Similarity 0..1 of the memory match (1 for exact), null for machine translation.</param>
/// <param name="MatchedSource">For memory matches: the source text the reused translation was made for.</param>
/// <param name="ReasonCode">Resource key of why the segment is untranslated (<see cref="TranslationErrors"/>).</param>
public sealed record SegmentResult(
    int Index,
    SegmentStatus Status,
    string? Text,
    string Engine,
    double? Score = null,
    string? MatchedSource = null,
    string? ReasonCode = null,
    IReadOnlyList<string>? ReasonArgs = null)
{
    public static SegmentResult Untranslated(int index, string engine, string reasonCode, params string[] args) =>
        new(index, SegmentStatus.Untranslated, null, engine, ReasonCode: reasonCode, ReasonArgs: args);
}

/// <summary>One result per requested segment, in request order.</summary>
public sealed record TranslationBatch(string SourceLanguage, string TargetLanguage, IReadOnlyList<SegmentResult> Segments)
{
    public int UntranslatedCount => Segments.Count(s => s.Status == SegmentStatus.Untranslated);
}

/// <summary>
/// Translates product text. Implementations never invent output: a segment they cannot translate,
/// or whose protected terms did not survive, comes back <see cref="SegmentStatus.Untranslated"/>.
/// </summary>
public interface ITranslator
{
    /// <summary><c>local</c>, <c>deepl</c>, <c>llm</c>.</summary>
    string Name { get; }

    /// <returns>The batch, or Invalid (unknown language, too many or too long segments, bad terms).
    /// A provider that fails as a whole throws <see cref="TranslationProviderException"/>.</returns>
    Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="TranslateAsync(TranslationRequest, CancellationToken)"/>, with the job the work is
    /// done for, so a provider that bills per call (the LLM) records its tokens and cost against it.
    /// Translators without such usage ignore it.
    /// </summary>
    Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, Guid? jobId, CancellationToken cancellationToken) =>
        TranslateAsync(request, cancellationToken);
}

public enum TranslationFailure
{
    /// <summary>Too many requests even after backing off; retry later (<see cref="TranslationProviderException.RetryAfter"/>).</summary>
    RateLimited = 0,

    /// <summary>The account's character quota is used up: retrying does not help until it resets.</summary>
    QuotaExceeded = 1,

    /// <summary>Bad key or wrong host: an operator must fix the configuration.</summary>
    Misconfigured = 2,

    /// <summary>The provider refused the request's content or parameters.</summary>
    Rejected = 3,

    /// <summary>5xx, broken connection, timeout or an unreadable answer: retrying may help.</summary>
    Transient = 4,
}

/// <summary>A provider call that failed as a whole. <see cref="Code"/> is a resource key for the seller;
/// the message is for logs and operators.</summary>
public sealed class TranslationProviderException(TranslationFailure failure, string code, string detail, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public TranslationFailure Failure { get; } = failure;

    public string Code { get; } = code;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsRetryable => Failure is TranslationFailure.RateLimited or TranslationFailure.Transient;
}
