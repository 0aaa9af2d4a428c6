using System.Globalization;
using System.Text.RegularExpressions;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Seo;

namespace CommerceOS.Core.Copy;

public enum CopyIssueSeverity
{
    /// <summary>The marketplace refuses it, or it states something the product data does not.</summary>
    Error = 0,

    /// <summary>Publishable, but below a score band or a recommendation.</summary>
    Warning = 1,
}

/// <summary>
/// One broken rule on one item of a field. <see cref="MessageKey"/> (<c>copy.msg.{rule}</c>) with <see cref="Args"/> is
/// what the seller reads; <see cref="Detail"/> is the same in plain English for an LLM's repair prompt.
/// </summary>
public sealed record CopyIssue(
    string Field,
    int Index,
    string RuleId,
    CopyIssueSeverity Severity,
    IReadOnlyList<string> Args,
    string Source,
    string Detail)
{
    /// <summary>
    /// <c>copy.msg.{rule}</c>; an LLM output code (<c>llm.output.malformed_json</c>, the last attempt of a copy engine that
    /// never produced readable JSON) is its own key (Llm.json), since no copy rule was ever checked.
    /// </summary>
    public string MessageKey => RuleId.StartsWith("llm.", StringComparison.Ordinal) ? RuleId : $"copy.msg.{RuleId}";

    /// <summary>JSON path of the item in a <see cref="ListingText"/> (<c>$.bullets[2]</c>); <c>$</c> for the whole reply.</summary>
    public string Path => Field switch
    {
        "" => "$",
        CopyFields.Bullets or CopyFields.Hashtags or CopyFields.LiveScript => $"$.{JsonName(Field)}[{Index.ToString(CultureInfo.InvariantCulture)}]",
        _ => $"$.{JsonName(Field)}",
    };

    public LlmRuleFailure ToLlmFailure() => new(RuleId, Detail, Path);

    public static string JsonName(string field) => field switch
    {
        CopyFields.SearchTerms => "searchTerms",
        CopyFields.MetaTitle => "metaTitle",
        CopyFields.MetaDescription => "metaDescription",
        CopyFields.LiveScript => "liveScript",
        _ => field,
    };
}

/// <summary>Stable rule ids; names are resource keys <c>copy.rule.{id}</c>.</summary>
public static class CopyRules
{
    public const string Required = "required";
    public const string TooLong = "too-long";
    public const string TooShort = "too-short";
    public const string TooFewWords = "too-few-words";
    public const string BulletCount = "bullet-count";
    public const string ForbiddenCharacters = "forbidden-characters";
    public const string Emoji = "emoji";
    public const string ChineseInTitle = "chinese-in-title";
    public const string AllCaps = "all-caps";
    public const string WordRepeat = "word-repeat";
    public const string GuaranteePhrase = "guarantee-phrase";
    public const string BannedWord = "banned-word";
    public const string CompetitorBrand = "competitor-brand";
    public const string OwnBrandInSearchTerms = "own-brand-in-search-terms";
    public const string Markup = "markup";
    public const string RequiredKeyword = "required-keyword";
    public const string UntracedFigure = "untraced-figure";
    public const string UnsupportedClaim = "unsupported-claim";
    public const string UnknownFact = "unknown-fact";
    public const string Untraced = "untraced";
    public const string HashtagFormat = "hashtag-format";
    public const string TooManyItems = "too-many-items";

    public static readonly IReadOnlyList<string> All =
    [
        Required, TooLong, TooShort, TooFewWords, BulletCount, ForbiddenCharacters, Emoji, ChineseInTitle, AllCaps, WordRepeat,
        GuaranteePhrase, BannedWord, CompetitorBrand, OwnBrandInSearchTerms, Markup, RequiredKeyword, UntracedFigure,
        UnsupportedClaim, UnknownFact, Untraced, HashtagFormat, TooManyItems,
    ];
}

/// <summary>What a text is checked against.</summary>
/// <param name="Traces">When given (engines give them), every item must trace to facts that exist.</param>
/// <param name="Fields">Only these fields are checked (a regenerated field); null checks the marketplace's every field.</param>
public sealed record CopyCheck(
    CopyProfile Profile,
    ProductFacts Facts,
    IReadOnlyList<string>? BannedWords = null,
    IReadOnlyList<string>? CompetitorBrands = null,
    IReadOnlyList<string>? RequiredKeywords = null,
    string? OwnBrand = null,
    IReadOnlyList<CopyTrace>? Traces = null,
    IReadOnlyCollection<string>? Fields = null);

/// <summary>
/// Every rule a listing text must keep on its marketplace (issue 4: lengths, bytes, forbidden characters, banned words,
/// required keywords, every claim traced to a product fact). Used on the local engine's output, on every LLM reply
/// (its failures drive the repair loop), on translations and on the seller's hand edits.
/// </summary>
public static partial class CopyValidator
{
    private static readonly HashSet<string> SmallWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "the", "for", "with", "of", "in", "on", "to", "or", "by", "at", "from", "&",
    };

    /// <summary>Amazon: no guarantee or refund phrases, "N/A" or "TBD" in bullets (§1.1).</summary>
    private static readonly string[] GuaranteePhrases =
        ["guarantee", "guaranteed", "refund", "money back", "money-back", "satisfaction", "n/a", "tbd", "保证", "退款"];

    public static IReadOnlyList<CopyIssue> Validate(ListingText text, CopyCheck check)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(check);
        var issues = new List<CopyIssue>();
        var profile = check.Profile;
        var fields = profile.Fields.Where(f => check.Fields is null || check.Fields.Contains(f)).ToList();
        foreach (var field in fields)
        {
            CheckField(text, field, check, issues);
        }

        if (check.RequiredKeywords is { Count: > 0 } required && (check.Fields is null || check.Fields.Contains(CopyFields.Title)))
        {
            // Where the title is the searched field the keyword belongs there; elsewhere the search terms count too.
            var searched = profile.SearchTerms is null ? text.Title : text.Title + " " + text.SearchTerms;
            foreach (var keyword in required.Where(k => !string.IsNullOrWhiteSpace(k)))
            {
                if (!ContainsWord(searched, keyword.Trim()))
                {
                    issues.Add(Issue(CopyFields.Title, 0, CopyRules.RequiredKeyword, CopyIssueSeverity.Error, SeoMarketplaceRules.Ours,
                        $"The title must contain the keyword \"{keyword.Trim()}\".", keyword.Trim()));
                }
            }
        }

        return issues;
    }

    public static bool HasErrors(IReadOnlyList<CopyIssue> issues) => issues.Any(i => i.Severity == CopyIssueSeverity.Error);

    private static void CheckField(ListingText text, string field, CopyCheck check, List<CopyIssue> issues)
    {
        var profile = check.Profile;
        var items = text.Items(field);
        if (items.Count == 0 || items.All(string.IsNullOrWhiteSpace))
        {
            issues.Add(Issue(field, 0, CopyRules.Required, CopyIssueSeverity.Error, profile.Source, $"The {field} field is empty."));
            return;
        }

        switch (field)
        {
            case CopyFields.Title:
                CheckTitle(text.Title, profile, issues);
                break;
            case CopyFields.Bullets:
                CheckBullets(text.Bullets, profile, issues);
                break;
            case CopyFields.Description:
                CheckDescription(text.Description, profile, issues);
                break;
            case CopyFields.SearchTerms:
                CheckSearchTerms(text.SearchTerms, profile, check.OwnBrand, issues);
                break;
            case CopyFields.MetaTitle:
                CheckMax(field, 0, text.MetaTitle, SeoMarketplaceRules.MetaTitleMax, LengthUnit.Characters, "marketplace-rules.md §2", issues);
                break;
            case CopyFields.MetaDescription:
                CheckMax(field, 0, text.MetaDescription, SeoMarketplaceRules.MetaDescriptionMax, LengthUnit.Characters, "marketplace-rules.md §2", issues);
                CheckMax(field, 0, text.MetaDescription, SeoMarketplaceRules.MetaDescriptionAdvised, LengthUnit.Characters, "marketplace-rules.md §2", issues, CopyIssueSeverity.Warning);
                break;
            case CopyFields.Caption:
                var posted = string.Join(" ", new[] { text.Caption }.Concat(text.Hashtags.Select(h => "#" + h)));
                CheckMax(field, 0, posted, profile.CaptionMax, LengthUnit.Characters, profile.Source, issues);
                break;
            case CopyFields.Hashtags:
                CheckHashtags(text.Hashtags, profile, issues);
                break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            CheckTruth(field, i, items[i], check, issues);
        }
    }

    private static void CheckTitle(string title, CopyProfile profile, List<CopyIssue> issues)
    {
        var rule = profile.Title;
        CheckMax(CopyFields.Title, 0, title, rule.Max, rule.Unit, rule.Source, issues);
        CheckMin(CopyFields.Title, 0, title, rule.Min, rule.Unit, rule.Source, profile.HardMinimums, issues);
        CheckCharacters(CopyFields.Title, 0, title, rule.ForbiddenCharacters, rule.Source, issues);
        if (rule.ForbidEmoji && EmojiPattern().IsMatch(title))
        {
            issues.Add(Issue(CopyFields.Title, 0, CopyRules.Emoji, CopyIssueSeverity.Error, rule.Source, "The title may not contain emoji."));
        }

        if (profile.TitleLatinOnly && HanPattern().IsMatch(title))
        {
            issues.Add(Issue(CopyFields.Title, 0, CopyRules.ChineseInTitle, CopyIssueSeverity.Error, profile.Source, "The title may not contain Chinese characters."));
        }

        if (rule.NoAllCaps)
        {
            var shouting = LatinWordPattern().Matches(title).Select(m => m.Value).Where(w => w.Length > 3 && w.All(char.IsAsciiLetterUpper)).ToList();
            if (shouting.Count > 0)
            {
                issues.Add(Issue(CopyFields.Title, 0, CopyRules.AllCaps, CopyIssueSeverity.Error, rule.Source,
                    $"Words in capitals are not allowed: {string.Join(", ", shouting)}.", string.Join(", ", shouting)));
            }
        }

        if (rule.MaxWordRepeat > 0)
        {
            foreach (var word in RepeatedWords(title, rule.MaxWordRepeat))
            {
                issues.Add(Issue(CopyFields.Title, 0, CopyRules.WordRepeat, CopyIssueSeverity.Error, rule.Source,
                    $"The word \"{word}\" appears more than {rule.MaxWordRepeat} times.", word, rule.MaxWordRepeat.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    private static void CheckBullets(IReadOnlyList<string> bullets, CopyProfile profile, List<CopyIssue> issues)
    {
        var rule = profile.Bullets;
        if (bullets.Count != rule.Count)
        {
            issues.Add(Issue(CopyFields.Bullets, 0, CopyRules.BulletCount, CopyIssueSeverity.Error, rule.Source,
                $"Write exactly {rule.Count} bullets, not {bullets.Count}.",
                bullets.Count.ToString(CultureInfo.InvariantCulture), rule.Count.ToString(CultureInfo.InvariantCulture)));
        }

        for (var i = 0; i < bullets.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(bullets[i]))
            {
                issues.Add(Issue(CopyFields.Bullets, i, CopyRules.Required, CopyIssueSeverity.Error, rule.Source, $"Bullet {i + 1} is empty."));
                continue;
            }

            CheckMax(CopyFields.Bullets, i, bullets[i], rule.MaxCharacters, LengthUnit.Characters, rule.Source, issues);
            CheckCharacters(CopyFields.Bullets, i, bullets[i], profile.BulletForbiddenCharacters, profile.Source, issues);
            if (profile.BulletForbiddenCharacters.Length > 0 && EmojiPattern().IsMatch(bullets[i]))
            {
                issues.Add(Issue(CopyFields.Bullets, i, CopyRules.Emoji, CopyIssueSeverity.Error, profile.Source, $"Bullet {i + 1} may not contain emoji."));
            }

            if (profile.NoGuaranteeClaims)
            {
                foreach (var phrase in GuaranteePhrases.Where(p => ContainsWord(bullets[i], p)))
                {
                    issues.Add(Issue(CopyFields.Bullets, i, CopyRules.GuaranteePhrase, CopyIssueSeverity.Error, profile.Source,
                        $"Bullet {i + 1} may not contain \"{phrase}\" (no guarantee or refund phrases).", phrase));
                }
            }
        }
    }

    private static void CheckDescription(string description, CopyProfile profile, List<CopyIssue> issues)
    {
        var rule = profile.Description;
        CheckMax(CopyFields.Description, 0, description, rule.MaxCharacters, LengthUnit.Characters, rule.Source, issues);
        CheckMin(CopyFields.Description, 0, ProductFacts.PlainText(description), rule.MinCharacters, LengthUnit.Characters, rule.Source, profile.HardMinimums, issues);
        if (rule.MinWords > 0)
        {
            var words = CountWords(ProductFacts.PlainText(description));
            if (words < rule.MinWords)
            {
                issues.Add(Issue(CopyFields.Description, 0, CopyRules.TooFewWords, CopyIssueSeverity.Error, rule.Source,
                    $"The description has {words} words; at least {rule.MinWords} are required.",
                    words.ToString(CultureInfo.InvariantCulture), rule.MinWords.ToString(CultureInfo.InvariantCulture)));
            }
        }

        foreach (Match tag in TagNamePattern().Matches(description))
        {
            var name = tag.Groups[1].Value.ToLowerInvariant();
            if (!profile.AllowedTags.Contains(name, StringComparer.Ordinal) && !(profile.Marketplace == "amazon" && name == "br"))
            {
                issues.Add(Issue(CopyFields.Description, 0, CopyRules.Markup, CopyIssueSeverity.Error, profile.Source,
                    profile.AllowedTags.Count == 0
                        ? $"This marketplace takes plain text; remove the <{name}> tag."
                        : $"The <{name}> tag is not allowed; use only {string.Join(", ", profile.AllowedTags)}.",
                    name));
                break;
            }
        }
    }

    private static void CheckSearchTerms(string terms, CopyProfile profile, string? ownBrand, List<CopyIssue> issues)
    {
        var rule = profile.SearchTerms!;
        if (rule.Unit == LengthUnit.Items)
        {
            var tags = terms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tags.Length > rule.Limit)
            {
                issues.Add(Issue(CopyFields.SearchTerms, 0, CopyRules.TooManyItems, CopyIssueSeverity.Error, rule.Source,
                    $"Use at most {rule.Limit} tags, not {tags.Length}.", tags.Length.ToString(CultureInfo.InvariantCulture), rule.Limit.ToString(CultureInfo.InvariantCulture)));
            }

            return;
        }

        CheckMax(CopyFields.SearchTerms, 0, terms, rule.Limit, rule.Unit, rule.Source, issues);
        if (rule.UniqueWords)
        {
            foreach (var word in RepeatedWords(terms, 1))
            {
                issues.Add(Issue(CopyFields.SearchTerms, 0, CopyRules.WordRepeat, CopyIssueSeverity.Error, rule.Source,
                    $"The word \"{word}\" is repeated; search terms never repeat a word.", word, "1"));
            }
        }

        if (!rule.AllowOwnBrand && !string.IsNullOrWhiteSpace(ownBrand) && ContainsWord(terms, ownBrand))
        {
            issues.Add(Issue(CopyFields.SearchTerms, 0, CopyRules.OwnBrandInSearchTerms, CopyIssueSeverity.Error, rule.Source,
                $"Search terms may not contain brand names, including \"{ownBrand}\".", ownBrand));
        }
    }

    private static void CheckHashtags(IReadOnlyList<string> hashtags, CopyProfile profile, List<CopyIssue> issues)
    {
        if (hashtags.Count > profile.HashtagCount)
        {
            issues.Add(Issue(CopyFields.Hashtags, 0, CopyRules.TooManyItems, CopyIssueSeverity.Error, profile.Source,
                $"Use at most {profile.HashtagCount} hashtags, not {hashtags.Count}.",
                hashtags.Count.ToString(CultureInfo.InvariantCulture), profile.HashtagCount.ToString(CultureInfo.InvariantCulture)));
        }

        for (var i = 0; i < hashtags.Count; i++)
        {
            if (hashtags[i].Length == 0 || hashtags[i].Any(c => char.IsWhiteSpace(c) || c == '#' || (char.IsPunctuation(c) && c != '_')))
            {
                issues.Add(Issue(CopyFields.Hashtags, i, CopyRules.HashtagFormat, CopyIssueSeverity.Error, profile.Source,
                    $"Hashtag \"{hashtags[i]}\" must be one word of letters, digits or '_' without '#'.", hashtags[i]));
            }
        }
    }

    /// <summary>Banned words, competitor brands, figures and claims the facts do not hold, and the item's traces.</summary>
    private static void CheckTruth(string field, int index, string item, CopyCheck check, List<CopyIssue> issues)
    {
        foreach (var word in (check.BannedWords ?? []).Where(w => !string.IsNullOrWhiteSpace(w) && ContainsWord(item, w.Trim())))
        {
            issues.Add(Issue(field, index, CopyRules.BannedWord, CopyIssueSeverity.Error, "Brand Center",
                $"\"{word.Trim()}\" is on the brand's banned-word list.", word.Trim()));
        }

        foreach (var brand in (check.CompetitorBrands ?? []).Where(b => !string.IsNullOrWhiteSpace(b) && ContainsWord(item, b.Trim())))
        {
            issues.Add(Issue(field, index, CopyRules.CompetitorBrand, CopyIssueSeverity.Error, "marketplace-rules.md §1.2",
                $"Do not name the competitor brand \"{brand.Trim()}\".", brand.Trim()));
        }

        foreach (var figure in check.Facts.UntracedFigures(item))
        {
            issues.Add(Issue(field, index, CopyRules.UntracedFigure, CopyIssueSeverity.Error, SeoMarketplaceRules.Ours,
                $"\"{figure}\" is not in the product data; state only numbers, measures and model numbers the product facts give.", figure));
        }

        foreach (var claim in check.Facts.UnsupportedClaims(item))
        {
            issues.Add(Issue(field, index, CopyRules.UnsupportedClaim, CopyIssueSeverity.Error, SeoMarketplaceRules.Ours,
                $"\"{claim}\" is a claim the product data does not make; remove it.", claim));
        }

        if (check.Traces is null || field is CopyFields.SearchTerms or CopyFields.Hashtags)
        {
            return;
        }

        var traces = check.Traces.Where(t => t.Field == field && t.Index == index).SelectMany(t => t.FactIds).ToList();
        if (traces.Count == 0)
        {
            issues.Add(Issue(field, index, CopyRules.Untraced, CopyIssueSeverity.Error, SeoMarketplaceRules.Ours,
                $"Name the product facts ({FactIdHint}) this {field} item states."));
        }

        foreach (var unknown in traces.Where(id => check.Facts.Find(id) is null).Distinct(StringComparer.Ordinal))
        {
            issues.Add(Issue(field, index, CopyRules.UnknownFact, CopyIssueSeverity.Error, SeoMarketplaceRules.Ours,
                $"\"{unknown}\" is not a fact id of this product; use only the ids listed.", unknown));
        }
    }

    private const string FactIdHint = "ids such as title, attr:0, point:1";

    private static void CheckMax(string field, int index, string value, int limit, LengthUnit unit, string source, List<CopyIssue> issues, CopyIssueSeverity severity = CopyIssueSeverity.Error)
    {
        var used = TextMeasure.Measure(value, unit);
        if (used > limit)
        {
            issues.Add(Issue(field, index, CopyRules.TooLong, severity, source,
                $"{Describe(field, index)} is {used} {UnitName(unit)}; the limit is {limit}.",
                used.ToString(CultureInfo.InvariantCulture), limit.ToString(CultureInfo.InvariantCulture), UnitKey(unit)));
        }
    }

    private static void CheckMin(string field, int index, string value, int minimum, LengthUnit unit, string source, bool hard, List<CopyIssue> issues)
    {
        var used = TextMeasure.Measure(value, unit);
        if (minimum > 1 && used < minimum)
        {
            issues.Add(Issue(field, index, CopyRules.TooShort, hard ? CopyIssueSeverity.Error : CopyIssueSeverity.Warning, source,
                $"{Describe(field, index)} is {used} {UnitName(unit)}; at least {minimum} are needed.",
                used.ToString(CultureInfo.InvariantCulture), minimum.ToString(CultureInfo.InvariantCulture), UnitKey(unit)));
        }
    }

    private static void CheckCharacters(string field, int index, string value, string forbidden, string source, List<CopyIssue> issues)
    {
        var found = value.Where(c => forbidden.Contains(c, StringComparison.Ordinal)).Distinct().ToArray();
        if (found.Length > 0)
        {
            issues.Add(Issue(field, index, CopyRules.ForbiddenCharacters, CopyIssueSeverity.Error, source,
                $"{Describe(field, index)} contains characters the marketplace forbids: {new string(found)}.", new string(found)));
        }
    }

    private static string Describe(string field, int index) => field switch
    {
        CopyFields.Bullets => $"Bullet {index + 1}",
        CopyFields.LiveScript => $"Script line {index + 1}",
        _ => $"The {field}",
    };

    private static string UnitName(LengthUnit unit) => unit switch
    {
        LengthUnit.Utf8Bytes => "bytes (UTF-8)",
        LengthUnit.DoubleByte => "bytes (Chinese characters count 2)",
        LengthUnit.Items => "items",
        _ => "characters",
    };

    /// <summary>Resource key of the unit's name, so the seller's message says bytes or characters in their language.</summary>
    private static string UnitKey(LengthUnit unit) => unit switch
    {
        LengthUnit.Utf8Bytes => "copy.unit.bytes",
        LengthUnit.DoubleByte => "copy.unit.double_bytes",
        LengthUnit.Items => "copy.unit.items",
        _ => "copy.unit.characters",
    };

    private static CopyIssue Issue(string field, int index, string rule, CopyIssueSeverity severity, string source, string detail, params string[] args) =>
        new(field, index, rule, severity, args, source, detail);

    /// <summary>Latin words ignoring case and a plural -s, small words excluded (Amazon counts content words, §1.1).</summary>
    private static IEnumerable<string> RepeatedWords(string text, int max) =>
        LatinWordPattern().Matches(text).Select(m => m.Value)
            .Where(w => !SmallWords.Contains(w))
            .GroupBy(w => Stem(w), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > max)
            .Select(g => g.First().ToLowerInvariant());

    private static string Stem(string word)
    {
        var w = word.ToLowerInvariant();
        return w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) ? w[..^1] : w;
    }

    /// <summary>Latin words, plus every Han, kana, Hangul or Thai character as one word (scripts without spaces).</summary>
    public static int CountWords(string text) =>
        LatinWordPattern().Count(text) + text.Count(c => c >= '\u0E00' && char.IsLetter(c));

    /// <summary>Whole-word, case-insensitive match for Latin terms; a plain substring for terms in unspaced scripts.</summary>
    public static bool ContainsWord(string text, string term)
    {
        if (term.Length == 0)
        {
            return false;
        }

        var from = 0;
        while (from <= text.Length - term.Length)
        {
            var at = text.IndexOf(term, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            var end = at + term.Length;
            var startOk = !char.IsAsciiLetterOrDigit(term[0]) || at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1]);
            var endOk = !char.IsAsciiLetterOrDigit(term[^1]) || end == text.Length || !char.IsAsciiLetterOrDigit(text[end]);
            if (startOk && endOk)
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    [GeneratedRegex(@"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex LatinWordPattern();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}", RegexOptions.CultureInvariant)]
    private static partial Regex HanPattern();

    [GeneratedRegex(@"</?\s*([A-Za-z][A-Za-z0-9]*)[^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagNamePattern();

    // Pictographs, dingbats and the emoji presentation selector (surrogate pairs cover U+1F000 and up).
    [GeneratedRegex(@"[\u2600-\u27BF\uFE0F]|[\uD83C-\uD83E][\uDC00-\uDFFF]", RegexOptions.CultureInvariant)]
    private static partial Regex EmojiPattern();
}
