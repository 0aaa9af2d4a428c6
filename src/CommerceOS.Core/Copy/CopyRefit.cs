using CommerceOS.Core.Seo;
using CommerceOS.Core.Translation;

namespace CommerceOS.Core.Copy;

/// <summary>
/// Brings a text back within its marketplace's limits after translation (issue 4: "re-checked in the target language,
/// bytes for Taobao, characters elsewhere, and over-long fields re-fitted, keeping model numbers and units"). Fields are
/// shortened at word boundaries; a model number or a measure the cut would drop is kept and the rest shortened further.
/// </summary>
public static class CopyRefit
{
    /// <returns>The fitted text and the fields that were shortened.</returns>
    public static (ListingText Text, IReadOnlyList<string> Refitted) Fit(ListingText text, CopyProfile profile, ISeoEngine seo)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(seo);
        var refitted = new List<string>();
        string FitField(string field, string value, int limit, LengthUnit unit)
        {
            var fitted = Shorten(value, limit, unit, seo);
            if (!string.Equals(fitted, value, StringComparison.Ordinal) && !refitted.Contains(field))
            {
                refitted.Add(field);
            }

            return fitted;
        }

        var fields = profile.Fields;
        var result = text;
        if (fields.Contains(CopyFields.Title))
        {
            result = result with { Title = FitField(CopyFields.Title, text.Title, profile.Title.Max, profile.Title.Unit) };
        }

        if (fields.Contains(CopyFields.Bullets))
        {
            result = result with { Bullets = text.Bullets.Select(b => FitField(CopyFields.Bullets, b, profile.Bullets.MaxCharacters, LengthUnit.Characters)).ToList() };
        }

        if (fields.Contains(CopyFields.Description) && TextMeasure.Characters(text.Description) > profile.Description.MaxCharacters)
        {
            result = result with { Description = DropTail(text.Description, profile.Description.MaxCharacters, profile.Format, seo) };
            refitted.Add(CopyFields.Description);
        }

        if (profile.SearchTerms is { Unit: not LengthUnit.Items } terms)
        {
            result = result with { SearchTerms = FitField(CopyFields.SearchTerms, text.SearchTerms, terms.Limit, terms.Unit) };
        }

        if (profile.Meta)
        {
            result = result with
            {
                MetaTitle = FitField(CopyFields.MetaTitle, text.MetaTitle, SeoMarketplaceRules.MetaTitleMax, LengthUnit.Characters),
                MetaDescription = FitField(CopyFields.MetaDescription, text.MetaDescription, SeoMarketplaceRules.MetaDescriptionAdvised, LengthUnit.Characters),
            };
        }

        if (profile.CaptionMax > 0)
        {
            var hashtags = result.Hashtags.ToList();
            // The caption keeps at least a third of the room; hashtags go from the end first.
            while (hashtags.Count > 0 && TextMeasure.Characters(string.Concat(hashtags.Select(h => " #" + h))) > profile.CaptionMax * 2 / 3)
            {
                hashtags.RemoveAt(hashtags.Count - 1);
            }

            var room = profile.CaptionMax - TextMeasure.Characters(string.Concat(hashtags.Select(h => " #" + h)));
            if (hashtags.Count != result.Hashtags.Count)
            {
                refitted.Add(CopyFields.Hashtags);
            }

            result = result with { Hashtags = hashtags, Caption = FitField(CopyFields.Caption, text.Caption, room, LengthUnit.Characters) };
        }

        return (result, refitted);
    }

    /// <summary>
    /// <paramref name="value"/> within <paramref name="limit"/>: the word-boundary prefix, with any model number or measure it
    /// lost put back at the end (the prefix shortened to make room), so a title never loses "XR-500" or "500 ml".
    /// </summary>
    public static string Shorten(string value, int limit, LengthUnit unit, ISeoEngine seo)
    {
        if (TextMeasure.Measure(value, unit) <= limit)
        {
            return value;
        }

        var fitted = seo.FitText(value, limit, unit);
        var figures = TermProtector.Protect(value).Spans
            .Where(s => s.Kind is ProtectedKind.ModelNumber or ProtectedKind.Quantity)
            .Select(s => s.Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var lost = figures.Where(f => !fitted.Contains(f, StringComparison.Ordinal)).ToList();
        if (lost.Count == 0)
        {
            return fitted;
        }

        // Scripts without spaces join the figures directly.
        var separator = value.Contains(' ', StringComparison.Ordinal) ? " " : "";
        var tail = separator + string.Join(separator, lost);
        var prefixLimit = limit - TextMeasure.Measure(tail, unit);
        if (prefixLimit <= 0)
        {
            return fitted;
        }

        var prefix = seo.FitText(value, prefixLimit, unit);
        // Figures the shorter prefix dropped as well join the tail, in their original order.
        var dropped = figures.Where(f => !prefix.Contains(f, StringComparison.Ordinal)).ToList();
        var joined = prefix.Length == 0 ? string.Join(separator, dropped) : prefix + separator + string.Join(separator, dropped);
        return TextMeasure.Measure(joined, unit) <= limit ? joined : fitted;
    }

    /// <summary>Drops whole paragraphs or list items from the end, then cuts the last at a word boundary.</summary>
    private static string DropTail(string description, int limit, DescriptionFormat format, ISeoEngine seo)
    {
        if (format == DescriptionFormat.Html)
        {
            var text = description;
            while (TextMeasure.Characters(text) > limit)
            {
                var cut = Math.Max(text.LastIndexOf("<li", StringComparison.OrdinalIgnoreCase), text.LastIndexOf("<p", StringComparison.OrdinalIgnoreCase));
                if (cut <= 0)
                {
                    // One block longer than the limit: keep its text only.
                    return seo.FitText(ProductFacts.PlainText(text), limit, LengthUnit.Characters);
                }

                var closeList = text[..cut].EndsWith("<ul>", StringComparison.OrdinalIgnoreCase) || text[..cut].EndsWith("<ol>", StringComparison.OrdinalIgnoreCase);
                text = text[..cut].TrimEnd();
                if (closeList)
                {
                    text = text[..text.LastIndexOf('<')].TrimEnd();
                }
                else if (text.EndsWith("</li>", StringComparison.OrdinalIgnoreCase))
                {
                    text += text.Contains("<ol>", StringComparison.OrdinalIgnoreCase) && text.LastIndexOf("<ol>", StringComparison.OrdinalIgnoreCase) > text.LastIndexOf("<ul>", StringComparison.OrdinalIgnoreCase) ? "</ol>" : "</ul>";
                }
            }

            return text;
        }

        var paragraphs = description.Split('\n').ToList();
        while (paragraphs.Count > 1 && TextMeasure.Characters(string.Join('\n', paragraphs)) > limit)
        {
            paragraphs.RemoveAt(paragraphs.Count - 1);
        }

        var joined = string.Join('\n', paragraphs).TrimEnd();
        return TextMeasure.Characters(joined) <= limit ? joined : seo.FitText(joined, limit, LengthUnit.Characters);
    }
}
