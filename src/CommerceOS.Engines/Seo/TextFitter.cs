using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>
/// Shortens text to a limit at a word boundary: between Latin words, between jieba's Chinese words, after punctuation;
/// never inside a model number or a measure ("500 ml" is one token). Dangling separators and function words at the
/// cut ("Bottle with", "保温杯和") are dropped.
/// </summary>
public static class TextFitter
{
    private const string DanglingPunctuation = ",;:-–—|/&+(（[【《,，、；：·";

    public sealed record Fitted(string Text, bool Truncated);

    /// <summary>The longest prefix of <paramref name="text"/> ending at a word boundary whose length is within <paramref name="limit"/>;
    /// an ellipsis is added when text was cut and it fits. Empty when not even the first word fits.</summary>
    public static Fitted Fit(string text, int limit, LengthUnit unit, bool ellipsis = false)
    {
        var squashed = SeoText.Squash(text);
        if (TextMeasure.Measure(squashed, unit) <= limit)
        {
            return new Fitted(squashed, false);
        }

        var tokens = SeoText.Tokenize(squashed);
        var marker = ellipsis ? "…" : string.Empty;
        var budget = limit - TextMeasure.Measure(marker, unit);

        // Lengths add up over tokens (bytes exactly; characters too, except that a stray combining mark counts as one
        // more than it shows), so a prefix is measured in O(1) and never comes out longer than it is.
        var cumulative = new int[tokens.Count];
        var sum = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            sum += TextMeasure.Measure(tokens[i].Text, unit == LengthUnit.Items ? LengthUnit.Characters : unit);
            cumulative[i] = sum;
        }

        for (var end = tokens.Count - 1; end >= 0; end--)
        {
            // The longest prefix within the budget, less what would dangle at the cut; a shorter one is found later.
            if (cumulative[end] > budget)
            {
                continue;
            }

            var last = LastKept(tokens, end);
            if (last >= 0)
            {
                return new Fitted(squashed[..tokens[last].End] + marker, true);
            }
        }

        return new Fitted(string.Empty, true);
    }

    /// <summary>The last token at or before <paramref name="end"/> that is not a trailing separator or function word; -1 if none.</summary>
    private static int LastKept(List<TextToken> tokens, int end)
    {
        var last = end;
        while (last >= 0)
        {
            var token = tokens[last];
            var dangling = token.Kind == TokenKind.Space
                || (token.Kind == TokenKind.Punctuation && DanglingPunctuation.Contains(token.Text, StringComparison.Ordinal))
                || (token.Kind == TokenKind.Word && SeoText.EnglishStopWords.Contains(token.Key))
                || (token.Kind == TokenKind.Cjk && SeoText.ChineseStopWords.Contains(token.Text));
            if (!dangling)
            {
                return last;
            }

            last--;
        }

        return -1;
    }
}
