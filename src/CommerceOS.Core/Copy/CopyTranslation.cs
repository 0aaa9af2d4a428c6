using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;
using CommerceOS.Core.Translation;

namespace CommerceOS.Core.Copy;

/// <summary>How one item of a translated version came to be (the Listing Copy page's translation status).</summary>
/// <param name="Line">For plain-text descriptions, the line; 0 otherwise.</param>
/// <param name="ReasonCode">Why an item stayed in the source language (a <see cref="TranslationErrors"/> key).</param>
public sealed record ItemTranslation(string Field, int Index, int Line, SegmentStatus Status, string Engine, double? Score = null, string? ReasonCode = null);

/// <summary>A translated text with each item's status and the fields re-fitted to the marketplace's limits.</summary>
public sealed record TranslatedCopy(ListingText Text, IReadOnlyList<ItemTranslation> Items, IReadOnlyList<string> Refitted, string Engine)
{
    public int Untranslated => Items.Count(i => i.Status == SegmentStatus.Untranslated);
}

/// <summary>
/// Translates a listing text item by item through the configured <see cref="ITranslator"/> (memory, DeepL or the LLM),
/// with the brand's glossary and its name protected, then re-fits every field to the marketplace's limits in the target
/// language. An item no translator could translate keeps its source text and is reported, never faked.
/// </summary>
public sealed class CopyTranslation(ITranslator translator, ISeoEngine seo)
{
    /// <summary>One translatable piece of a text: a field item, or one line of a plain-text description.</summary>
    public sealed record Segment(string Field, int Index, int Line, string Text);

    /// <exception cref="TranslationProviderException">The provider failed as a whole.</exception>
    /// <exception cref="InvalidOperationException">The translator refused the request (a code in the message).</exception>
    public async Task<TranslatedCopy> TranslateAsync(
        ListingText text, CopyProfile profile, string from, string to, Brand? brand, Guid? jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(profile);
        var segments = Split(text, profile);
        var keep = brand is null ? [] : new[] { brand.Name };
        var glossary = (brand?.Glossary ?? [])
            .Where(g => string.Equals(g.Language, to, StringComparison.OrdinalIgnoreCase))
            .Select(g => new TranslationTerm(g.Source, g.Target))
            .ToList();
        var translated = new string?[segments.Count];
        var items = new ItemTranslation?[segments.Count];
        var html = profile.Format == DescriptionFormat.Html;

        // Markup needs the translator's tag handling; everything else is plain text. Empty items stay empty.
        foreach (var group in segments.Select((s, i) => (Segment: s, Position: i))
                     .Where(x => x.Segment.Text.Trim().Length > 0)
                     .GroupBy(x => html && x.Segment.Field == CopyFields.Description))
        {
            var batch = group.ToList();
            foreach (var chunk in batch.Chunk(TranslationLimits.MaxSegments))
            {
                var request = new TranslationRequest(
                    from, to, chunk.Select(x => x.Segment.Text).ToList(), group.Key ? TagHandling.Html : TagHandling.None, glossary, keep);
                var result = await translator.TranslateAsync(request, jobId, cancellationToken);
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"{CopyErrors.TranslationRefused}: {string.Join("; ", result.Errors)}");
                }

                foreach (var segment in result.Value.Segments)
                {
                    var (s, position) = chunk[segment.Index];
                    translated[position] = segment.Text;
                    items[position] = new ItemTranslation(s.Field, s.Index, s.Line, segment.Status, segment.Engine, segment.Score, segment.ReasonCode);
                }
            }
        }

        // Blank lines (between paragraphs) are kept as they are and are not items of the status.
        var joined = Join(text, segments, translated);
        var (fitted, refitted) = CopyRefit.Fit(joined, profile, seo);
        return new TranslatedCopy(fitted, items.OfType<ItemTranslation>().ToList(), refitted, translator.Name);
    }

    /// <summary>The text's translatable segments in a fixed order; the same split pairs an edit with its source for the memory.</summary>
    public static IReadOnlyList<Segment> Split(ListingText text, CopyProfile profile)
    {
        var segments = new List<Segment>();
        foreach (var field in profile.Fields)
        {
            var items = text.Items(field);
            for (var i = 0; i < items.Count; i++)
            {
                if (field == CopyFields.Description && profile.Format == DescriptionFormat.PlainText)
                {
                    var lines = items[i].Split('\n');
                    for (var line = 0; line < lines.Length; line++)
                    {
                        segments.Add(new Segment(field, i, line, lines[line]));
                    }
                }
                else
                {
                    segments.Add(new Segment(field, i, 0, items[i]));
                }
            }
        }

        return segments;
    }

    private static ListingText Join(ListingText source, IReadOnlyList<Segment> segments, string?[] translated)
    {
        string Of(int position) => translated[position] ?? segments[position].Text;
        var text = source;
        foreach (var field in segments.Select(s => s.Field).Distinct())
        {
            var positions = Enumerable.Range(0, segments.Count).Where(p => segments[p].Field == field).ToList();
            var values = positions.GroupBy(p => segments[p].Index)
                .Select(g => string.Join('\n', g.OrderBy(p => segments[p].Line).Select(Of)))
                .ToList();
            text = field switch
            {
                CopyFields.Title => text with { Title = values[0] },
                CopyFields.Bullets => text with { Bullets = values },
                CopyFields.Description => text with { Description = values[0] },
                CopyFields.SearchTerms => text with { SearchTerms = values[0] },
                CopyFields.MetaTitle => text with { MetaTitle = values[0] },
                CopyFields.MetaDescription => text with { MetaDescription = values[0] },
                CopyFields.Caption => text with { Caption = values[0] },
                // A translated hashtag may come back as several words: hashtags are one word.
                CopyFields.Hashtags => text with { Hashtags = values.Select(h => string.Concat(h.Where(c => char.IsLetterOrDigit(c) || c == '_'))).Where(h => h.Length > 0).ToList() },
                CopyFields.LiveScript => text with { LiveScript = values },
                _ => text,
            };
        }

        return text;
    }
}
