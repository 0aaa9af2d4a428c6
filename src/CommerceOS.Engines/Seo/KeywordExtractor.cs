using System.Globalization;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>
/// Keywords from a product's own text: every 1-3 word n-gram that starts and ends with a content word is scored by
/// the fields it occurs in (title 5, category and attributes 3, selling points 2, audience 1.5, description 1) times
/// an n-gram weight that favours phrases (1, 1.5, 1.75), summed over occurrences.
/// </summary>
public static class KeywordExtractor
{
    public const int MaxWords = 3;

    /// <summary>Chinese n-grams join words without spaces; beyond this a "keyword" is a clause.</summary>
    public const int MaxChineseCharacters = 10;

    private static readonly double[] NGramWeight = [0, 1.0, 1.5, 1.75];

    public static double FieldWeight(KeywordSource source) => source switch
    {
        KeywordSource.Title => 5,
        KeywordSource.Category => 3,
        KeywordSource.Attribute => 3,
        KeywordSource.SellingPoint => 2,
        KeywordSource.Audience => 1.5,
        KeywordSource.Description => 1,
        _ => 1,
    };

    /// <summary>The product's texts by field, in field order (facts only).</summary>
    public static IEnumerable<(KeywordSource Source, string Text)> Fields(Product product)
    {
        yield return (KeywordSource.Title, product.Title);
        foreach (var part in (product.Category ?? string.Empty).Split(['>', '/', '|', '›'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return (KeywordSource.Category, part);
        }

        foreach (var attribute in product.Attributes)
        {
            if (AttributeText(attribute) is { Length: > 0 } text)
            {
                yield return (KeywordSource.Attribute, text);
            }
        }

        var options = product.Variants.OrderBy(v => v.Position).ThenBy(v => v.Sku, StringComparer.Ordinal)
            .SelectMany(v => v.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value))
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var option in options)
        {
            yield return (KeywordSource.Attribute, option);
        }

        foreach (var point in product.SellingPoints)
        {
            yield return (KeywordSource.SellingPoint, point);
        }

        if (!string.IsNullOrWhiteSpace(product.TargetAudience))
        {
            yield return (KeywordSource.Audience, product.TargetAudience);
        }

        if (!string.IsNullOrWhiteSpace(product.Description))
        {
            yield return (KeywordSource.Description, product.Description);
        }
    }

    /// <summary>
    /// What an attribute contributes: its value with the unit ("500 ml"); a true Boolean contributes its name
    /// ("BPA free"), a false one nothing; a bare number says nothing on its own.
    /// </summary>
    public static string AttributeText(ProductAttribute attribute)
    {
        var value = SeoText.Squash(attribute.Value);
        switch (attribute.Type)
        {
            case AttributeType.Boolean:
                return IsTrue(value) ? SeoText.Squash(attribute.Name) : string.Empty;
            case AttributeType.Number:
                return string.IsNullOrEmpty(attribute.Unit) ? string.Empty : $"{value} {attribute.Unit}";
            case AttributeType.Measurement:
                return string.IsNullOrEmpty(attribute.Unit) ? value : $"{value} {attribute.Unit}";
            case AttributeType.List:
                return string.Join(", ", value.Split(['|', ',', '、', '，', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            case AttributeType.Text:
            default:
                return value;
        }
    }

    /// <param name="masked">Names (competitor brands) whose mentions are cut out first, so no keyword holds them or a part of them.</param>
    public static IReadOnlyList<SeoKeyword> Extract(Product product, IReadOnlyList<string>? masked = null)
    {
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var order = 0;
        foreach (var (source, text) in Fields(product))
        {
            var input = masked is { Count: > 0 } ? SeoText.Mask(text, masked) : text;
            foreach (var (display, key, words, language) in NGrams(input))
            {
                if (!candidates.TryGetValue(key, out var candidate))
                {
                    candidate = new Candidate(display, key, words, language, source, order++);
                    candidates.Add(key, candidate);
                }

                candidate.Score += FieldWeight(source) * NGramWeight[words];
                candidate.Occurrences++;
                if (source < candidate.Source)
                {
                    // The keyword reads as it does in its strongest field.
                    candidate.Source = source;
                    candidate.Display = display;
                }
            }
        }

        return candidates.Values
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Source)
            .ThenBy(c => c.Order)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new SeoKeyword(c.Display, c.Key, Math.Round(c.Score, 4), c.Source, c.Words, c.Occurrences, c.Language))
            .ToList();
    }

    /// <summary>The n-grams of one text: within a clause (punctuation ends it), 1-3 content tokens, stop words only inside.</summary>
    public static IEnumerable<(string Display, string Key, int Words, SeoLanguage Language)> NGrams(string text)
    {
        var tokens = SeoText.Tokenize(text);
        // Chinese sellers separate keyword groups with spaces, so in Chinese text a space ends a phrase too.
        var spaceEnds = SeoText.ContainsHan(text);
        var clause = new List<TextToken>();
        foreach (var token in tokens.Append(new TextToken(".", text.Length, TokenKind.Punctuation, string.Empty)))
        {
            if ((token.Kind == TokenKind.Punctuation && !(token.Text is "&" or "+" or "'")) || (spaceEnds && token.Kind == TokenKind.Space))
            {
                foreach (var gram in ClauseNGrams(clause))
                {
                    yield return gram;
                }

                clause.Clear();
            }
            else if (token.Kind != TokenKind.Space && token.Kind != TokenKind.Punctuation)
            {
                clause.Add(token);
            }
        }
    }

    private static IEnumerable<(string Display, string Key, int Words, SeoLanguage Language)> ClauseNGrams(List<TextToken> clause)
    {
        for (var start = 0; start < clause.Count; start++)
        {
            if (SeoText.IsStopWord(clause[start]))
            {
                continue;
            }

            for (var n = 1; n <= MaxWords && start + n <= clause.Count; n++)
            {
                var last = clause[start + n - 1];
                if (SeoText.IsStopWord(last))
                {
                    continue;
                }

                var gram = clause.GetRange(start, n);
                var han = gram.Any(t => t.Kind == TokenKind.Cjk);
                if (han && gram.Sum(t => t.Text.Length) > MaxChineseCharacters)
                {
                    break;
                }

                yield return (Display(gram), string.Join(' ', gram.Select(t => t.Key)), n, han ? SeoLanguage.Chinese : SeoLanguage.English);
            }
        }
    }

    /// <summary>Lower case except model numbers; Chinese words join without spaces, anything next to Latin with one.</summary>
    public static string Display(IReadOnlyList<TextToken> gram)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < gram.Count; i++)
        {
            var token = gram[i];
            if (i > 0 && !(token.Kind == TokenKind.Cjk && gram[i - 1].Kind == TokenKind.Cjk) && !(gram[i - 1].End == token.Start && (token.Kind == TokenKind.Cjk || gram[i - 1].Kind == TokenKind.Cjk)))
            {
                builder.Append(' ');
            }

            builder.Append(token.Kind == TokenKind.Model ? token.Text : SeoText.Squash(token.Text).ToLower(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static bool IsTrue(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase)
        || value is "1" or "是" or "有";

    private sealed class Candidate(string display, string key, int words, SeoLanguage language, KeywordSource source, int order)
    {
        public string Display { get; set; } = display;

        public string Key { get; } = key;

        public int Words { get; } = words;

        public SeoLanguage Language { get; } = language;

        public KeywordSource Source { get; set; } = source;

        public int Order { get; } = order;

        public double Score { get; set; }

        public int Occurrences { get; set; }
    }
}
