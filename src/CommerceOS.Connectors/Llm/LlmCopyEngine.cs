using System.Globalization;
using System.Text.RegularExpressions;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

/// <summary>The fields a trace can point at, as the reply names them (camelCase on the wire).</summary>
public enum LlmCopyField
{
    Title,
    Bullets,
    Description,
    SearchTerms,
    MetaTitle,
    MetaDescription,
    Caption,
    Hashtags,
    LiveScript,
}

/// <summary>Which product facts one item states: <paramref name="Facts"/> are <see cref="ProductFact.Id"/>s.</summary>
public sealed record LlmCopyTrace(LlmCopyField Field, int Index, IReadOnlyList<string> Facts);

/// <summary>
/// The structured reply the model must send. Every member is required (strict JSON Schema wants them all); fields the
/// request did not ask for come back empty and are dropped.
/// </summary>
public sealed record LlmCopyReply(
    string Title,
    IReadOnlyList<string> Bullets,
    string Description,
    string SearchTerms,
    string MetaTitle,
    string MetaDescription,
    string Caption,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> LiveScript,
    IReadOnlyList<LlmCopyTrace> Traces);

/// <summary>
/// <see cref="ICopyEngine"/> over the configured LLM (issue 4, "LLM engine"): the marketplace's rules, the brand and the
/// product's facts go into the prompt (<see cref="LlmCopyPrompt"/>), the reply comes back as <see cref="LlmCopyReply"/>,
/// and <see cref="CopyValidator"/> judges every reply; its errors drive <see cref="IStructuredLlm"/>'s repair loop, so the
/// model is told the rule and JSON path it broke. Warnings never fail a reply. A text that still breaks a rule after the
/// last attempt is not returned: the outcome carries that attempt's issues instead, for the seller to read.
/// Provider failures (<see cref="LlmException"/>) propagate: the job runner retries or fails with their code.
/// </summary>
public sealed partial class LlmCopyEngine(IStructuredLlm llm, IOptions<LlmCopyOptions> options) : ICopyEngine
{
    public const string EngineName = "llm";

    /// <summary>Schema name sent with the request.</summary>
    public const string SchemaName = "listing_copy";

    /// <summary>Source of issues that are about the reply itself (unreadable JSON) rather than a copy rule.</summary>
    public const string LlmSource = "LLM";

    public string Name => EngineName;

    /// <summary>Every translation language: the model writes them directly, so no translation pass is needed.</summary>
    public bool Writes(string language) => TranslationLanguages.TryFind(language, out _);

    public async Task<CopyOutcome> WriteAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var profile = CopyProfiles.Get(request.Marketplace);
        // No language asked for: the marketplace's own (Taobao writes Chinese, Amazon English).
        var requested = string.IsNullOrWhiteSpace(request.Language) ? profile.SourceLanguage : request.Language;
        if (!TranslationLanguages.TryFind(requested, out var language))
        {
            throw new ArgumentException($"The LLM copy engine does not write '{request.Language}'.", nameof(request));
        }

        var fields = profile.Fields.Where(request.Wants).ToList();
        if (fields.Count == 0)
        {
            throw new ArgumentException(
                $"{profile.Marketplace} has none of the fields {string.Join(", ", request.Fields ?? [])} (it has {string.Join(", ", profile.Fields)}).", nameof(request));
        }

        var facts = ProductFacts.From(request.Product, request.Brand);
        var prompt = LlmCopyPrompt.Build(request, profile, language, facts, fields);

        // The validator's view of the latest reply it judged; compared with the result below to tell whether the final
        // attempt reached the copy rules at all (an unreadable reply never does).
        IReadOnlyList<CopyIssue> lastIssues = [];
        IReadOnlyList<LlmRuleFailure> lastFailures = [];
        var result = await llm.GenerateAsync<LlmCopyReply>(
            new StructuredLlmRequest(prompt.System, prompt.User, SchemaName, options.Value.MaxAttempts, request.JobId),
            reply =>
            {
                var (text, traces) = ToListing(reply, fields);
                lastIssues = CopyValidator.Validate(text, Check(request, profile, facts, traces, fields));
                lastFailures = [.. lastIssues.Where(i => i.Severity == CopyIssueSeverity.Error).Select(i => i.ToLlmFailure())];
                return lastFailures;
            },
            cancellationToken);

        if (result.Succeeded)
        {
            var (text, traces) = ToListing(result.Value!, fields);
            return new CopyOutcome(text, traces, lastIssues, EngineName, llm.Model, result.Usage);
        }

        var issues = result.Failures.SequenceEqual(lastFailures) ? lastIssues : [.. result.Failures.Select(FromLlmFailure)];
        return new CopyOutcome(null, [], issues, EngineName, llm.Model, result.Usage);
    }

    private static CopyCheck Check(CopyRequest request, CopyProfile profile, ProductFacts facts, IReadOnlyList<CopyTrace> traces, IReadOnlyList<string> fields) =>
        new(profile, facts, request.Brand?.BannedWords, request.Competitors, request.Required, request.Brand?.Name, traces, fields);

    /// <summary>
    /// The reply as a listing with only the asked-for fields (nothing unvalidated leaks out) and their traces. Whitespace
    /// around items and a leading '#' on hashtags are the only things forgiven: neither changes what the text says.
    /// </summary>
    internal static (ListingText Text, IReadOnlyList<CopyTrace> Traces) ToListing(LlmCopyReply reply, IReadOnlyList<string> fields)
    {
        bool Has(string field) => fields.Contains(field, StringComparer.Ordinal);
        static IReadOnlyList<string> Items(IReadOnlyList<string> items) => [.. items.Select(i => i.Trim())];

        var text = new ListingText
        {
            Title = Has(CopyFields.Title) ? reply.Title.Trim() : "",
            Bullets = Has(CopyFields.Bullets) ? Items(reply.Bullets) : [],
            Description = Has(CopyFields.Description) ? reply.Description.Trim() : "",
            SearchTerms = Has(CopyFields.SearchTerms) ? reply.SearchTerms.Trim() : "",
            MetaTitle = Has(CopyFields.MetaTitle) ? reply.MetaTitle.Trim() : "",
            MetaDescription = Has(CopyFields.MetaDescription) ? reply.MetaDescription.Trim() : "",
            Caption = Has(CopyFields.Caption) ? reply.Caption.Trim() : "",
            Hashtags = Has(CopyFields.Hashtags) ? [.. reply.Hashtags.Select(h => h.Trim().TrimStart('#'))] : [],
            LiveScript = Has(CopyFields.LiveScript) ? Items(reply.LiveScript) : [],
        };
        var traces = reply.Traces
            .Select(t => new CopyTrace(FieldId(t.Field), t.Index, [.. t.Facts.Select(f => f.Trim()).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal)]))
            .Where(t => Has(t.Field))
            .ToList();
        return (text, traces);
    }

    public static string FieldId(LlmCopyField field) => field switch
    {
        LlmCopyField.Title => CopyFields.Title,
        LlmCopyField.Bullets => CopyFields.Bullets,
        LlmCopyField.Description => CopyFields.Description,
        LlmCopyField.SearchTerms => CopyFields.SearchTerms,
        LlmCopyField.MetaTitle => CopyFields.MetaTitle,
        LlmCopyField.MetaDescription => CopyFields.MetaDescription,
        LlmCopyField.Caption => CopyFields.Caption,
        LlmCopyField.Hashtags => CopyFields.Hashtags,
        LlmCopyField.LiveScript => CopyFields.LiveScript,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>
    /// A failure of the reply itself (malformed JSON, wrong shape, truncated, refused) as an issue: its rule is the
    /// <see cref="LlmErrors"/> code, placed on the field its JSON path names when it names one.
    /// </summary>
    internal static CopyIssue FromLlmFailure(LlmRuleFailure failure)
    {
        var field = "";
        var index = 0;
        if (failure.Path is { } path && PathPattern().Match(path) is { Success: true } m)
        {
            field = CopyFields.All.FirstOrDefault(f => CopyIssue.JsonName(f) == m.Groups[1].Value) ?? "";
            if (field.Length > 0 && m.Groups[2].Success)
            {
                index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        return new CopyIssue(field, index, failure.Rule, CopyIssueSeverity.Error, [], LlmSource, failure.Detail);
    }

    [GeneratedRegex(@"^\$\.([A-Za-z]+)(?:\[(\d{1,6})\])?", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
