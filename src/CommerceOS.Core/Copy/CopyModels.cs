using CommerceOS.Core.Catalog;
using CommerceOS.Core.Llm;

namespace CommerceOS.Core.Copy;

/// <summary>The text fields of a listing. Ids are stable (stored, in the API, resource keys <c>copy.field.{id}</c>).</summary>
public static class CopyFields
{
    public const string Title = "title";
    public const string Bullets = "bullets";
    public const string Description = "description";

    /// <summary>Amazon's backend search terms, or Etsy's tags (comma-separated).</summary>
    public const string SearchTerms = "search-terms";

    public const string MetaTitle = "meta-title";
    public const string MetaDescription = "meta-description";

    /// <summary>Short-video caption (TikTok Shop, Douyin).</summary>
    public const string Caption = "caption";

    public const string Hashtags = "hashtags";

    /// <summary>Live-stream script outline (Taobao, Douyin).</summary>
    public const string LiveScript = "live-script";

    public static readonly IReadOnlyList<string> All = [Title, Bullets, Description, SearchTerms, MetaTitle, MetaDescription, Caption, Hashtags, LiveScript];

    public static bool IsKnown(string? field) => field is not null && All.Contains(field, StringComparer.Ordinal);
}

/// <summary>The copy tones (issue 4); names are resource keys <c>copy.tone.{id}</c>.</summary>
public static class CopyTones
{
    public const string Professional = "professional";
    public const string Luxurious = "luxurious";
    public const string Playful = "playful";
    public const string Technical = "technical";
    public const string Warm = "warm";

    public static readonly IReadOnlyList<string> All = [Professional, Luxurious, Playful, Technical, Warm];

    public static string? Normalize(string? tone)
    {
        var t = tone?.Trim().ToLowerInvariant();
        return t is not null && All.Contains(t, StringComparer.Ordinal) ? t : null;
    }
}

/// <summary>
/// A listing's text on one marketplace in one language. Fields the marketplace does not have are empty.
/// <see cref="Description"/> is plain text (line breaks as <c>\n</c>) or the HTML subset the marketplace accepts.
/// </summary>
public sealed record ListingText
{
    public string Title { get; init; } = "";

    public IReadOnlyList<string> Bullets { get; init; } = [];

    public string Description { get; init; } = "";

    public string SearchTerms { get; init; } = "";

    public string MetaTitle { get; init; } = "";

    public string MetaDescription { get; init; } = "";

    public string Caption { get; init; } = "";

    /// <summary>Without the leading <c>#</c>.</summary>
    public IReadOnlyList<string> Hashtags { get; init; } = [];

    /// <summary>The outline's lines, in speaking order.</summary>
    public IReadOnlyList<string> LiveScript { get; init; } = [];

    /// <summary>The field's items: one for single-line fields, one per bullet, hashtag or script line.</summary>
    public IReadOnlyList<string> Items(string field) => field switch
    {
        CopyFields.Title => [Title],
        CopyFields.Bullets => Bullets,
        CopyFields.Description => [Description],
        CopyFields.SearchTerms => [SearchTerms],
        CopyFields.MetaTitle => [MetaTitle],
        CopyFields.MetaDescription => [MetaDescription],
        CopyFields.Caption => [Caption],
        CopyFields.Hashtags => Hashtags,
        CopyFields.LiveScript => LiveScript,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>This text with <paramref name="field"/> taken from <paramref name="other"/>.</summary>
    public ListingText WithField(string field, ListingText other) => field switch
    {
        CopyFields.Title => this with { Title = other.Title },
        CopyFields.Bullets => this with { Bullets = other.Bullets },
        CopyFields.Description => this with { Description = other.Description },
        CopyFields.SearchTerms => this with { SearchTerms = other.SearchTerms },
        CopyFields.MetaTitle => this with { MetaTitle = other.MetaTitle },
        CopyFields.MetaDescription => this with { MetaDescription = other.MetaDescription },
        CopyFields.Caption => this with { Caption = other.Caption },
        CopyFields.Hashtags => this with { Hashtags = other.Hashtags },
        CopyFields.LiveScript => this with { LiveScript = other.LiveScript },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public bool Equals(ListingText? other) =>
        other is not null && Title == other.Title && Description == other.Description && SearchTerms == other.SearchTerms
        && MetaTitle == other.MetaTitle && MetaDescription == other.MetaDescription && Caption == other.Caption
        && Bullets.SequenceEqual(other.Bullets) && Hashtags.SequenceEqual(other.Hashtags) && LiveScript.SequenceEqual(other.LiveScript);

    public override int GetHashCode() => HashCode.Combine(Title, Description, SearchTerms, Caption, Bullets.Count);
}

/// <summary>Which product facts one item of a field states (<see cref="ProductFacts"/> ids such as <c>attr:2</c>).</summary>
/// <param name="Index">The item: 0 for single-line fields, the bullet, hashtag or script line otherwise.</param>
public sealed record CopyTrace(string Field, int Index, IReadOnlyList<string> FactIds);

/// <summary>What a copy engine is asked to write.</summary>
/// <param name="Language">The language to write in; engines say which they write (<see cref="ICopyEngine.Writes"/>).</param>
/// <param name="Seed">Chooses among phrasings: the same request and seed always give the same text.</param>
/// <param name="Fields">Only these fields (regenerate one field); null for every field the marketplace has.</param>
/// <param name="RequiredKeywords">Keywords the seller wants in the listing (the title where the marketplace searches it).</param>
public sealed record CopyRequest(
    Product Product,
    Brand? Brand,
    string Marketplace,
    string Language,
    string Tone,
    int Seed,
    IReadOnlyList<string>? CompetitorBrands = null,
    IReadOnlyList<string>? RequiredKeywords = null,
    IReadOnlyList<string>? Fields = null,
    Guid? JobId = null)
{
    public IReadOnlyList<string> Competitors => CompetitorBrands ?? [];

    public IReadOnlyList<string> Required => RequiredKeywords ?? [];

    public bool Wants(string field) => Fields is null || Fields.Contains(field, StringComparer.Ordinal);
}

/// <summary>
/// What an engine wrote: the text with each item's traces and the rules it still breaks. The text is null when the engine
/// does not stand behind it (the LLM's last attempt still broke a rule: it may have invented a fact); the local engine,
/// which states only facts, always returns its draft, whose issues say what the product lacks.
/// </summary>
public sealed record CopyOutcome(
    ListingText? Text,
    IReadOnlyList<CopyTrace> Traces,
    IReadOnlyList<CopyIssue> Issues,
    string Engine,
    string? Model = null,
    LlmUsageTotals? Usage = null);

/// <summary>
/// Writes listing copy from a product's facts. Implementations never state a fact the product does not hold;
/// <see cref="CopyValidator"/> is the judge of that and of every marketplace rule.
/// </summary>
public interface ICopyEngine
{
    /// <summary><c>local</c> or <c>llm</c>.</summary>
    string Name { get; }

    /// <summary>Whether the engine writes <paramref name="language"/> itself (otherwise the caller translates).</summary>
    bool Writes(string language);

    Task<CopyOutcome> WriteAsync(CopyRequest request, CancellationToken cancellationToken);
}
