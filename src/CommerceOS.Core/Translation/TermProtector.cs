using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CommerceOS.Core.Translation;

public enum ProtectedKind
{
    /// <summary>Markup (tags, entities) in an XML or HTML segment, when the engine does not handle tags itself.</summary>
    Markup = 0,
    Url = 1,

    /// <summary>A caller-listed do-not-translate term (brand, product line) or a literal that looks like a placeholder.</summary>
    Term = 2,

    /// <summary>A number with its unit (<c>500 ml</c>, <c>12V</c>, <c>3.5 mm</c>, <c>30 x 40 cm</c>).</summary>
    Quantity = 3,

    /// <summary>A code mixing letters and digits (<c>XR-500</c>, <c>A1234</c>).</summary>
    ModelNumber = 4,
}

/// <summary>A piece of the source that must reach the output unchanged; <see cref="Index"/> is its placeholder number.</summary>
public sealed record ProtectedSpan(int Index, ProtectedKind Kind, string Value);

/// <summary>How a translator writes placeholders: a form its engine carries through untouched.</summary>
public sealed class PlaceholderStyle
{
    /// <summary><c>⟦0⟧</c>: used by the translation memory (never typed by sellers, one character wide in matching).</summary>
    public static readonly PlaceholderStyle Brackets = new(i => $"⟦{i.ToString(CultureInfo.InvariantCulture)}⟧", new Regex(@"⟦\s*(\d{1,4})\s*⟧", RegexOptions.CultureInvariant));

    /// <summary><c>&lt;x id="0"/&gt;</c>: an empty XML element, which tag-aware machine translation keeps and may move.</summary>
    public static readonly PlaceholderStyle XmlElement = new(
        i => $"<x id=\"{i.ToString(CultureInfo.InvariantCulture)}\"/>",
        new Regex(@"<x\s+id\s*=\s*[""'](\d{1,4})[""']\s*(?:/>|>\s*</x>)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase));

    private readonly Func<int, string> _format;

    private PlaceholderStyle(Func<int, string> format, Regex pattern)
    {
        _format = format;
        Pattern = pattern;
    }

    /// <summary>Matches a placeholder; group 1 is its number.</summary>
    public Regex Pattern { get; }

    public string Format(int index) => _format(index);
}

/// <summary>A source segment with its protected spans cut out.</summary>
/// <param name="parts">Literal text (a string) and spans, in order.</param>
public sealed class ProtectedText(string original, IReadOnlyList<object> parts, IReadOnlyList<ProtectedSpan> spans)
{
    public string Original { get; } = original;

    public IReadOnlyList<ProtectedSpan> Spans { get; } = spans;

    /// <summary>True when nothing but protected spans, spaces, digits and punctuation is left: nothing to translate.</summary>
    public bool IsOnlyProtected => parts.OfType<string>().All(literal => literal.All(c => !char.IsLetter(c)));

    /// <summary>The text with placeholders; <paramref name="escapeLiteral"/> encodes the literal parts (e.g. XML escaping).</summary>
    public string Render(PlaceholderStyle style, Func<string, string>? escapeLiteral = null)
    {
        var builder = new StringBuilder(Original.Length + (Spans.Count * 8));
        foreach (var part in parts)
        {
            builder.Append(part switch
            {
                ProtectedSpan span => style.Format(span.Index),
                string literal => escapeLiteral is null ? literal : escapeLiteral(literal),
                _ => throw new InvalidOperationException("Unknown part."),
            });
        }

        return builder.ToString();
    }

    /// <summary>
    /// Puts the protected values back into a translation of <see cref="Render"/>'s output. Every span must
    /// come back: a placeholder the translator dropped is reported in <see cref="RestoreOutcome.Lost"/>
    /// and the text is withheld, because a listing without its model number or size is worse than none.
    /// </summary>
    public RestoreOutcome Restore(string translated, PlaceholderStyle style, Func<string, string>? unescapeLiteral = null) =>
        RestoreWith(translated, style, Spans, unescapeLiteral);

    /// <summary>Like <see cref="Restore"/>, with <paramref name="values"/> standing in for the spans (index i gets values[i]).</summary>
    public static RestoreOutcome RestoreWith(string translated, PlaceholderStyle style, IReadOnlyList<ProtectedSpan> values, Func<string, string>? unescapeLiteral = null)
    {
        var seen = new bool[values.Count];
        var unknown = new List<string>();
        var builder = new StringBuilder(translated.Length + 16);
        var position = 0;
        foreach (Match match in style.Pattern.Matches(translated))
        {
            var literal = translated[position..match.Index];
            builder.Append(unescapeLiteral is null ? literal : unescapeLiteral(literal));
            if (int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < values.Count)
            {
                builder.Append(values[index].Value);
                seen[index] = true;
            }
            else
            {
                unknown.Add(match.Value);
            }

            position = match.Index + match.Length;
        }

        var tail = translated[position..];
        builder.Append(unescapeLiteral is null ? tail : unescapeLiteral(tail));
        var lost = values.Where(v => !seen[v.Index]).ToList();
        return lost.Count == 0 && unknown.Count == 0
            ? new RestoreOutcome(builder.ToString(), [], [])
            : new RestoreOutcome(null, lost, unknown);
    }
}

/// <param name="Text">The restored translation; null when a span was lost or a placeholder was invented.</param>
public sealed record RestoreOutcome(string? Text, IReadOnlyList<ProtectedSpan> Lost, IReadOnlyList<string> Unknown)
{
    public bool IsComplete => Text is not null;
}

/// <summary>
/// Finds what no translator may change (issue 4: brand, model numbers, units; plus URLs) and masks
/// it. One implementation shared by every translator, so the memory, DeepL and the LLM protect the
/// same things.
/// </summary>
public static partial class TermProtector
{
    /// <summary>At most this many spans per segment; beyond it the rest stays literal (and is checked by nothing).</summary>
    public const int MaxSpans = 200;

    /// <summary>
    /// Masks <paramref name="text"/>. Spans are found in priority order (existing placeholder-like
    /// literals, markup, URLs, listed terms longest first, quantities, model numbers) and never overlap.
    /// </summary>
    /// <param name="maskMarkup">Mask tags and entities too: for engines that do not understand markup.</param>
    public static ProtectedText Protect(string text, IReadOnlyCollection<string>? doNotTranslate = null, bool maskMarkup = false)
    {
        var taken = new List<(int Start, int Length, ProtectedKind Kind)>();

        void Take(int start, int length, ProtectedKind kind)
        {
            if (length <= 0 || taken.Count >= MaxSpans)
            {
                return;
            }

            foreach (var (s, l, _) in taken)
            {
                if (start < s + l && s < start + length)
                {
                    return;
                }
            }

            taken.Add((start, length, kind));
        }

        // A literal that already looks like one of our placeholders would be confused with a real one.
        foreach (Match m in PlaceholderStyle.Brackets.Pattern.Matches(text))
        {
            Take(m.Index, m.Length, ProtectedKind.Term);
        }

        foreach (Match m in PlaceholderStyle.XmlElement.Pattern.Matches(text))
        {
            Take(m.Index, m.Length, ProtectedKind.Term);
        }

        if (maskMarkup)
        {
            foreach (Match m in MarkupPattern().Matches(text))
            {
                Take(m.Index, m.Length, ProtectedKind.Markup);
            }
        }

        foreach (Match m in UrlPattern().Matches(text))
        {
            var url = m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"');
            Take(m.Index, url.Length, ProtectedKind.Url);
        }

        if (doNotTranslate is { Count: > 0 })
        {
            foreach (var term in doNotTranslate.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(t => t.Length))
            {
                var from = 0;
                while (from < text.Length)
                {
                    var at = text.IndexOf(term, from, StringComparison.OrdinalIgnoreCase);
                    if (at < 0)
                    {
                        break;
                    }

                    if (IsTermBoundary(text, at - 1, term[0]) && IsTermBoundary(text, at + term.Length, term[^1]))
                    {
                        Take(at, term.Length, ProtectedKind.Term);
                    }

                    from = at + 1;
                }
            }
        }

        foreach (Match m in QuantityPattern().Matches(text))
        {
            Take(m.Index, m.Length, ProtectedKind.Quantity);
        }

        foreach (Match m in ModelPattern().Matches(text))
        {
            if (IsModelNumber(m.Value))
            {
                Take(m.Index, m.Length, ProtectedKind.ModelNumber);
            }
        }

        taken.Sort((a, b) => a.Start.CompareTo(b.Start));
        var parts = new List<object>(taken.Count * 2 + 1);
        var spans = new List<ProtectedSpan>(taken.Count);
        var position = 0;
        foreach (var (start, length, kind) in taken)
        {
            if (start > position)
            {
                parts.Add(text[position..start]);
            }

            var span = new ProtectedSpan(spans.Count, kind, text.Substring(start, length));
            spans.Add(span);
            parts.Add(span);
            position = start + length;
        }

        if (position < text.Length)
        {
            parts.Add(text[position..]);
        }

        return new ProtectedText(text, parts, spans);
    }

    /// <summary>
    /// A listed term matches only as a whole word in scripts with spaces ("Anker" not inside
    /// "Ankerage"), but anywhere next to CJK or Thai text, which has no spaces between words.
    /// </summary>
    private static bool IsTermBoundary(string text, int neighbour, char termEdge)
    {
        if (neighbour < 0 || neighbour >= text.Length || !IsSpacedWordChar(termEdge))
        {
            return true;
        }

        return !IsSpacedWordChar(text[neighbour]);
    }

    /// <summary>Letters and digits of scripts written with spaces between words (below Thai, U+0E00).</summary>
    private static bool IsSpacedWordChar(char c) => char.IsLetterOrDigit(c) && c < '\u0E00';

    /// <summary>Letters and digits together: a digit and an upper-case letter (<c>A1234</c>, <c>RTX4090</c>),
    /// or letters and digits joined by a hyphen (<c>xr-500</c>). Ordinals like <c>2nd</c> are words.</summary>
    private static bool IsModelNumber(string token)
    {
        var hasDigit = false;
        var hasUpper = false;
        var hasLetter = false;
        foreach (var c in token)
        {
            hasDigit |= char.IsAsciiDigit(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
            hasLetter |= char.IsAsciiLetter(c);
        }

        return hasDigit && (hasUpper || (hasLetter && token.Contains('-', StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"<[^<>]{1,500}>|&(?:[a-zA-Z]{2,10}|#\d{1,7}|#x[0-9a-fA-F]{1,6});", RegexOptions.CultureInvariant)]
    private static partial Regex MarkupPattern();

    [GeneratedRegex(@"(?:https?://|www\.)[^\s<>""'，。、；：！？（）「」【】]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    // Longer units first so "mAh" wins over "m", "kg" over "g"; Latin units need a non-letter after
    // them ("5 m" but not "5 months"). Letters of unspaced scripts (CJK, Thai) may touch a quantity on
    // either side ("容量500ml的"), so only Latin, Greek and Cyrillic letters count as word neighbours.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9\u00C0-\u0DFF.,/-])\d+(?:[.,]\d+)?(?:\s?(?:-|~|to)\s?\d+(?:[.,]\d+)?)?(?:\s?[x×*]\s?\d+(?:[.,]\d+)?)*\s?" +
        @"(?:(?:fl\.?\s?oz|inches|inch|mAh|kWh|Wh|Ah|kHz|MHz|GHz|Hz|kW|mW|W|mV|kV|V|mA|mm|cm|km|m|ft|yd|mL|ml|cl|dl|L|l|kg|mg|g|lbs|lb|oz|KB|MB|GB|TB|°C|°F|℃|℉|°|%|pcs|pc)(?![A-Za-z0-9\u00C0-\u0DFF])" +
        @"|毫升|升|千克|公斤|克|毫米|厘米|公分|米|英寸|寸|伏|瓦|毫安时|毫安|赫兹|斤|件|个|ミリ|センチ|キロ|グラム)",
        RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();

    // Candidate tokens for IsModelNumber; a trailing full stop is never part of the token.
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ModelPattern();
}
