using CommerceOS.Core.Catalog;

namespace CommerceOS.Core.Seo;

/// <summary>
/// SEO over a product's facts (issue 4, "SEO"): keywords, per-marketplace keyword sets, meta tags, slug,
/// alt texts, schema.org Product JSON-LD and a listing quality score. Implementations are pure and
/// deterministic: the same input gives the same output, and nothing is stated that the product does not say.
/// </summary>
public interface ISeoEngine
{
    /// <summary>Ranked keywords (best first) from the product's title, category, attributes, selling points and description.</summary>
    IReadOnlyList<SeoKeyword> ExtractKeywords(SeoSubject subject);

    /// <summary>The keywords that fit <paramref name="marketplace"/>'s keyword field, without repeats or forbidden brands.</summary>
    SeoKeywordSet BuildKeywordSet(SeoSubject subject, string marketplace);

    /// <summary>Meta title and description within Shopify's and Google's limits.</summary>
    SeoMeta BuildMeta(SeoSubject subject);

    /// <summary>A lower-case ASCII URL slug.</summary>
    string BuildSlug(SeoSubject subject);

    /// <summary>One alt text per requested image role, from the product's facts.</summary>
    IReadOnlyList<SeoAltText> BuildAltTexts(SeoSubject subject, IReadOnlyList<ImageRole> roles);

    /// <summary>schema.org Product JSON-LD (a JSON object as text).</summary>
    string BuildProductJsonLd(SeoSubject subject, JsonLdOptions options);

    /// <summary>Checks a Product JSON-LD document against Google's required and recommended properties.</summary>
    JsonLdValidation ValidateProductJsonLd(string json);

    /// <summary>The longest prefix of <paramref name="text"/> within <paramref name="limit"/> that ends at a word boundary and never
    /// cuts a model number or a measure (Latin words, jieba's Chinese words); empty when not even the first word fits.</summary>
    string FitText(string text, int limit, LengthUnit unit);

    /// <summary>A 0-100 listing quality score for <paramref name="marketplace"/>, itemized by rule.</summary>
    ListingScore ScoreListing(ListingDraft listing, SeoSubject subject, string marketplace);
}

/// <summary>What the SEO engine works on: the product, the workspace's own brand and the brands that must never appear.</summary>
/// <param name="Product">The product's facts (title, description, category, attributes, selling points, audience, variants).</param>
/// <param name="Brand">The workspace's own brand name, if any; used only where the marketplace allows brands.</param>
/// <param name="CompetitorBrands">Brand names to remove everywhere (the workspace's configurable list).</param>
public sealed record SeoSubject(Product Product, string? Brand = null, IReadOnlyList<string>? CompetitorBrands = null)
{
    public IReadOnlyList<string> Competitors => CompetitorBrands ?? [];
}

/// <summary>The product field a keyword was found in, strongest first.</summary>
public enum KeywordSource
{
    Title = 0,
    Category = 1,
    Attribute = 2,
    SellingPoint = 3,
    Audience = 4,
    Description = 5,
}

public enum SeoLanguage
{
    English = 0,
    Chinese = 1,
}

/// <summary>A ranked keyword.</summary>
/// <param name="Text">The keyword as it reads in the product (lower case except model numbers).</param>
/// <param name="Key">Normalised form used for de-duplication (lower case, plural-insensitive).</param>
/// <param name="Score">Weighted occurrences (field weight × n-gram weight); higher is better.</param>
/// <param name="Source">The strongest field the keyword occurs in.</param>
/// <param name="Words">Number of words (n of the n-gram).</param>
/// <param name="Occurrences">How many times it occurs across all fields.</param>
public sealed record SeoKeyword(string Text, string Key, double Score, KeywordSource Source, int Words, int Occurrences, SeoLanguage Language);

/// <summary>Why a keyword did not make it into a marketplace's set (a resource key under <c>seo.drop.*</c>).</summary>
public sealed record DroppedKeyword(string Text, string ReasonKey);

/// <summary>A marketplace's keyword set.</summary>
/// <param name="Field">Which marketplace field the set is for (<c>search-terms</c>, <c>title</c>, <c>tags</c>).</param>
/// <param name="Value">The keywords joined as the marketplace expects them.</param>
/// <param name="Used">Length of <paramref name="Value"/> in <paramref name="Unit"/> (or the number of tags).</param>
public sealed record SeoKeywordSet(
    string Marketplace,
    string Field,
    IReadOnlyList<string> Keywords,
    string Value,
    int Used,
    int Limit,
    LengthUnit Unit,
    string Source,
    IReadOnlyList<DroppedKeyword> Dropped);

/// <summary>Meta tags with their lengths and limits (characters).</summary>
public sealed record SeoMeta(string Title, int TitleLimit, string Description, int DescriptionLimit, bool TitleTruncated, bool DescriptionTruncated);

public enum ImageRole
{
    Main = 0,
    Scene = 1,
    Infographic = 2,
}

public sealed record SeoAltText(ImageRole Role, string Text, int Limit);

/// <summary>Values the JSON-LD needs that are not product facts: where the page and images live.</summary>
public sealed record JsonLdOptions(IReadOnlyList<string> ImageUrls, string? PageUrl = null);

public enum JsonLdSeverity
{
    Error = 0,
    Warning = 1,
}

/// <param name="Path">JSON path of the offending property (<c>$.offers[0].price</c>).</param>
/// <param name="MessageKey">Resource key under <c>seo.jsonld.*</c>.</param>
public sealed record JsonLdIssue(JsonLdSeverity Severity, string Path, string MessageKey);

public sealed record JsonLdValidation(IReadOnlyList<JsonLdIssue> Issues)
{
    public bool IsValid => Issues.All(i => i.Severity != JsonLdSeverity.Error);
}

/// <summary>An image on a listing: its role and alt text (empty when missing).</summary>
public sealed record ListingImage(ImageRole Role, string? AltText = null);

/// <summary>A listing as a seller would publish it on one marketplace.</summary>
public sealed record ListingDraft(
    string Title,
    IReadOnlyList<string> Bullets,
    string Description,
    string SearchTerms,
    IReadOnlyList<ListingImage> Images,
    string? MetaTitle = null,
    string? MetaDescription = null);

/// <summary>One scored rule.</summary>
/// <param name="RuleId">Stable id; its name is the resource key <c>seo.rule.{RuleId}</c>.</param>
/// <param name="Group">The rule's group (for Amazon the prototype's score items); resource key <c>seo.group.{Group}</c>.</param>
/// <param name="Source">Where the rule comes from (a marketplace-rules.md section, or <c>CommerceOS</c> for our own).</param>
/// <param name="MessageKey">Resource key of the outcome message; <paramref name="MessageArgs"/> fill its placeholders.</param>
/// <param name="FixId">A one-click fix (resource key <c>seo.fix.{FixId}</c>) when the rule failed and one exists.</param>
public sealed record ListingRuleResult(
    string RuleId,
    string Group,
    int Earned,
    int Possible,
    string Source,
    string MessageKey,
    IReadOnlyList<string> MessageArgs,
    string? FixId)
{
    public bool Passed => Earned == Possible;
}

public sealed record ListingScore(string Marketplace, int Score, IReadOnlyList<ListingRuleResult> Rules);
