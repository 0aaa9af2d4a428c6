using System.Globalization;
using System.Text;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;

namespace CommerceOS.Engines.Copy;

/// <summary>
/// Writes one listing (one product, one marketplace, one language, one tone, one seed). Every sentence is a template
/// filled with facts; a sentence whose rendering holds a banned word or a competitor brand is replaced by the slot's next
/// variant, and dropped when every variant does. Titles hold facts only.
/// </summary>
internal sealed class CopyComposer
{
    /// <summary>Amazon: no guarantee or refund phrases, "N/A" or "TBD" in bullets (marketplace-rules.md §1.1); the validator's list.</summary>
    private static readonly string[] GuaranteePhrases =
        ["guarantee", "guaranteed", "refund", "money back", "money-back", "satisfaction", "n/a", "tbd", "保证", "退款"];

    private static readonly char[] CategorySeparators = ['>', '/', '|', '›'];

    private readonly CopyRequest _request;
    private readonly CopyProfile _profile;
    private readonly ProductFacts _facts;
    private readonly SeoMemo _seo;
    private readonly string _language;
    private readonly bool _zh;
    private readonly string _tone;
    private readonly ulong _hash;
    private readonly string[] _blocked;
    private readonly string? _brand;
    private readonly List<GlossaryTerm> _glossary;
    private readonly List<CopyTrace> _traces = [];
    private string? _shortName;

    private readonly string _title;
    private readonly string? _category;
    private readonly string? _audience;
    private readonly List<(string Id, string Text)> _points = [];
    private readonly List<Spec> _specs = [];
    private readonly List<(string Id, string Label, string[] Values)> _options = [];

    private readonly record struct Spec(string Id, string Label, string Value, bool Flag, AttributeType Type);

    /// <summary>Placeholder values; null ones are never referenced by the slot's templates.</summary>
    private readonly record struct Args(string? N = null, string? S = null, string? P = null, string? A = null, string? C = null, string? O = null, string? L = null, string? K = null);

    public CopyComposer(CopyRequest request, CopyProfile profile, ProductFacts facts, SeoMemo seo, string language, string tone)
    {
        _request = request;
        _profile = profile;
        _facts = facts;
        _seo = seo;
        _language = language;
        _zh = language == CopyTemplates.Chinese;
        _tone = tone;
        _hash = StableHash.Start(request.Seed, request.Product.Id);
        _brand = string.IsNullOrWhiteSpace(request.Brand?.Name) ? null : SeoText.Squash(request.Brand!.Name);
        _blocked = (request.Brand?.BannedWords ?? []).Concat(request.Competitors)
            .Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _glossary = (request.Brand?.Glossary ?? [])
            .Where(g => !string.IsNullOrWhiteSpace(g.Source) && !string.IsNullOrWhiteSpace(g.Target) && LocalCopyEngine.NormalizeLanguage(g.Language) == language)
            .ToList();

        // The title is the listing's subject: a banned or competitor word inside it is cut out rather than the title dropped.
        _title = Clean(RemoveWords(Display(request.Product.Title)));
        var category = facts.Find("category")?.Value;
        if (category is not null)
        {
            var parts = category.Split(CategorySeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            _category = parts.Length > 0 ? Display(parts[^1]) : null;
        }

        _audience = facts.Find("audience") is { } audience ? Clean(Display(audience.Value)) : null;
        var product = request.Product;
        for (var i = 0; i < product.SellingPoints.Count; i++)
        {
            var id = "point:" + i.ToString(CultureInfo.InvariantCulture);
            if (facts.Find(id) is { } point)
            {
                var text = Clean(Display(point.Value));
                if (text.Length > 0)
                {
                    _points.Add((id, text));
                }
            }
        }

        for (var i = 0; i < product.Attributes.Count; i++)
        {
            var id = "attr:" + i.ToString(CultureInfo.InvariantCulture);
            if (facts.Find(id) is not { } fact || fact.Label is null)
            {
                continue;
            }

            var attribute = product.Attributes[i];
            var flag = attribute.Type == AttributeType.Boolean || IsYesNo(fact.Value) is not null;
            if (flag && IsYesNo(fact.Value) != true)
            {
                // "Dishwasher safe: false" is a fact, but writing it as a feature would claim the opposite.
                continue;
            }

            _specs.Add(new Spec(id, Display(fact.Label), flag ? "" : Display(fact.Value), flag, attribute.Type));
        }

        foreach (var fact in facts.All)
        {
            if (fact.Id.StartsWith("option:", StringComparison.Ordinal) && fact.Label is not null)
            {
                _options.Add((fact.Id, Display(fact.Label), fact.Value.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Display).ToArray()));
            }
        }
    }

    public IReadOnlyList<CopyTrace> Traces => _request.Fields is null ? _traces : _traces.Where(t => _request.Wants(t.Field)).ToList();

    public ListingText Compose()
    {
        var text = new ListingText();
        foreach (var field in _profile.Fields)
        {
            if (!_request.Wants(field))
            {
                continue;
            }

            text = field switch
            {
                CopyFields.Title => text with { Title = ComposeTitle() },
                CopyFields.Bullets => text with { Bullets = ComposeBullets() },
                CopyFields.Description => text with { Description = ComposeDescription() },
                CopyFields.SearchTerms => text with { SearchTerms = ComposeSearchTerms() },
                CopyFields.MetaTitle => text with { MetaTitle = ComposeMetaTitle() },
                CopyFields.MetaDescription => text with { MetaDescription = ComposeMetaDescription() },
                CopyFields.Caption => ComposeCaption(text),

                // Hashtags alone (regenerated): they are chosen with the caption because both share its 150 characters.
                CopyFields.Hashtags => _request.Wants(CopyFields.Caption) ? text : ComposeCaption(text) with { Caption = "" },
                CopyFields.LiveScript => text with { LiveScript = ComposeLiveScript() },
                _ => text,
            };
        }

        return text;
    }

    // ---------------------------------------------------------------- title

    private string ComposeTitle()
    {
        var rule = _profile.Title;
        var dense = _profile.SourceLanguage == CopyTemplates.Chinese;
        // Chinese marketplaces: keyword groups separated by single spaces (each costs one of the 60 bytes, §4).
        var separator = dense ? " " : Variant("title.separator", 0, 2) == 0 ? ", " : " - ";
        var ids = new List<string> { "title" };

        var core = TitlePiece(_title);
        if (_brand is not null && _profile.Marketplace != "shopify" && !SeoText.Mentions(_request.Product.Title, _brand))
        {
            var brand = TitlePiece(_brand);
            if (brand.Length > 0)
            {
                core = Join(brand, core, dense ? "" : " ");
                ids.Add("brand");
            }
        }

        // Keywords the seller requires go right after the subject, so a long title is cut before they are; only keywords
        // the facts hold are added (a keyword the product does not have would be an invented fact).
        var required = new List<string>();
        foreach (var keyword in _request.Required)
        {
            var k = SeoText.Squash(keyword);
            if (k.Length > 0 && _facts.Mentions(k) && !Blocked(k) && !CopyValidator.ContainsWord(core, k) && TitlePiece(k) is { Length: > 0 } piece)
            {
                required.Add(piece);
            }
        }

        var requiredLength = required.Sum(r => TextMeasure.Measure(r, rule.Unit) + Math.Max(separator.Length, 1));
        var title = core.Length == 0 ? "" : TextFitter.Fit(core, Math.Max(rule.Max - requiredLength, rule.Max / 2), rule.Unit).Text;
        foreach (var piece in required)
        {
            title = TryAdd(title, piece, separator, rule, out _);
        }

        // Key attributes: quantities and model numbers first, then descriptive values, then yes/no features.
        var ordered = _specs.OrderBy(s => s.Flag ? 2 : s.Type is AttributeType.Measurement or AttributeType.Number || HasDigit(s.Value) ? 0 : 1).ToList();
        var keyCount = dense ? int.MaxValue : _profile.Marketplace == "amazon" ? 4 : 3;
        var used = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var spec in ordered)
        {
            if (count >= keyCount || _profile.Marketplace == "shopify")
            {
                break;
            }

            if (AddSpec(ref title, spec, separator, rule, ids))
            {
                used.Add(spec.Id);
                count++;
            }
        }

        // Chinese marketplaces search the title only: audience and short selling points are keywords there.
        if (dense)
        {
            title = AddFact(title, _audience, "audience", separator, rule, ids);
            foreach (var (id, point) in _points)
            {
                if (TextMeasure.Characters(point) <= 12)
                {
                    title = AddFact(title, point, id, separator, rule, ids);
                }
            }
        }

        // Below the marketplace's minimum: the remaining facts, never filler. Category, audience and options read oddly in
        // a title, so they are used only where the platform refuses a short one (and on Etsy, whose titles are phrases).
        if (TextMeasure.Measure(title, rule.Unit) < rule.Min)
        {
            foreach (var spec in ordered.Where(s => !used.Contains(s.Id)))
            {
                AddSpec(ref title, spec, separator, rule, ids);
            }
        }

        if ((_profile.HardMinimums && TextMeasure.Measure(title, rule.Unit) < rule.Min) || _profile.Marketplace == "etsy")
        {
            title = AddFact(title, _category, "category", separator, rule, ids);
            title = AddFact(title, _audience, "audience", separator, rule, ids);
            foreach (var (id, _, values) in _options)
            {
                title = AddFact(title, string.Join(dense ? " " : ", ", values), id, separator, rule, ids);
            }
        }

        Trace(CopyFields.Title, 0, ids);
        return title;
    }

    private bool AddSpec(ref string title, Spec spec, string separator, TitleRule rule, List<string> ids)
    {
        var before = title;
        title = AddFact(title, spec.Flag ? spec.Label : spec.Value, spec.Id, separator, rule, ids);
        return !ReferenceEquals(before, title);
    }

    private string AddFact(string title, string? value, string id, string separator, TitleRule rule, List<string> ids)
    {
        if (value is null || Blocked(value))
        {
            return title;
        }

        var piece = TitlePiece(value, dropIfHan: true);
        if (piece.Length == 0)
        {
            return title;
        }

        var result = TryAdd(title, piece, separator, rule, out var added);
        if (added && !ids.Contains(id))
        {
            ids.Add(id);
        }

        return result;
    }

    /// <summary>Appends a piece when it is new, fits the limit and repeats no word beyond the marketplace's cap.</summary>
    private static string TryAdd(string title, string piece, string separator, TitleRule rule, out bool added)
    {
        added = false;
        if (piece.Length == 0 || Folded(title).Contains(Folded(piece), StringComparison.Ordinal) || WordsIn(title, piece))
        {
            return title;
        }

        var candidate = Join(title, piece, separator);
        if (TextMeasure.Measure(candidate, rule.Unit) > rule.Max || (rule.MaxWordRepeat > 0 && MaxWordCount(candidate) > rule.MaxWordRepeat))
        {
            return title;
        }

        added = true;
        return candidate;
    }

    private static string Join(string left, string right, string separator)
    {
        if (left.Length == 0)
        {
            return right;
        }

        return separator.Length > 0 ? left + separator + right : KeywordSetBuilder.Join(left, right, "");
    }

    /// <summary>A fact as a title piece: the marketplace's forbidden characters, emoji and (TikTok) Chinese removed, no shouting on eBay.</summary>
    private string TitlePiece(string value, bool dropIfHan = false)
    {
        var rule = _profile.Title;
        if (_profile.TitleLatinOnly && SeoText.ContainsHan(value))
        {
            if (dropIfHan)
            {
                return "";
            }

            var latin = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                latin.Append(SeoText.IsHan(c) || c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' ? ' ' : c);
            }

            value = latin.ToString();
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (rule.ForbiddenCharacters.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(' ');
            }
            else if (rule.ForbidEmoji && (c is >= '\u2600' and <= '\u27BF' or '\uFE0F' || (char.IsHighSurrogate(c) && c is >= '\uD83C' and <= '\uD83E')))
            {
                if (char.IsHighSurrogate(c))
                {
                    i++;
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        var text = Clean(builder.ToString());
        text = rule.NoAllCaps ? NoShouting(text) : text;
        return _profile.SourceLanguage == CopyTemplates.Chinese ? text : TitleCase(text);
    }

    // ---------------------------------------------------------------- bullets

    private List<string> ComposeBullets()
    {
        var slots = _profile.Bullets.Count;
        var bullets = new List<string>(slots);
        var points = _points.Where(p => !Blocked(p.Text) && !Guarantee(p.Text)).ToList();
        var index = 0;
        foreach (var (id, point) in points.Take(slots))
        {
            AddBullet(bullets, CopyTemplates.Slots.PointLabel, null, CopyTemplates.Slots.Point, new Args(P: point), [id], ref index);
        }

        var room = slots - bullets.Count;
        if (room > 0)
        {
            var specs = _specs.Where(s => !Blocked(SpecText(s)) && !Guarantee(SpecText(s))).ToList();
            var singles = new List<(string Label, string Slot, Args Args, string[] Ids)>();
            if (_audience is not null && !Blocked(_audience))
            {
                singles.Add((CopyTemplates.Slots.AudienceLabel, CopyTemplates.Slots.Audience, new Args(A: _audience), ["audience"]));
            }

            var options = _options.Where(o => !Blocked(OptionText(o.Label, o.Values))).ToList();
            if (options.Count > 0)
            {
                singles.Add((CopyTemplates.Slots.OptionsLabel, CopyTemplates.Slots.Options, new Args(O: OptionsText(options)), options.Select(o => o.Id).ToArray()));
            }

            if (_category is not null && !Blocked(_category))
            {
                singles.Add((CopyTemplates.Slots.CategoryLabel, CopyTemplates.Slots.Category, new Args(C: _category), ["category"]));
            }

            // Specifications share what the other facts leave; the category goes first when room runs out, then options.
            while (singles.Count > 0 && singles.Count + (specs.Count > 0 ? 1 : 0) > room)
            {
                singles.RemoveAt(singles.Count - 1);
            }

            var chunks = specs.Count == 0 ? 0 : Math.Min(specs.Count, room - singles.Count);
            for (var c = 0; c < chunks; c++)
            {
                var from = specs.Count * c / chunks;
                var to = specs.Count * (c + 1) / chunks;
                var chunk = specs.GetRange(from, to - from);
                if (chunk.Count == 1 && !chunk[0].Flag)
                {
                    var label = _zh ? chunk[0].Label : chunk[0].Label.ToUpperInvariant();
                    AddBullet(bullets, null, label, CopyTemplates.Slots.Specs, new Args(L: chunk[0].Value), [chunk[0].Id], ref index);
                }
                else
                {
                    AddBullet(bullets, CopyTemplates.Slots.SpecsLabel, null, CopyTemplates.Slots.Specs, new Args(L: SpecList(chunk)), chunk.Select(s => s.Id).ToArray(), ref index);
                }
            }

            foreach (var (label, slot, args, ids) in singles)
            {
                AddBullet(bullets, label, null, slot, args, ids, ref index);
            }
        }

        return bullets;
    }

    private void AddBullet(List<string> bullets, string? labelSlot, string? label, string slot, Args args, string[] ids, ref int index)
    {
        var body = Pick(slot, index, args, guard: true);
        label ??= Pick(labelSlot!, index, default, guard: true);
        if (body is null || label is null)
        {
            return;
        }

        var bullet = _zh ? "【" + label + "】" + body : label + ": " + body;
        var forbidden = _profile.BulletForbiddenCharacters;
        if (forbidden.Length > 0)
        {
            var builder = new StringBuilder(bullet.Length);
            foreach (var c in bullet)
            {
                if (!forbidden.Contains(c, StringComparison.Ordinal))
                {
                    builder.Append(c);
                }
            }

            bullet = SeoText.Squash(builder.ToString());
        }

        bullet = TextFitter.Fit(bullet, _profile.Bullets.MaxCharacters, LengthUnit.Characters).Text;
        if (bullet.Length == 0)
        {
            return;
        }

        Trace(CopyFields.Bullets, bullets.Count, ids);
        bullets.Add(bullet);
        index++;
    }

    // ---------------------------------------------------------------- description

    private sealed record Block(string? Lead, IReadOnlyList<string> Lines, bool IsList, IReadOnlyList<string> Ids);

    private string ComposeDescription()
    {
        var blocks = new List<Block>();
        var intro = new StringBuilder();
        var introIds = new List<string> { "title" };
        if (Pick(CopyTemplates.Slots.Intro, 0, new Args(N: Name()), guard: false) is { } opening)
        {
            intro.Append(opening);
            if (_brand is not null && !SeoText.Mentions(_request.Product.Title, _brand))
            {
                introIds.Add("brand");
            }
        }

        if (_category is not null && Pick(CopyTemplates.Slots.DescCategory, 0, new Args(C: _category), guard: false) is { } category)
        {
            AppendSentence(intro, category);
            introIds.Add("category");
        }

        if (intro.Length > 0)
        {
            blocks.Add(new Block(null, [intro.ToString()], false, introIds));
        }

        if (_facts.Find("description") is { } description)
        {
            // The seller's own words, less any sentence that holds a banned word or a competitor.
            var kept = new StringBuilder();
            foreach (var sentence in Sentences(Display(description.Value)))
            {
                if (!Blocked(sentence))
                {
                    AppendSentence(kept, sentence);
                }
            }

            if (kept.Length > 0)
            {
                blocks.Add(new Block(null, [kept.ToString()], false, ["description"]));
            }
        }

        var points = _points.Where(p => !Blocked(p.Text)).ToList();
        if (points.Count > 0 && Pick(CopyTemplates.Slots.Features, 0, default, guard: false) is { } features)
        {
            blocks.Add(new Block(features, points.Select(p => Sentence(p.Text)).ToList(), true, points.Select(p => p.Id).ToList()));
        }

        var specs = _specs.Where(s => !Blocked(SpecText(s))).ToList();
        if (specs.Count > 0 && Pick(CopyTemplates.Slots.DescSpecs, 0, default, guard: false) is { } specLead)
        {
            blocks.Add(new Block(specLead, specs.Select(SpecText).ToList(), true, specs.Select(s => s.Id).ToList()));
        }

        var closing = new StringBuilder();
        var closingIds = new List<string>();
        if (_audience is not null && Pick(CopyTemplates.Slots.Audience, 1, new Args(A: _audience), guard: false) is { } audience)
        {
            closing.Append(audience);
            closingIds.Add("audience");
        }

        var options = _options.Where(o => !Blocked(OptionText(o.Label, o.Values))).ToList();
        if (options.Count > 0 && Pick(CopyTemplates.Slots.Options, 1, new Args(O: OptionsText(options)), guard: false) is { } optionLine)
        {
            AppendSentence(closing, optionLine);
            closingIds.AddRange(options.Select(o => o.Id));
        }

        if (Pick(CopyTemplates.Slots.Close, 0, default, guard: false) is { } close)
        {
            AppendSentence(closing, close);
        }

        if (closing.Length > 0)
        {
            blocks.Add(new Block(null, [closing.ToString()], false, closingIds.Count > 0 ? closingIds : ["title"]));
        }

        return RenderDescription(blocks);
    }

    /// <summary>Blocks in order while they fit the marketplace's maximum; the first that does not is shortened at a word boundary.</summary>
    private string RenderDescription(List<Block> blocks)
    {
        var html = _profile.Format == DescriptionFormat.Html;
        var max = _profile.Description.MaxCharacters;
        var output = new StringBuilder();
        var ids = new List<string>();
        foreach (var block in blocks)
        {
            var rendered = Render(block, html, block.Lines.Count);
            var separator = output.Length == 0 || html ? "" : "\n\n";
            var room = max - TextMeasure.Characters(output.ToString()) - separator.Length;
            if (TextMeasure.Characters(rendered) > room)
            {
                // Lists lose items from the end; a paragraph is cut at a word boundary (tags and their ends counted).
                string? shortened = null;
                if (block.IsList)
                {
                    for (var n = block.Lines.Count - 1; n >= 1 && shortened is null; n--)
                    {
                        var candidate = Render(block, html, n);
                        if (TextMeasure.Characters(candidate) <= room)
                        {
                            shortened = candidate;
                        }
                    }
                }
                else
                {
                    var overhead = html ? "<p></p>".Length : 0;
                    var fitted = TextFitter.Fit(block.Lines[0], room - overhead, LengthUnit.Characters).Text;
                    if (fitted.Length > 0)
                    {
                        shortened = Render(block with { Lines = [fitted] }, html, 1);
                    }
                }

                if (shortened is not null)
                {
                    output.Append(separator).Append(shortened);
                    ids.AddRange(block.Ids);
                }

                break;
            }

            output.Append(separator).Append(rendered);
            ids.AddRange(block.Ids);
        }

        Trace(CopyFields.Description, 0, ids);
        return output.ToString();
    }

    private static string Render(Block block, bool html, int lines)
    {
        var builder = new StringBuilder();
        if (!block.IsList)
        {
            return html ? "<p>" + Escape(block.Lines[0]) + "</p>" : block.Lines[0];
        }

        if (html)
        {
            builder.Append("<p>").Append(Escape(block.Lead!)).Append("</p><ul>");
            for (var i = 0; i < lines; i++)
            {
                builder.Append("<li>").Append(Escape(block.Lines[i])).Append("</li>");
            }

            return builder.Append("</ul>").ToString();
        }

        builder.Append(block.Lead);
        for (var i = 0; i < lines; i++)
        {
            builder.Append('\n').Append("• ").Append(block.Lines[i]);
        }

        return builder.ToString();
    }

    // ---------------------------------------------------------------- keyword fields

    private string ComposeSearchTerms()
    {
        // Banned words go in with the competitors: the SEO engine cuts them out of the text before it extracts keywords.
        var set = _seo.KeywordSet(new SeoSubject(_request.Product, _brand, _blocked), _profile.Marketplace);
        // Amazon's terms are stripped of punctuation, which turns "1.2 kg" into "1 2 kg": figures the facts do not hold.
        // Such a keyword is left out rather than state numbers the product never gave.
        var keywords = set.Keywords.Where(k => !Blocked(k) && (!HasDigit(k) || _facts.UntracedFigures(k).Count == 0)).ToList();
        var value = keywords.Count == set.Keywords.Count ? set.Value : string.Join(_profile.SearchTerms!.Separator, keywords);
        Trace(CopyFields.SearchTerms, 0, FactsMentioning(keywords));
        return value;
    }

    private string ComposeMetaTitle()
    {
        var meta = _seo.Meta(new SeoSubject(_request.Product, _brand, _blocked));
        var title = meta.Title;
        if (Blocked(title))
        {
            title = TextFitter.Fit(_title, SeoMarketplaceRules.MetaTitleAdvised, LengthUnit.Characters).Text;
        }

        Trace(CopyFields.MetaTitle, 0, ["title"]);
        return title;
    }

    private string ComposeMetaDescription()
    {
        var meta = _seo.Meta(new SeoSubject(_request.Product, _brand, _blocked));
        var description = meta.Description;
        if (Blocked(description))
        {
            var kept = new StringBuilder();
            foreach (var sentence in Sentences(LocalSeoEngine.DescriptionSource(_request.Product)))
            {
                if (!Blocked(sentence))
                {
                    AppendSentence(kept, sentence);
                }
            }

            description = TextFitter.Fit(kept.Length > 0 ? kept.ToString() : _title, SeoMarketplaceRules.MetaDescriptionAdvised, LengthUnit.Characters, ellipsis: true).Text;
        }

        var ids = new List<string>();
        if (_facts.Find("description") is { } fact && description.Contains(Prefix(SeoText.Squash(fact.Value)), StringComparison.OrdinalIgnoreCase))
        {
            ids.Add("description");
        }

        ids.AddRange(_points.Where(p => description.Contains(Prefix(p.Text), StringComparison.OrdinalIgnoreCase)).Select(p => p.Id));
        Trace(CopyFields.MetaDescription, 0, ids.Count > 0 ? ids : ["title"]);
        return description;
    }

    // ---------------------------------------------------------------- caption, hashtags, live script

    private ListingText ComposeCaption(ListingText text)
    {
        var hashtags = new List<string>();
        var hashtagIds = new List<string[]>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void AddTag(string source, string[] ids)
        {
            var tag = Hashtag(source);
            if (tag.Length > 1 && hashtags.Count < _profile.HashtagCount && !Blocked(source) && !Blocked(tag)
                && !hashtags.Any(h => h.Contains(tag, StringComparison.OrdinalIgnoreCase))
                && (!HasDigit(tag) || _facts.UntracedFigures(tag).Count == 0) && seen.Add(tag))
            {
                hashtags.Add(tag);
                hashtagIds.Add(ids);
            }
        }

        if (_brand is not null)
        {
            AddTag(_brand, ["brand"]);
        }

        // The category's names are the phrases shoppers follow; then the product's strongest single keywords (two-word
        // n-grams such as "ergonomic water" read as noise once the space is gone).
        if (_facts.Find("category") is { } category)
        {
            foreach (var part in category.Value.Split(CategorySeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
            {
                if (part.Length <= 24 && !part.Contains('&', StringComparison.Ordinal))
                {
                    AddTag(part, ["category"]);
                }
            }
        }

        foreach (var keyword in _seo.Keywords(new SeoSubject(_request.Product, _brand, _blocked)))
        {
            if (hashtags.Count >= _profile.HashtagCount)
            {
                break;
            }

            var single = keyword.Language == SeoLanguage.Chinese ? keyword.Text.Length is >= 2 and <= 6 : keyword.Words == 1 && keyword.Text.Length >= 3;
            if (single)
            {
                AddTag(keyword.Text, [.. FactsMentioning([keyword.Text])]);
            }
        }

        // The caption and its hashtags share the limit (caption with hashtags ≤ 150, marketplace-rules.md §3 skills and §8.9).
        var short_ = ShortName();
        var point = _points.FirstOrDefault(p => !Blocked(p.Text));
        var caption = point.Text is null ? null : Pick(CopyTemplates.Slots.Caption, 0, new Args(S: short_, P: point.Text), guard: false);
        var captionIds = new List<string> { "title" };
        if (caption is null)
        {
            caption = Pick(CopyTemplates.Slots.CaptionShort, 0, new Args(S: short_), guard: false) ?? short_;
        }
        else
        {
            captionIds.Add(point.Id);
        }

        while (true)
        {
            var tagLength = hashtags.Sum(h => TextMeasure.Characters(h) + 2);
            var room = _profile.CaptionMax - tagLength;
            if (room >= Math.Min(40, TextMeasure.Characters(caption)) || hashtags.Count == 0)
            {
                caption = TextFitter.Fit(caption, room, LengthUnit.Characters).Text;
                break;
            }

            hashtags.RemoveAt(hashtags.Count - 1);
            hashtagIds.RemoveAt(hashtagIds.Count - 1);
        }

        Trace(CopyFields.Caption, 0, captionIds);
        for (var i = 0; i < hashtags.Count; i++)
        {
            Trace(CopyFields.Hashtags, i, hashtagIds[i]);
        }

        return text with { Caption = caption, Hashtags = _request.Wants(CopyFields.Hashtags) ? hashtags : [] };
    }

    private List<string> ComposeLiveScript()
    {
        var lines = new List<string>();
        var short_ = ShortName();
        void Line(string? line, params string[] ids)
        {
            if (line is not null)
            {
                Trace(CopyFields.LiveScript, lines.Count, ids);
                lines.Add(line);
            }
        }

        Line(Pick(CopyTemplates.Slots.LiveHook, 0, new Args(S: short_), guard: false), "title");
        var withBrand = _brand is not null && !SeoText.Mentions(_request.Product.Title, _brand);
        string[] introIds = withBrand ? ["title", "brand"] : ["title"];
        if (_category is not null && !Blocked(_category))
        {
            Line(Pick(CopyTemplates.Slots.LiveIntro, 0, new Args(N: Name(), C: _category), guard: false), [.. introIds, "category"]);
        }
        else
        {
            Line(Pick(CopyTemplates.Slots.LiveIntroShort, 0, new Args(N: Name()), guard: false), introIds);
        }

        var ordinals = CopyTemplates.Ordinals(_language);
        var n = 0;
        foreach (var (id, point) in _points)
        {
            var line = Pick(CopyTemplates.Slots.LivePoint, n, new Args(P: point, K: ordinals[Math.Min(n, ordinals.Count - 1)]), guard: false);
            if (line is not null)
            {
                Line(line, id);
                n++;
            }
        }

        var specs = _specs.Where(s => !Blocked(SpecText(s))).ToList();
        if (specs.Count > 0)
        {
            Line(Pick(CopyTemplates.Slots.LiveSpecs, 0, new Args(L: SpecList(specs)), guard: false), [.. specs.Select(s => s.Id)]);
        }

        if (_audience is not null)
        {
            Line(Pick(CopyTemplates.Slots.LiveAudience, 0, new Args(A: _audience), guard: false), "audience");
        }

        var options = _options.Where(o => !Blocked(OptionText(o.Label, o.Values))).ToList();
        if (options.Count > 0)
        {
            Line(Pick(CopyTemplates.Slots.LiveOptions, 0, new Args(O: OptionsText(options)), guard: false), [.. options.Select(o => o.Id)]);
        }

        Line(Pick(CopyTemplates.Slots.LiveCta, 0, new Args(S: short_), guard: false), "title");
        return lines;
    }

    // ---------------------------------------------------------------- templates

    /// <summary>The slot's first variant comes from the hash; later items of the same slot (bullets, script lines) take the
    /// following variants, so one listing does not repeat a phrasing while another seed or product starts elsewhere.</summary>
    private int Variant(string slot, int index, int count) => (int)((StableHash.Add(_hash, slot, 0) + (ulong)index) % (ulong)count);

    /// <summary>The slot's variant for this seed, product and index; the next ones when it holds a banned word; null when all do.</summary>
    private string? Pick(string slot, int index, Args args, bool guard)
    {
        var variants = CopyTemplates.Get(_language, _tone, slot);
        var start = Variant(slot, index, variants.Count);
        for (var i = 0; i < variants.Count; i++)
        {
            var text = Render(variants[(start + i) % variants.Count], args);
            if (!Blocked(text) && !(guard && Guarantee(text)))
            {
                return text;
            }
        }

        return null;
    }

    private string Render(string template, Args args)
    {
        var builder = new StringBuilder(template.Length + 64);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 2 < template.Length && template[i + 2] == '}')
            {
                var key = template[i + 1];
                var value = key switch
                {
                    'n' or 'N' => args.N,
                    's' or 'S' => args.S,
                    'p' or 'P' => args.P,
                    'a' or 'A' => args.A,
                    'c' or 'C' => args.C,
                    'o' or 'O' => args.O,
                    'l' or 'L' => args.L,
                    'k' or 'K' => args.K,
                    _ => throw new InvalidOperationException($"Unknown placeholder {{{key}}} in a copy template."),
                } ?? throw new InvalidOperationException($"Placeholder {{{key}}} has no value in \"{template}\".");
                // Sentence-initial placeholders are upper-case keys; points and audiences are lower-cased mid-sentence,
                // names, categories and options keep the seller's casing.
                builder.Append(_zh ? value : char.IsUpper(key) ? Upper(value) : key is 'p' or 'a' ? Lower(value) : value);
                i += 2;
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    // ---------------------------------------------------------------- facts as text

    /// <summary>The product's name in a sentence: the title, with the brand when the title does not name it.</summary>
    private string Name()
    {
        if (_brand is null || SeoText.Mentions(_request.Product.Title, _brand))
        {
            return _title;
        }

        return _zh ? KeywordSetBuilder.Join(_brand, _title, "") : _title + " by " + _brand;
    }

    /// <summary>The title short enough to be spoken or captioned, cut at a word boundary (never inside a model number).</summary>
    private string ShortName() => _shortName ??= FitShortName();

    private string FitShortName()
    {
        var limit = SeoText.ContainsHan(_title) ? 20 : 48;
        var fitted = TextFitter.Fit(_title, limit, LengthUnit.Characters).Text;
        return fitted.Length > 0 ? fitted : _title;
    }

    private string SpecText(Spec spec) =>
        spec.Flag ? spec.Label
        : _zh && SeoText.ContainsHan(spec.Label) ? spec.Label + "为" + spec.Value
        : spec.Label + ": " + spec.Value;

    private string SpecList(List<Spec> specs) => string.Join(_zh ? "；" : "; ", specs.Select(SpecText));

    private string OptionText(string label, string[] values) =>
        _zh ? string.Join("、", values) + "（" + label + "）" : string.Join(", ", values) + " (" + label + ")";

    private string OptionsText(List<(string Id, string Label, string[] Values)> options) =>
        string.Join(_zh ? "；" : "; ", options.Select(o => OptionText(o.Label, o.Values)));

    /// <summary>A fact value with the brand's glossary applied, when the swap adds no figure or claim the facts lack.</summary>
    private string Display(string value)
    {
        var text = SeoText.Squash(value);
        if (_glossary.Count == 0)
        {
            return text;
        }

        var replaced = text;
        foreach (var term in _glossary)
        {
            replaced = ReplaceWord(replaced, term.Source.Trim(), term.Target.Trim());
        }

        return ReferenceEquals(replaced, text) || _facts.UntracedFigures(replaced).Count > 0 || _facts.UnsupportedClaims(replaced).Count > 0 ? text : replaced;
    }

    private List<string> FactsMentioning(IEnumerable<string> keywords)
    {
        var ids = new List<string>();
        var list = keywords.ToList();
        foreach (var fact in _facts.All)
        {
            if (fact.Id != "sku" && list.Any(k => k.Length > 0 && (fact.Value.Contains(k, StringComparison.OrdinalIgnoreCase) || (fact.Label?.Contains(k, StringComparison.OrdinalIgnoreCase) ?? false))))
            {
                ids.Add(fact.Id);
            }
        }

        return ids.Count > 0 ? ids : ["title"];
    }

    private void Trace(string field, int index, IEnumerable<string> ids) =>
        _traces.Add(new CopyTrace(field, index, ids.Distinct(StringComparer.Ordinal).ToList()));

    private bool Blocked(string text)
    {
        foreach (var word in _blocked)
        {
            if (CopyValidator.ContainsWord(text, word))
            {
                return true;
            }
        }

        return false;
    }

    private bool Guarantee(string text)
    {
        if (!_profile.NoGuaranteeClaims)
        {
            return false;
        }

        foreach (var phrase in GuaranteePhrases)
        {
            if (CopyValidator.ContainsWord(text, phrase))
            {
                return true;
            }
        }

        return false;
    }

    private string RemoveWords(string text)
    {
        foreach (var word in _blocked)
        {
            text = ReplaceWord(text, word, " ");
        }

        return text;
    }

    /// <summary>Whole-word (Latin) or substring (Chinese) case-insensitive replacement, as <see cref="CopyValidator.ContainsWord"/> matches.</summary>
    private static string ReplaceWord(string text, string word, string replacement)
    {
        if (word.Length == 0 || text.IndexOf(word, StringComparison.OrdinalIgnoreCase) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        int at;
        var from = 0;
        while ((at = text.IndexOf(word, from, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = at + word.Length;
            var startOk = !char.IsAsciiLetterOrDigit(word[0]) || at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1]);
            var endOk = !char.IsAsciiLetterOrDigit(word[^1]) || end == text.Length || !char.IsAsciiLetterOrDigit(text[end]);
            if (startOk && endOk)
            {
                builder.Append(text, position, at - position).Append(replacement);
                position = end;
            }

            from = at + 1 > position ? at + 1 : position;
        }

        return position == 0 ? text : builder.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Squashed, without trailing sentence punctuation or dangling separators at either end.</summary>
    private static string Clean(string text)
    {
        var t = SeoText.Squash(text);
        var start = 0;
        var end = t.Length;
        while (start < end && IsEdgePunctuation(t[start]))
        {
            start++;
        }

        while (end > start && IsEdgePunctuation(t[end - 1]))
        {
            end--;
        }

        return SeoText.Squash(t[start..end]);
    }

    private static bool IsEdgePunctuation(char c) => c is '.' or '。' or '!' or '！' or '?' or '？' or ';' or '；' or ',' or '，' or '、' or ':' or '：' or '-' or '–' or '—' or '|' or '/' or ' ';

    private static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = c is '。' or '！' or '？' || (c is '.' or '!' or '?' && (i + 1 == text.Length || text[i + 1] == ' '));
            if (end)
            {
                var sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0)
                {
                    yield return sentence;
                }

                start = i + 1;
            }
        }

        var rest = text[start..].Trim();
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    private void AppendSentence(StringBuilder builder, string sentence)
    {
        // Chinese sentences join without spaces, except between two Latin ends (an English fact in Chinese copy).
        if (builder.Length > 0 && sentence.Length > 0 && (_zh ? builder[^1] < 0x80 && sentence[0] < 0x80 : builder[^1] < 0x3000 || sentence[0] < 0x3000))
        {
            builder.Append(' ');
        }

        builder.Append(sentence);
    }

    /// <summary>A list item as a sentence: capitalised in English, no added full stop in either language (facts stay as written).</summary>
    private string Sentence(string fact) => _zh ? fact : Upper(fact);

    private static string Upper(string value) =>
        value.Length > 0 && char.IsLower(value[0]) ? char.ToUpperInvariant(value[0]) + value[1..] : value;

    /// <summary>Lower-cases the first letter only of an ordinary capitalised word ("Keeps" but not "AquaPeak", "USB" or "AP-500").</summary>
    private static string Lower(string value)
    {
        if (value.Length < 2 || !char.IsUpper(value[0]))
        {
            return value;
        }

        var i = 1;
        while (i < value.Length && char.IsLetter(value[i]))
        {
            if (!char.IsLower(value[i]))
            {
                return value;
            }

            i++;
        }

        return i < value.Length && !char.IsWhiteSpace(value[i]) ? value : char.ToLowerInvariant(value[0]) + value[1..];
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Prefix(string text) => text.Length > 24 ? text[..24] : text;

    private static bool HasDigit(string text) => text.Any(char.IsAsciiDigit);

    private static bool? IsYesNo(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "是" or "有" => true,
        "false" or "no" or "n" or "否" or "无" => false,
        _ => null,
    };

    /// <summary>Letters and digits only, each Latin word capitalised ("water bottle" becomes WaterBottle).</summary>
    private static string Hashtag(string text)
    {
        var builder = new StringBuilder(text.Length);
        var boundary = true;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                // "350 ml" becomes 350ml, not 350Ml: a unit after its number is one word.
                var afterDigit = builder.Length > 0 && char.IsDigit(builder[^1]);
                builder.Append(boundary && !afterDigit ? char.ToUpperInvariant(c) : c);
                boundary = false;
            }
            else
            {
                boundary = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>eBay refuses words in capitals (§8.2): "AQUAPEAK" becomes "Aquapeak"; acronyms of three letters and codes with digits stay.</summary>
    private static string NoShouting(string text)
    {
        var chars = text.ToCharArray();
        var i = 0;
        while (i < chars.Length)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < chars.Length && char.IsAsciiLetterOrDigit(chars[i]))
            {
                i++;
            }

            var length = i - start;
            var upper = true;
            for (var j = start; j < i; j++)
            {
                upper &= char.IsAsciiLetterUpper(chars[j]);
            }

            if (upper && length > 3)
            {
                for (var j = start + 1; j < i; j++)
                {
                    chars[j] = char.ToLowerInvariant(chars[j]);
                }
            }
        }

        return new string(chars);
    }

    /// <summary>Whether every Latin word of <paramref name="piece"/> is already in <paramref name="title"/> (plural-insensitive):
    /// "Mugs" adds nothing to "Ceramic Mug".</summary>
    private static bool WordsIn(string title, string piece)
    {
        var words = LatinWords(piece);
        if (words.Count == 0 || piece.Any(c => char.IsDigit(c) || SeoText.IsHan(c)))
        {
            return false;
        }

        var have = LatinWords(title);
        return words.TrueForAll(have.Contains);
    }

    private static List<string> LatinWords(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiLetter(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            words.Add(SeoText.WordKey(text[start..i]));
        }

        return words;
    }

    /// <summary>Units that keep their case after a number; any other word after a number is an ordinary word ("304 Stainless").</summary>
    private static readonly HashSet<string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        "x", "ml", "cl", "dl", "l", "g", "kg", "mg", "oz", "fl", "lb", "lbs", "mm", "cm", "m", "km", "in", "inch", "inches", "ft",
        "yd", "mah", "wh", "kwh", "ah", "w", "kw", "mw", "v", "kv", "mv", "ma", "hz", "khz", "mhz", "ghz", "kb", "mb", "gb", "tb",
        "pcs", "pc", "pack", "count", "ct",
    };

    /// <summary>Marketplace title style: each ordinary word capitalised ("18/8 stainless steel" reads "18/8 Stainless Steel"),
    /// small words after the first lower case, codes and brands as written.</summary>
    private static string TitleCase(string text)
    {
        var chars = text.ToCharArray();
        var i = 0;
        var first = true;
        while (i < chars.Length)
        {
            if (!char.IsLetter(chars[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < chars.Length && (char.IsLetter(chars[i]) || chars[i] == '\''))
            {
                i++;
            }

            // A unit or the x of "40 x 30 cm" follows a number and keeps its case ("500 ml", not "500 Ml").
            var before = start - 1;
            while (before >= 0 && chars[before] == ' ')
            {
                before--;
            }

            var wordStart = start == 0 || !char.IsLetterOrDigit(chars[start - 1]);
            var afterNumber = before >= 0 && char.IsDigit(chars[before]) && Units.Contains(new string(chars, start, i - start));
            if (wordStart && !afterNumber && char.IsAsciiLetterLower(chars[start]) && (first || !SmallWords.Contains(new string(chars, start, i - start))))
            {
                chars[start] = char.ToUpperInvariant(chars[start]);
            }

            first = false;
        }

        return new string(chars);
    }

    /// <summary>Lower case without spaces or separators, so "500 ml" and "500ml" are one piece.</summary>
    private static string Folded(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>How often the most repeated content word occurs, counted as Amazon counts (case and plural -s ignored, small words excluded, §1.1).</summary>
    private static int MaxWordCount(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var max = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
            {
                i++;
            }

            // The validator's words take an apostrophe suffix ("it's"); a suffix never makes a word a repeat, so it is skipped.
            var word = text[start..i].ToLowerInvariant();
            if (SmallWords.Contains(word))
            {
                continue;
            }

            if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
            {
                word = word[..^1];
            }

            var n = counts[word] = counts.GetValueOrDefault(word) + 1;
            max = Math.Max(max, n);
        }

        return max;
    }

    private static readonly HashSet<string> SmallWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "the", "for", "with", "of", "in", "on", "to", "or", "by", "at", "from",
    };
}
