using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CommerceOS.Engines.Seo;

public enum TokenKind
{
    /// <summary>Latin-script word (may hold inner hyphens or apostrophes).</summary>
    Word = 0,

    /// <summary>Digits only.</summary>
    Number = 1,

    /// <summary>Model or part number: letters and digits together (XYZ-500, A1B2); never split or re-cased.</summary>
    Model = 2,

    /// <summary>A quantity with its unit ("500 ml", "12小时", "2x3 cm"); never split.</summary>
    Measure = 3,

    /// <summary>A Chinese word from jieba.</summary>
    Cjk = 4,

    Space = 5,

    Punctuation = 6,
}

/// <param name="Key">Lower case, plural-insensitive form for comparisons (empty for spaces and punctuation).</param>
public readonly record struct TextToken(string Text, int Start, TokenKind Kind, string Key)
{
    public int End => Start + Text.Length;

    public bool IsContent => Kind is TokenKind.Word or TokenKind.Model or TokenKind.Measure or TokenKind.Cjk or TokenKind.Number;
}

/// <summary>Tokenisation shared by keywords, truncation, slugs and the score: Latin words, model numbers and measures are
/// found by pattern, Chinese runs are cut by jieba, so a Chinese title with "XYZ-500" or "500ml" keeps them whole.</summary>
public static partial class SeoText
{
    /// <summary>Articles, pronouns, prepositions, conjunctions and auxiliaries: never a keyword's first or last word.</summary>
    public static readonly IReadOnlySet<string> EnglishStopWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "nor", "but", "so", "yet", "for", "of", "in", "on", "at", "to", "by", "with", "from",
        "into", "onto", "over", "under", "up", "down", "out", "off", "about", "as", "per", "via", "than", "then", "this", "that",
        "these", "those", "it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did",
        "has", "have", "had", "having", "will", "would", "can", "could", "should", "may", "might", "must", "shall", "i", "me",
        "my", "we", "our", "you", "your", "yours", "he", "she", "him", "her", "his", "they", "them", "their", "what", "which",
        "who", "whom", "whose", "when", "where", "why", "how", "all", "any", "both", "each", "every", "few", "more", "most",
        "other", "some", "such", "no", "not", "only", "own", "same", "too", "very", "just", "also", "even", "if", "because",
        "while", "until", "after", "before", "between", "through", "during", "without", "within", "against", "among",
        "again", "here", "there", "once", "one's", "s", "t", "don't", "let", "lets", "let's", "whether", "etc", "e.g", "i.e",
    };

    /// <summary>Chinese function words and fillers that carry no search intent on their own.</summary>
    public static readonly IReadOnlySet<string> ChineseStopWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "的", "了", "和", "与", "及", "或", "是", "在", "有", "为", "让", "更", "很", "也", "都", "等", "可", "可以", "我们", "您", "你",
        "它", "这", "那", "这款", "一款", "款", "个", "采用", "使用", "适合", "非常", "就", "还", "又", "把", "被", "给", "对", "从",
        "到", "用", "以", "并", "而", "且", "之", "其", "中", "上", "下", "里", "不", "没有", "一个", "一种", "能", "会", "将", "即",
        "每", "每个", "所有", "各种", "让您", "为您", "带来", "拥有", "具有", "进行", "通过", "同时", "以及", "并且", "而且",
    };

    /// <summary>Quantity with a Latin unit: the unit must end the token ("500 ml", "1.5L", "2 x 3 cm").</summary>
    [GeneratedRegex(
        @"(?<![A-Za-z0-9.])\d+(?:[.,]\d+)?(?:\s?[x×*]\s?\d+(?:[.,]\d+)?)*\s?(?:fl\.?\s?oz|ml|cl|l|cm|mm|m|km|kg|g|mg|oz|lbs?|inch(?:es)?|in|ft|kw|w|v|mah|wh|gb|tb|mb|hz|khz|ghz|pcs|pieces|pack|pk|ct|count|%|°c|°f)(?![A-Za-z0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LatinMeasure();

    /// <summary>Quantity with a Chinese unit; Chinese text may follow directly, so no boundary after it.</summary>
    [GeneratedRegex(
        @"(?<![A-Za-z0-9.])\d+(?:\.\d+)?\s?(?:毫升|升|厘米|毫米|公分|米|千克|公斤|克|斤|英寸|寸|瓦|伏|毫安时|毫安|件|个|只|片|包|盒|支|瓶|双|套|小时|分钟|秒|天|年|度)",
        RegexOptions.CultureInvariant)]
    private static partial Regex CjkMeasure();

    /// <summary>Letters and digits together, optionally joined by - / . ("XYZ-500", "A1", "RT-AX58U").</summary>
    [GeneratedRegex(
        @"(?<![A-Za-z0-9])(?=[A-Za-z0-9./-]*[0-9])(?=[A-Za-z0-9./-]*[A-Za-z])[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant)]
    private static partial Regex ModelNumber();

    [GeneratedRegex(@"[A-Za-z0-9\u00C0-\u024F]+(?:['’-][A-Za-z0-9\u00C0-\u024F]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex LatinWord();

    public static bool IsHan(char c) => c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';

    public static bool ContainsHan(string text) => text.Any(IsHan);

    /// <summary>Splits <paramref name="text"/> into tokens that cover it exactly, in order.</summary>
    public static List<TextToken> Tokenize(string text)
    {
        var tokens = new List<TextToken>();
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        // Protected spans first (measures win over model numbers: "500ml" is a quantity), then everything else.
        var spans = new List<(int Start, int Length, TokenKind Kind)>();
        foreach (Match m in LatinMeasure().Matches(text))
        {
            spans.Add((m.Index, m.Length, TokenKind.Measure));
        }

        foreach (Match m in CjkMeasure().Matches(text))
        {
            if (!Overlaps(spans, m.Index, m.Length))
            {
                spans.Add((m.Index, m.Length, TokenKind.Measure));
            }
        }

        foreach (Match m in ModelNumber().Matches(text))
        {
            if (!Overlaps(spans, m.Index, m.Length))
            {
                spans.Add((m.Index, m.Length, TokenKind.Model));
            }
        }

        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var position = 0;
        foreach (var (start, length, kind) in spans)
        {
            TokenizePlain(text, position, start, tokens);
            var span = text.Substring(start, length);
            tokens.Add(new TextToken(span, start, kind, kind == TokenKind.Measure ? MeasureKey(span) : span.ToLowerInvariant()));
            position = start + length;
        }

        TokenizePlain(text, position, text.Length, tokens);
        return tokens;
    }

    /// <summary>Lower case with light English lemmatisation (plural s): "Bottles" and "bottle" compare equal.</summary>
    public static string WordKey(string word)
    {
        var w = word.ToLowerInvariant().Replace('’', '\'');
        if (w.Length <= 3 || !w.EndsWith('s') || NotPlural.Contains(w) || w.EndsWith("ss", StringComparison.Ordinal)
            || w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("is", StringComparison.Ordinal) || w.EndsWith("'s", StringComparison.Ordinal))
        {
            return w;
        }

        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            return string.Concat(w.AsSpan(0, w.Length - 3), "y");
        }

        if (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal) || w.EndsWith("zes", StringComparison.Ordinal)
            || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal))
        {
            return w[..^2];
        }

        return w[..^1];
    }

    public static bool IsStopWord(TextToken token) => token.Kind switch
    {
        TokenKind.Word => EnglishStopWords.Contains(token.Key),
        TokenKind.Cjk => ChineseStopWords.Contains(token.Key) || token.Text.Length == 1,
        TokenKind.Number => true,
        TokenKind.Model or TokenKind.Measure => false,
        TokenKind.Space or TokenKind.Punctuation => true,
        _ => true,
    };

    /// <summary>Whitespace runs become one space; the ends are trimmed.</summary>
    public static string Squash(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Removes diacritics and anything outside ASCII (used for slugs).</summary>
    public static string FoldToAscii(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c < 0x80 ? c : ' ');
        }

        return builder.ToString();
    }

    /// <summary>Replaces every mention of the names by a clause break, so no n-gram can hold a name or any part of it.</summary>
    public static string Mask(string text, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var needle = Squash(name);
            if (needle.Length == 0)
            {
                continue;
            }

            var han = ContainsHan(needle);
            var builder = new StringBuilder(text.Length);
            var position = 0;
            int index;
            while ((index = text.IndexOf(needle, position, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                var whole = han || ((index == 0 || !char.IsLetterOrDigit(text[index - 1]))
                    && (index + needle.Length >= text.Length || !char.IsLetterOrDigit(text[index + needle.Length])));
                builder.Append(text, position, index - position).Append(whole ? " | " : text.Substring(index, needle.Length));
                position = index + needle.Length;
            }

            text = builder.Append(text, position, text.Length - position).ToString();
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> mentions <paramref name="name"/> as a whole word (Latin) or anywhere (Chinese).</summary>
    public static bool Mentions(string text, string name)
    {
        var needle = Squash(name);
        if (needle.Length == 0 || text.Length == 0)
        {
            return false;
        }

        if (ContainsHan(needle))
        {
            return text.Contains(needle, StringComparison.OrdinalIgnoreCase);
        }

        var index = 0;
        while ((index = text.IndexOf(needle, index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var after = index + needle.Length >= text.Length || !char.IsLetterOrDigit(text[index + needle.Length]);
            if (before && after)
            {
                return true;
            }

            index++;
        }

        return false;
    }

    private static readonly HashSet<string> NotPlural = new(StringComparer.Ordinal)
    {
        "lens", "news", "series", "species", "gas", "bus", "plus", "yes", "canvas", "atlas", "chaos", "this", "his", "its",
        "was", "has", "does", "less", "always", "perhaps", "whereas", "various", "numerous", "previous", "trellis", "jeans",
        "pants", "shorts", "leggings", "scissors", "glasses", "tongs", "pliers", "tweezers", "headphones", "earbuds", "overalls",
    };

    private static bool Overlaps(List<(int Start, int Length, TokenKind Kind)> spans, int start, int length) =>
        spans.Any(s => start < s.Start + s.Length && s.Start < start + length);

    /// <summary>"500 ml", "500ML" and "500ml" share one key.</summary>
    private static string MeasureKey(string measure)
    {
        var builder = new StringBuilder(measure.Length);
        foreach (var c in measure)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static void TokenizePlain(string text, int from, int to, List<TextToken> tokens)
    {
        var i = from;
        while (i < to)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                var start = i;
                while (i < to && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                tokens.Add(new TextToken(text[start..i], start, TokenKind.Space, string.Empty));
            }
            else if (IsHan(c))
            {
                var start = i;
                while (i < to && IsHan(text[i]))
                {
                    i++;
                }

                var offset = start;
                foreach (var word in ChineseSegmentation.Cut(text[start..i]))
                {
                    tokens.Add(new TextToken(word, offset, TokenKind.Cjk, word));
                    offset += word.Length;
                }
            }
            else if (char.IsLetterOrDigit(c))
            {
                var match = LatinWord().Match(text, i, to - i);
                if (match.Success && match.Index == i && match.Length > 0)
                {
                    var word = match.Value;
                    var kind = word.All(char.IsDigit) ? TokenKind.Number : TokenKind.Word;
                    tokens.Add(new TextToken(word, i, kind, kind == TokenKind.Number ? word : WordKey(word)));
                    i += match.Length;
                }
                else
                {
                    // A letter outside the Latin and Han ranges (kana, Hangul, Thai): one word per run.
                    var start = i;
                    while (i < to && char.IsLetterOrDigit(text[i]) && !IsHan(text[i]))
                    {
                        i++;
                    }

                    var word = text[start..i];
                    tokens.Add(new TextToken(word, start, TokenKind.Word, word.ToLowerInvariant()));
                }
            }
            else
            {
                // Surrogate pairs (emoji) stay together so truncation never splits them.
                var length = char.IsHighSurrogate(c) && i + 1 < to ? 2 : 1;
                tokens.Add(new TextToken(text.Substring(i, length), i, TokenKind.Punctuation, string.Empty));
                i += length;
            }
        }
    }
}
