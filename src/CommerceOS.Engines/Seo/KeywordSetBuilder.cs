using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>
/// Fills a marketplace's keyword field from ranked keywords, best first: competitor brands never, the own brand only
/// where the marketplace allows it, no ASINs, no keyword twice (case- and plural-insensitive), on Amazon no word twice
/// and no punctuation, and nothing past the field's limit (a keyword that does not fit is skipped, a shorter one later
/// may still fit).
/// </summary>
public static partial class KeywordSetBuilder
{
    public const string DropCompetitorBrand = "seo.drop.competitor_brand";
    public const string DropOwnBrand = "seo.drop.own_brand";
    public const string DropAsin = "seo.drop.asin";
    public const string DropDuplicate = "seo.drop.duplicate";
    public const string DropRedundant = "seo.drop.redundant";
    public const string DropOverLimit = "seo.drop.over_limit";

    public static readonly IReadOnlyList<string> DropReasons =
        [DropCompetitorBrand, DropOwnBrand, DropAsin, DropDuplicate, DropRedundant, DropOverLimit];

    /// <summary>Amazon Standard Identification Numbers: "B0" and eight letters or digits.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])B0[A-Za-z0-9]{8}(?![A-Za-z0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Asin();

    /// <summary>
    /// The set for a product: keywords are extracted with competitor names (and the own brand where it is not allowed)
    /// cut out of the text first, because dropping whole keywords would still leave "hydro" and "flask" on their own.
    /// What the cut removed is reported as dropped.
    /// </summary>
    public static SeoKeywordSet BuildForProduct(CommerceOS.Core.Catalog.Product product, SeoMarketplaceProfile profile, string? ownBrand, IReadOnlyList<string> competitors)
    {
        var masked = competitors.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        var brandMasked = !profile.Keywords.AllowOwnBrand && !string.IsNullOrWhiteSpace(ownBrand);
        if (brandMasked)
        {
            masked.Add(ownBrand!);
        }

        // Most products name no competitor: then the cut changes nothing and one extraction serves.
        if (masked.Count == 0 || !KeywordExtractor.Fields(product).Any(f => masked.Any(name => SeoText.Mentions(f.Text, name))))
        {
            return Build(KeywordExtractor.Extract(product), profile, ownBrand, competitors);
        }

        var set = Build(KeywordExtractor.Extract(product, masked), profile, ownBrand, competitors);
        var removed = KeywordExtractor.Extract(product)
            .Select(k => competitors.Any(c => SeoText.Mentions(k.Text, c)) ? new DroppedKeyword(k.Text, DropCompetitorBrand)
                : brandMasked && SeoText.Mentions(k.Text, ownBrand!) ? new DroppedKeyword(k.Text, DropOwnBrand) : null)
            .OfType<DroppedKeyword>();
        return set with { Dropped = removed.Concat(set.Dropped).ToList() };
    }

    public static SeoKeywordSet Build(
        IReadOnlyList<SeoKeyword> ranked, SeoMarketplaceProfile profile, string? ownBrand, IReadOnlyList<string> competitors)
    {
        var rule = profile.Keywords;
        var chosen = new List<string>();
        var dropped = new List<DroppedKeyword>();
        var usedKeys = new HashSet<string>(StringComparer.Ordinal);
        var usedWords = new HashSet<string>(StringComparer.Ordinal);
        var value = string.Empty;

        foreach (var keyword in ranked)
        {
            // A full field takes nothing more; the rest of the ranking is not listed as dropped.
            var used = rule.Unit == LengthUnit.Items ? chosen.Count : TextMeasure.Measure(value, rule.Unit);
            if (rule.Limit - used < (rule.Unit == LengthUnit.Items || value.Length == 0 ? 1 : 2))
            {
                break;
            }

            var text = rule.StripPunctuation ? StripPunctuation(keyword.Text) : keyword.Text;
            if (rule.Field == "search-terms")
            {
                // Search terms are matched case-insensitively; lower case keeps bytes honest and repeats visible.
                text = text.ToLowerInvariant();
            }

            if (text.Length == 0)
            {
                continue;
            }

            if (competitors.FirstOrDefault(c => SeoText.Mentions(keyword.Text, c)) is not null)
            {
                dropped.Add(new DroppedKeyword(keyword.Text, DropCompetitorBrand));
                continue;
            }

            if (!rule.AllowOwnBrand && !string.IsNullOrWhiteSpace(ownBrand) && SeoText.Mentions(keyword.Text, ownBrand))
            {
                dropped.Add(new DroppedKeyword(keyword.Text, DropOwnBrand));
                continue;
            }

            if (Asin().IsMatch(keyword.Text))
            {
                dropped.Add(new DroppedKeyword(keyword.Text, DropAsin));
                continue;
            }

            if (!usedKeys.Add(keyword.Key))
            {
                dropped.Add(new DroppedKeyword(keyword.Text, DropDuplicate));
                continue;
            }

            var tokens = SeoText.Tokenize(text).Where(t => t.IsContent).ToList();
            var words = tokens.Select(t => t.Key).ToList();
            if (rule.UniqueWords)
            {
                // Only words the set lacks, and no function words: the marketplace matches words, so a repeat only
                // spends the limit. Numbers stay (they belong to a model or a quantity); without punctuation a measure
                // is two words ("500 ml"), so its number counts as a word like the 500 of "ap 500".
                tokens = tokens.SelectMany(t => rule.StripPunctuation && t.Kind == TokenKind.Measure ? SplitWords(t) : [t])
                    .Where(t => !usedWords.Contains(t.Key) && (t.Kind == TokenKind.Number || !SeoText.IsStopWord(t)))
                    .DistinctBy(t => t.Key, StringComparer.Ordinal)
                    .ToList();
                text = KeywordExtractor.Display(tokens);
                if (rule.Field == "search-terms")
                {
                    text = text.ToLowerInvariant();
                }

                words = tokens.Select(t => t.Key).ToList();
                if (words.Count == 0)
                {
                    dropped.Add(new DroppedKeyword(keyword.Text, DropDuplicate));
                    continue;
                }
            }
            else if (words.Count > 0 && words.All(usedWords.Contains))
            {
                dropped.Add(new DroppedKeyword(keyword.Text, DropRedundant));
                continue;
            }

            var next = rule.Unit == LengthUnit.Items ? null : Join(value, text, rule.Separator);
            var fits = rule.Unit == LengthUnit.Items
                ? chosen.Count < rule.Limit
                : TextMeasure.Measure(next!, rule.Unit) <= rule.Limit;
            if (!fits)
            {
                dropped.Add(new DroppedKeyword(keyword.Text, DropOverLimit));
                continue;
            }

            chosen.Add(text);
            value = rule.Unit == LengthUnit.Items ? string.Join(rule.Separator, chosen) : next!;
            foreach (var word in words)
            {
                usedWords.Add(word);
            }
        }

        var total = rule.Unit == LengthUnit.Items ? chosen.Count : TextMeasure.Measure(value, rule.Unit);
        return new SeoKeywordSet(profile.Id, rule.Field, chosen, value, total, rule.Limit, rule.Unit, rule.Source, dropped);
    }

    private static IEnumerable<TextToken> SplitWords(TextToken measure)
    {
        var offset = measure.Start;
        foreach (var part in measure.Text.Split(' '))
        {
            if (part.Length > 0)
            {
                var number = part.All(c => char.IsDigit(c) || c == '.');
                yield return new TextToken(part, offset, number ? TokenKind.Number : TokenKind.Word, number ? part : SeoText.WordKey(part));
            }

            offset += part.Length + 1;
        }
    }

    /// <summary>Joins with the separator; an empty separator (Chinese titles) still puts a space next to Latin text.</summary>
    public static string Join(string left, string right, string separator)
    {
        if (left.Length == 0)
        {
            return right;
        }

        if (separator.Length > 0)
        {
            return left + separator + right;
        }

        return SeoText.IsHan(left[^1]) && SeoText.IsHan(right[0]) ? left + right : left + " " + right;
    }

    /// <summary>Letters, digits and single spaces only ("XYZ-500" becomes "XYZ 500").</summary>
    public static string StripPunctuation(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // A decimal point stays: "1.2 kg" split into "1 2 kg" would state two numbers the product never gave.
            var decimalPoint = c is '.' or ',' && i > 0 && i < text.Length - 1 && char.IsAsciiDigit(text[i - 1]) && char.IsAsciiDigit(text[i + 1]);
            builder.Append(char.IsLetterOrDigit(c) ? c : decimalPoint ? '.' : ' ');
        }

        return SeoText.Squash(builder.ToString().Normalize(NormalizationForm.FormC)).ToString(CultureInfo.InvariantCulture);
    }
}
