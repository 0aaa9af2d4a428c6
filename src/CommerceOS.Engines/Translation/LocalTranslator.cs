using System.Globalization;
using CommerceOS.Core.Common;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Options;

namespace CommerceOS.Engines.Translation;

/// <summary>
/// The offline translator: the workspace's translation memory plus the request's glossary. It
/// translates only what the seller has translated before (exactly, or a similar text flagged fuzzy
/// with its score), whole-segment glossary entries, and segments made only of protected terms and
/// numbers. Everything else is reported <see cref="SegmentStatus.Untranslated"/> with the reason:
/// it has no language model and never pretends to (no word-by-word output).
/// </summary>
public sealed class LocalTranslator(TranslationMemory memory, IOptions<LocalTranslatorOptions> options) : ITranslator
{
    public const string EngineName = "local";

    public string Name => EngineName;

    public async Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, CancellationToken cancellationToken)
    {
        var check = TranslationRequestValidator.Validate(request);
        if (!check.IsSuccess)
        {
            return check.WithoutValue();
        }

        var (source, target) = check.Value;
        var glossary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var term in request.Glossary ?? [])
        {
            glossary.TryAdd(TranslationKeys.Normalize(term.Source), term.Target.Trim());
        }

        // Product texts repeat (the same bullet on many variants): translate each distinct text once.
        var cache = new Dictionary<string, SegmentResult>(StringComparer.Ordinal);
        var results = new List<SegmentResult>(request.Segments.Count);
        for (var i = 0; i < request.Segments.Count; i++)
        {
            var text = request.Segments[i] ?? "";
            if (!cache.TryGetValue(text, out var result))
            {
                result = await TranslateOneAsync(text, source.Code, target.Code, glossary, request.DoNotTranslate, cancellationToken);
                cache[text] = result;
            }

            results.Add(result with { Index = i });
        }

        return new TranslationBatch(source.Code, target.Code, results);
    }

    private async Task<SegmentResult> TranslateOneAsync(
        string text,
        string sourceLanguage,
        string targetLanguage,
        Dictionary<string, string> glossary,
        IReadOnlyList<string>? doNotTranslate,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new SegmentResult(0, SegmentStatus.Translated, text, EngineName);
        }

        var key = MemoryKey.For(text, doNotTranslate);
        var normalizedText = TranslationKeys.Normalize(text);

        // 1. The seller's own translation of this text, or of the same text around other protected values.
        var sameKey = await memory.FindByKeyAsync(sourceLanguage, targetLanguage, key.KeyHash, cancellationToken);
        if (sameKey.FirstOrDefault(e => e.SourceTextHash == key.TextHash) is { } exact)
        {
            return new SegmentResult(0, SegmentStatus.MemoryExact, exact.TargetText, EngineName, 1.0, exact.SourceText);
        }

        foreach (var entry in sameKey)
        {
            if (Substitute(entry, key.Source) is { } adapted)
            {
                var score = Round(TextSimilarity.Compute(normalizedText, TranslationKeys.Normalize(entry.SourceText)));
                return new SegmentResult(0, SegmentStatus.MemoryFuzzy, adapted, EngineName, Math.Min(score, 0.999), entry.SourceText);
            }
        }

        // 2. A glossary entry for the whole segment (a category name, a colour, an attribute value).
        if (glossary.TryGetValue(normalizedText, out var term))
        {
            return new SegmentResult(0, SegmentStatus.Translated, term, EngineName);
        }

        // 3. Nothing but model numbers, sizes, URLs and digits: the text is its own translation.
        if (key.Source.IsOnlyProtected)
        {
            return new SegmentResult(0, SegmentStatus.Translated, text, EngineName);
        }

        // 4. The most similar text the seller translated before.
        return await FuzzyAsync(key, sourceLanguage, targetLanguage, cancellationToken);
    }

    private async Task<SegmentResult> FuzzyAsync(MemoryKey key, string sourceLanguage, string targetLanguage, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var threshold = settings.FuzzyThreshold;
        var length = key.CompactLength;
        if (threshold >= 1.0 || length > settings.MaxFuzzyLength)
        {
            return SegmentResult.Untranslated(0, EngineName, TranslationErrors.NoMemoryMatch);
        }

        // Below this report floor a "closest entry" says nothing useful to the seller.
        const double ReportFloor = 0.5;
        var lowest = Math.Min(threshold, ReportFloor);

        // Similarity can be at least `lowest` only if the shorter key is at least `lowest` of the longer.
        var minLength = (int)Math.Ceiling(length * lowest);
        var maxLength = (int)Math.Floor(length / lowest);
        var candidates = await memory.FindCandidatesAsync(sourceLanguage, targetLanguage, minLength, maxLength, settings.MaxFuzzyCandidates, cancellationToken);
        var compact = TranslationKeys.Compact(key.MaskedKey);
        TranslationMemoryEntry? best = null;
        var bestScore = 0.0;
        foreach (var candidate in candidates)
        {
            var score = TextSimilarity.Compute(compact, TranslationKeys.Compact(candidate.SourceKey), Math.Max(lowest, bestScore));
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        if (best is null)
        {
            return SegmentResult.Untranslated(0, EngineName, TranslationErrors.NoMemoryMatch);
        }

        var percent = Percent(bestScore);
        if (bestScore < threshold)
        {
            return SegmentResult.Untranslated(0, EngineName, TranslationErrors.FuzzyBelowThreshold, percent, Percent(threshold)) with { MatchedSource = best.SourceText, Score = Round(bestScore) };
        }

        if (Substitute(best, key.Source) is { } adapted)
        {
            return new SegmentResult(0, SegmentStatus.MemoryFuzzy, adapted, EngineName, Math.Min(Round(bestScore), 0.999), best.SourceText);
        }

        return SegmentResult.Untranslated(0, EngineName, TranslationErrors.FuzzyTermsDiffer, percent) with { MatchedSource = best.SourceText, Score = Round(bestScore) };
    }

    /// <summary>
    /// The entry's translation carrying the current segment's protected values. With the same values it
    /// is the stored text as is; otherwise the values are put into the entry's masked target by
    /// placeholder number, which needs the same number of protected spans, and every one placed.
    /// </summary>
    private static string? Substitute(TranslationMemoryEntry entry, ProtectedText current)
    {
        var values = current.Spans.Select(s => s.Value).ToList();
        if (entry.ProtectedValues.SequenceEqual(values, StringComparer.Ordinal))
        {
            return entry.TargetText;
        }

        if (entry.MaskedTarget is null || entry.ProtectedValues.Count != values.Count)
        {
            return null;
        }

        var restored = ProtectedText.RestoreWith(entry.MaskedTarget, PlaceholderStyle.Brackets, current.Spans);
        return restored.Text;
    }

    private static double Round(double score) => Math.Round(score, 3, MidpointRounding.ToZero);

    private static string Percent(double score) => Math.Floor(score * 100).ToString(CultureInfo.InvariantCulture);
}
