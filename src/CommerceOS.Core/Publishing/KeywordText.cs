using System.Text;
using CommerceOS.Core.Translation;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Text folding and keyword matching shared by <see cref="CategorySuggestions"/> and <see cref="AttributeValues"/>:
/// Latin keywords match whole words (a token sequence), keywords with CJK characters match as substrings, since
/// Chinese text has no spaces between words.
/// </summary>
internal static class KeywordText
{
    /// <summary>
    /// Full-width forms to ASCII (NFKC), lower case, runs of white space collapsed, trimmed: the translation-memory
    /// normalisation, after dropping unpaired surrogates (which NFKC refuses).
    /// </summary>
    public static string Fold(string? text) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : TranslationKeys.Normalize(WellFormed(text));

    /// <summary>The text without unpaired surrogates, which <see cref="string.Normalize()"/> refuses.</summary>
    public static string WellFormed(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i, 2);
                i++;
            }
            else if (!char.IsSurrogate(text[i]))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    public static bool HasCjk(string text) => text.Any(IsCjk);

    public static bool IsCjk(char c) =>
        c is (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\u3040' and <= '\u30FF') or (>= '\uAC00' and <= '\uD7AF');

    /// <summary>The Latin words of folded text: runs of letters and digits; CJK characters and punctuation separate them.</summary>
    public static string[] Tokens(string folded)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var word = i < folded.Length && char.IsLetterOrDigit(folded[i]) && !IsCjk(folded[i]);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                tokens.Add(folded[start..i]);
                start = -1;
            }
        }

        return [.. tokens];
    }

    /// <summary>The form two keywords are compared in: tokens joined by one space, or the folded text for CJK keywords.</summary>
    public static string Key(string keyword)
    {
        var folded = Fold(keyword);
        return HasCjk(folded) ? folded : string.Join(' ', Tokens(folded));
    }

    /// <summary>A prepared keyword: matched as a substring when it has CJK characters, else as a whole-word sequence.</summary>
    public sealed class Keyword
    {
        private readonly string[] _tokens;

        public Keyword(string text)
        {
            Text = text;
            Folded = Fold(text);
            Cjk = HasCjk(Folded);
            _tokens = Cjk ? [] : Tokens(Folded);
        }

        public string Text { get; }

        public string Folded { get; }

        public bool Cjk { get; }

        /// <summary>Words for Latin keywords, characters for CJK ones: longer keywords are more specific.</summary>
        public int Length => Cjk ? Folded.Length : _tokens.Length;

        public bool IsEmpty => Cjk ? Folded.Length == 0 : _tokens.Length == 0;

        /// <summary>Where the keyword first matches in <paramref name="text"/> (character index for CJK, token index for Latin), or -1.</summary>
        public int IndexIn(Prepared text)
        {
            if (IsEmpty)
            {
                return -1;
            }

            if (Cjk)
            {
                return text.Folded.IndexOf(Folded, StringComparison.Ordinal);
            }

            var tokens = text.Tokens;
            for (var i = 0; i + _tokens.Length <= tokens.Length; i++)
            {
                var j = 0;
                while (j < _tokens.Length && string.Equals(tokens[i + j], _tokens[j], StringComparison.Ordinal))
                {
                    j++;
                }

                if (j == _tokens.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>Text folded and tokenised once, to be matched against many keywords.</summary>
    public sealed class Prepared
    {
        public Prepared(string? text)
        {
            Folded = Fold(text);
            Tokens = KeywordText.Tokens(Folded);
        }

        public string Folded { get; }

        public string[] Tokens { get; }
    }
}
