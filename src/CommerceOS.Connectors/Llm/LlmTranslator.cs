using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Llm;

/// <summary>The structured reply the model must give: one translation per text it was sent, by the text's index.</summary>
public sealed record LlmTranslationReply(IReadOnlyList<LlmTranslatedText> Translations);

public sealed record LlmTranslatedText(int Index, string Text);

/// <summary>
/// Translation by the configured LLM (<see cref="IStructuredLlm"/>). Protected terms (brand names, model
/// numbers, numbers with units, URLs, markup) travel as <c>⟦n⟧</c> placeholders; texts go in batches as
/// one JSON array per request with the glossary entries they contain and the formality. Every reply is
/// checked per text (each placeholder back exactly once, glossary targets used, not empty, not the source
/// left as it was across scripts); the bounded repair loop re-asks for the texts that failed, and those
/// that still fail come back <see cref="SegmentStatus.Untranslated"/> with the rule, never as they were.
/// </summary>
public sealed class LlmTranslator(IStructuredLlm llm, ILogger<LlmTranslator> logger) : ITranslator
{
    public const string ProviderName = "llm";

    /// <summary>Texts per request: enough to share the prompt's cost, few enough that a model keeps every index straight.</summary>
    public const int MaxSegmentsPerRequest = 40;

    /// <summary>
    /// Characters of source text per request (a text longer than this goes alone). The reply is about as
    /// long again in tokens for CJK targets; this keeps it within the 4-8 K output tokens small models allow.
    /// </summary>
    public const int MaxCharactersPerRequest = 4_000;

    /// <summary>The first answer and two repairs.</summary>
    public const int MaxAttempts = 3;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writing systems: a text "translated" into another one but returned unchanged was not translated.
    /// Chinese and Japanese share Han characters, so an unchanged reply between them may be right.
    /// </summary>
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["zh-CN"] = "han",
        ["zh-TW"] = "han",
        ["ja"] = "han",
        ["ko"] = "hangul",
        ["th"] = "thai",
        ["ru"] = "cyrillic",
    };

    public string Name => ProviderName;

    public Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, CancellationToken cancellationToken) =>
        TranslateAsync(request, null, cancellationToken);

    /// <param name="jobId">Tokens and cost of every call are recorded against this job (<c>LlmUsageLedger</c>).</param>
    public async Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, Guid? jobId, CancellationToken cancellationToken)
    {
        var check = TranslationRequestValidator.Validate(request);
        if (!check.IsSuccess)
        {
            return check.WithoutValue();
        }

        var (source, target) = check.Value;
        var results = new SegmentResult?[request.Segments.Count];

        // The model sees only placeholders for markup too: it cannot break a tag it never sees.
        var maskMarkup = request.TagHandling != TagHandling.None;
        var pending = new Dictionary<string, Pending>(StringComparer.Ordinal);
        for (var i = 0; i < request.Segments.Count; i++)
        {
            var text = request.Segments[i] ?? "";
            if (string.IsNullOrWhiteSpace(text))
            {
                results[i] = new SegmentResult(i, SegmentStatus.Translated, text, Name);
                continue;
            }

            var protectedText = TermProtector.Protect(text, request.DoNotTranslate, maskMarkup);
            if (protectedText.IsOnlyProtected)
            {
                // Model numbers, sizes and URLs alone: nothing to pay the model for.
                results[i] = new SegmentResult(i, SegmentStatus.Translated, text, Name);
                continue;
            }

            var masked = protectedText.Render(PlaceholderStyle.Brackets);
            if (!pending.TryGetValue(masked, out var entry))
            {
                entry = new Pending(masked, protectedText, []);
                pending[masked] = entry;
            }

            entry.Occurrences.Add((i, protectedText));
        }

        var glossary = DistinctGlossary(request.Glossary);
        foreach (var batch in Split(pending.Values))
        {
            var translated = await TranslateBatchAsync(batch, source, target, glossary, request.Formality, jobId, cancellationToken);
            for (var k = 0; k < batch.Count; k++)
            {
                foreach (var (index, occurrence) in batch[k].Occurrences)
                {
                    // "Holds 500 ml" and "Holds 750 ml" share one masked text: each gets its own values back.
                    results[index] = translated[k] is { Status: SegmentStatus.Translated, Text: { } maskedTranslation }
                        ? translated[k] with { Index = index, Text = occurrence.Restore(maskedTranslation, PlaceholderStyle.Brackets).Text!.Trim() }
                        : translated[k] with { Index = index };
                }
            }
        }

        return new TranslationBatch(source.Code, target.Code, results.Select(r => r!).ToList());
    }

    /// <returns>Per text: Translated with the accepted translation still masked (the caller restores each
    /// occurrence's own values), or Untranslated with the last rule it broke.</returns>
    private async Task<SegmentResult[]> TranslateBatchAsync(
        List<Pending> batch,
        TranslationLanguage source,
        TranslationLanguage target,
        IReadOnlyList<TranslationTerm> glossary,
        Formality formality,
        Guid? jobId,
        CancellationToken cancellationToken)
    {
        var terms = batch.Select(p => glossary.Where(t => ContainsTerm(p, t.Source, source)).ToList()).ToList();
        var mustDiffer = !string.Equals(Script(source.Code), Script(target.Code), StringComparison.Ordinal);
        var accepted = new string?[batch.Count];
        var reasons = new SegmentResult?[batch.Count];

        IReadOnlyList<LlmRuleFailure> Validate(LlmTranslationReply reply)
        {
            var failures = new List<LlmRuleFailure>();
            var byIndex = new Dictionary<int, List<(int Position, string Text)>>();
            for (var position = 0; position < reply.Translations.Count; position++)
            {
                var item = reply.Translations[position];
                if (item.Index < 0 || item.Index >= batch.Count)
                {
                    failures.Add(new LlmRuleFailure(
                        TranslationErrors.UnexpectedIndex,
                        $"$.translations[{position}] has index {item.Index}, but only indexes 0 to {batch.Count - 1} were sent; answer each sent index once.",
                        $"$.translations[{position}].index"));
                    continue;
                }

                if (!byIndex.TryGetValue(item.Index, out var answers))
                {
                    byIndex[item.Index] = answers = [];
                }

                answers.Add((position, item.Text));
            }

            for (var k = 0; k < batch.Count; k++)
            {
                if (accepted[k] is not null)
                {
                    // Accepted in an earlier round: a repair never takes a good translation away.
                    continue;
                }

                var (outcome, failure) = byIndex.TryGetValue(k, out var answers) && answers.Count == 1
                    ? Check(k, answers[0].Position, answers[0].Text, batch[k], terms[k], mustDiffer)
                    : (null, Missing(k, answers?.Count ?? 0));
                if (outcome is not null)
                {
                    accepted[k] = outcome;
                    continue;
                }

                reasons[k] = failure!.Reason;
                failures.Add(failure.Rule);
            }

            return failures;
        }

        var request = new StructuredLlmRequest(
            SystemPrompt(source, target, formality),
            UserPrompt(batch, terms),
            "translations",
            MaxAttempts,
            jobId);
        StructuredLlmResult<LlmTranslationReply> result;
        try
        {
            result = await llm.GenerateAsync<LlmTranslationReply>(request, Validate, cancellationToken);
        }
        catch (LlmException ex)
        {
            throw Map(ex);
        }

        var output = new SegmentResult[batch.Count];
        for (var k = 0; k < batch.Count; k++)
        {
            if (accepted[k] is { } masked)
            {
                output[k] = new SegmentResult(0, SegmentStatus.Translated, masked, Name);
            }
            else if (reasons[k] is { } reason)
            {
                output[k] = reason;
            }
            else
            {
                // No reply of any round could even be read: the provider failed, not one text.
                throw Unreadable(result);
            }
        }

        logger.LogInformation(
            "LLM translated {Accepted} of {Count} texts {Source}->{Target} in {Attempts} attempts ({InputTokens} input, {OutputTokens} output tokens)",
            accepted.Count(a => a is not null), batch.Count, source.Code, target.Code, result.Attempts, result.Usage.InputTokens, result.Usage.OutputTokens);
        return output;
    }

    /// <summary>The accepted (still masked) translation of text <paramref name="k"/>, or the rule it broke.</summary>
    private (string? Text, Failure? Failure) Check(int k, int position, string translated, Pending text, List<TranslationTerm> terms, bool mustDiffer)
    {
        var path = $"$.translations[{position}].text";
        var spans = text.Source.Spans;
        var counts = new int[spans.Count];
        var invented = new List<string>();
        foreach (System.Text.RegularExpressions.Match match in PlaceholderStyle.Brackets.Pattern.Matches(translated))
        {
            if (int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < spans.Count)
            {
                counts[n]++;
            }
            else
            {
                invented.Add(match.Value);
            }
        }

        var lost = spans.Where(s => counts[s.Index] == 0).ToList();
        if (lost.Count > 0 || invented.Count > 0)
        {
            var missing = lost.Select(s => s.Value).Concat(invented);
            var placeholders = lost.Select(s => PlaceholderStyle.Brackets.Format(s.Index));
            var detail = lost.Count > 0
                ? $"Text {k} lost {string.Join(", ", placeholders)}: copy every placeholder of the source exactly once, unchanged, where it belongs in the sentence."
                : $"Text {k} contains {string.Join(", ", invented)}, which its source does not have: use only the source's placeholders.";
            return (null, new Failure(
                new LlmRuleFailure(TranslationErrors.PlaceholderLost, detail, path),
                SegmentResult.Untranslated(0, Name, TranslationErrors.PlaceholderLost, string.Join(", ", missing))));
        }

        var repeated = spans.Where(s => counts[s.Index] > 1).ToList();
        if (repeated.Count > 0)
        {
            return (null, new Failure(
                new LlmRuleFailure(
                    TranslationErrors.PlaceholderRepeated,
                    $"Text {k} repeats {string.Join(", ", repeated.Select(s => PlaceholderStyle.Brackets.Format(s.Index)))}: each placeholder must appear exactly once.",
                    path),
                SegmentResult.Untranslated(0, Name, TranslationErrors.PlaceholderRepeated, string.Join(", ", repeated.Select(s => s.Value)))));
        }

        var restored = text.Source.Restore(translated, PlaceholderStyle.Brackets).Text!.Trim();
        if (restored.Length == 0)
        {
            return (null, new Failure(
                new LlmRuleFailure(TranslationErrors.EmptyOutput, $"Text {k} is empty: translate it.", path),
                SegmentResult.Untranslated(0, Name, TranslationErrors.EmptyOutput)));
        }

        if (mustDiffer && string.Equals(TranslationKeys.Normalize(translated), TranslationKeys.Normalize(text.Masked), StringComparison.Ordinal))
        {
            return (null, new Failure(
                new LlmRuleFailure(TranslationErrors.Unchanged, $"Text {k} was returned untranslated: translate it into the target language.", path),
                SegmentResult.Untranslated(0, Name, TranslationErrors.Unchanged)));
        }

        foreach (var term in terms)
        {
            if (!restored.Contains(term.Target.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (null, new Failure(
                    new LlmRuleFailure(
                        TranslationErrors.GlossaryIgnored,
                        $"Text {k} contains the glossary term \"{term.Source.Trim()}\", which must be translated as \"{term.Target.Trim()}\" exactly.",
                        path),
                    SegmentResult.Untranslated(0, Name, TranslationErrors.GlossaryIgnored, term.Source.Trim(), term.Target.Trim())));
            }
        }

        return (translated, null);
    }

    private Failure Missing(int k, int answers) => new(
        new LlmRuleFailure(
            TranslationErrors.MissingFromReply,
            answers == 0
                ? $"Text {k} is missing: answer every index that was sent, once."
                : $"Text {k} is answered {answers} times: answer every index exactly once.",
            "$.translations"),
        SegmentResult.Untranslated(0, Name, TranslationErrors.MissingFromReply));

    private static string SystemPrompt(TranslationLanguage source, TranslationLanguage target, Formality formality)
    {
        var prompt = new StringBuilder()
            .Append("You translate e-commerce product listings from ").Append(PromptName(source)).Append(" to ").Append(PromptName(target)).Append(".\n")
            .Append("Rules:\n")
            .Append("- Translate every text completely and faithfully: add nothing, leave nothing out, state no fact the text does not state.\n")
            .Append("- Placeholders like ⟦0⟧ stand for brand names, model numbers, sizes, links and markup. Copy each placeholder of a text exactly once, unchanged, where it belongs in the translated sentence; never translate, merge, drop or invent one.\n")
            .Append("- Where a glossary is given, translate its source terms exactly as it says.\n")
            .Append("- Keep line breaks. Write natural ").Append(PromptName(target)).Append(" for shoppers.\n");
        prompt.Append(formality switch
        {
            Formality.More => "- Use the formal, polite register.\n",
            Formality.Less => "- Use the informal, casual register.\n",
            Formality.Default => "",
            _ => throw new ArgumentOutOfRangeException(nameof(formality), formality, null),
        });
        prompt.Append("Answer {\"translations\":[{\"index\":n,\"text\":\"...\"}]} with exactly one entry per index you were sent.");
        return prompt.ToString();
    }

    private static string UserPrompt(List<Pending> batch, List<List<TranslationTerm>> terms)
    {
        var prompt = new StringBuilder();
        var used = terms.SelectMany(t => t).Distinct().ToList();
        if (used.Count > 0)
        {
            prompt.Append("Glossary (source => translation):\n");
            foreach (var term in used)
            {
                prompt.Append(term.Source.Trim()).Append(" => ").Append(term.Target.Trim()).Append('\n');
            }

            prompt.Append('\n');
        }

        var texts = batch.Select((p, k) => new { index = k, text = p.Masked }).ToArray();
        prompt.Append("Texts:\n").Append(JsonSerializer.Serialize(texts, Json));
        return prompt.ToString();
    }

    /// <summary>
    /// Batches of at most <see cref="MaxSegmentsPerRequest"/> texts and <see cref="MaxCharactersPerRequest"/>
    /// characters; a longer text goes alone rather than not at all.
    /// </summary>
    private static List<List<Pending>> Split(IEnumerable<Pending> texts)
    {
        var batches = new List<List<Pending>>();
        var current = new List<Pending>();
        var characters = 0;
        foreach (var text in texts)
        {
            if (current.Count > 0 && (current.Count >= MaxSegmentsPerRequest || characters + text.Masked.Length > MaxCharactersPerRequest))
            {
                batches.Add(current);
                current = [];
                characters = 0;
            }

            current.Add(text);
            characters += text.Masked.Length;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    /// <summary>One entry per source term (the first wins), as DeepL's glossary keeps it.</summary>
    private static List<TranslationTerm> DistinctGlossary(IReadOnlyList<TranslationTerm>? glossary)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return (glossary ?? []).Where(t => seen.Add(t.Source.Trim())).ToList();
    }

    /// <summary>
    /// Whether the glossary term occurs in the text's translatable part (placeholders are not text), as a
    /// whole word in scripts with spaces and anywhere in Chinese, Japanese or Thai.
    /// </summary>
    private static bool ContainsTerm(Pending text, string term, TranslationLanguage source)
    {
        var needle = term.Trim();
        var haystack = text.Masked;
        for (var at = haystack.IndexOf(needle, StringComparison.OrdinalIgnoreCase); at >= 0; at = haystack.IndexOf(needle, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (!source.UsesWordSpacing
                || ((at == 0 || !char.IsLetterOrDigit(haystack[at - 1])) && (at + needle.Length == haystack.Length || !char.IsLetterOrDigit(haystack[at + needle.Length]))))
            {
                return true;
            }
        }

        return false;
    }

    private static string PromptName(TranslationLanguage language) =>
        $"{language.EnglishName} ({language.Code})";

    private static string Script(string code) => Scripts.GetValueOrDefault(code, "latin");

    /// <summary>The provider's failure in translation terms (<see cref="TranslationProviderException"/>), after its own retries.</summary>
    internal static TranslationProviderException Map(LlmException ex) => ex.Failure switch
    {
        LlmFailure.RateLimited => new(TranslationFailure.RateLimited, TranslationErrors.ProviderRateLimited, ex.Message, ex.RetryAfter, ex),
        LlmFailure.Unavailable => new(TranslationFailure.Transient, TranslationErrors.ProviderUnavailable, ex.Message, ex.RetryAfter, ex),
        LlmFailure.Timeout => new(TranslationFailure.Transient, TranslationErrors.ProviderTimeout, ex.Message, ex.RetryAfter, ex),
        LlmFailure.Unauthorized => new(TranslationFailure.Misconfigured, TranslationErrors.ProviderBadKey, ex.Message, inner: ex),
        LlmFailure.QuotaExhausted => new(TranslationFailure.QuotaExceeded, TranslationErrors.ProviderQuotaExceeded, ex.Message, inner: ex),
        LlmFailure.Rejected => new(TranslationFailure.Rejected, TranslationErrors.ProviderRejected, ex.Message, inner: ex),
        _ => throw new ArgumentOutOfRangeException(nameof(ex), ex.Failure, null),
    };

    /// <summary>Every round's reply was unreadable (not JSON, wrong shape, cut off, refused).</summary>
    private static TranslationProviderException Unreadable(StructuredLlmResult<LlmTranslationReply> result)
    {
        var rules = string.Join("; ", result.Failures.Select(f => $"[{f.Rule}] {f.Detail}"));
        var detail = $"The LLM gave no readable translation in {result.Attempts} attempts: {rules}";
        return result.Failures.Any(f => f.Rule == LlmErrors.Refused)
            ? new TranslationProviderException(TranslationFailure.Rejected, TranslationErrors.ProviderRejected, detail)
            : new TranslationProviderException(TranslationFailure.Transient, TranslationErrors.ProviderMalformed, detail);
    }

    /// <param name="Masked">The text as sent, with placeholders.</param>
    /// <param name="Source">The first occurrence: what the reply is checked against.</param>
    /// <param name="Occurrences">Every request position with this masked text, with its own protected values
    /// (each distinct masked text is sent once).</param>
    private sealed record Pending(string Masked, ProtectedText Source, List<(int Index, ProtectedText Text)> Occurrences);

    /// <param name="Rule">What the repair round tells the model.</param>
    /// <param name="Reason">What the seller sees if no round fixes it.</param>
    private sealed record Failure(LlmRuleFailure Rule, SegmentResult Reason);
}
