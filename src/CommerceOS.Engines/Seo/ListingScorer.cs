using System.Globalization;
using System.Text;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>
/// The listing quality score: each of the marketplace's weighted rules (<see cref="SeoMarketplaceProfile.Weights"/>,
/// 100 points in all) is checked and earns all, part or none of its points. Integer arithmetic only, so the same
/// listing always scores the same.
/// </summary>
public static class ListingScorer
{
    /// <summary>How many of the product's top keywords the title should carry (ours: the three best).</summary>
    public const int TitleKeywordTarget = 3;

    /// <summary>How many of the product's top keywords the description should carry (ours: the five best).</summary>
    public const int DescriptionKeywordTarget = 5;

    /// <summary>Amazon's prototype score asks for at least 5 search terms and 2 lifestyle images (marketplace-rules.md §1.2).</summary>
    public const int AmazonMinSearchTerms = 5;

    public const int AmazonMinLifestyleImages = 2;

    private const string S1p = "marketplace-rules.md §1.2";
    private const string S2 = "marketplace-rules.md §2";

    private sealed record Outcome(int Numerator, int Denominator, string MessageKey, IReadOnlyList<string> Args, string? FixId, string? Source = null)
    {
        public static Outcome Pass(string key, params string[] args) => new(1, 1, key, args, null);

        public static Outcome Fail(string key, string? fix, params string[] args) => new(0, 1, key, args, fix);
    }

    public static ListingScore Score(ListingDraft listing, SeoSubject subject, SeoMarketplaceProfile profile, IReadOnlyList<SeoKeyword> keywords)
    {
        var results = new List<ListingRuleResult>(profile.Weights.Count);
        foreach (var weight in profile.Weights)
        {
            var outcome = Evaluate(weight.RuleId, listing, subject, profile, keywords);
            var earned = outcome.Denominator == 0 ? 0 : weight.Points * Math.Clamp(outcome.Numerator, 0, outcome.Denominator) / outcome.Denominator;
            results.Add(new ListingRuleResult(
                weight.RuleId, weight.Group, earned, weight.Points, outcome.Source ?? SourceOf(weight.RuleId, profile), outcome.MessageKey, outcome.Args,
                earned < weight.Points ? outcome.FixId : null));
        }

        return new ListingScore(profile.Id, results.Sum(r => r.Earned), results);
    }

    private static Outcome Evaluate(string rule, ListingDraft listing, SeoSubject subject, SeoMarketplaceProfile profile, IReadOnlyList<SeoKeyword> keywords) => rule switch
    {
        ListingRules.TitleLength => TitleLength(listing.Title, profile.Title),
        ListingRules.TitleCharacters => TitleCharacters(listing.Title, profile.Title, subject.Brand),
        ListingRules.TitleWordRepetition => TitleWordRepetition(listing.Title, profile.Title.MaxWordRepeat),
        ListingRules.TitleKeywords => Coverage(listing.Title, TopKeywords(keywords, subject, TitleKeywordTarget), "seo.msg.title_keywords"),
        ListingRules.DescriptionKeywords => Coverage(listing.Description, TopKeywords(keywords, subject, DescriptionKeywordTarget), "seo.msg.description_keywords"),
        ListingRules.NoCompetitorBrands => NoCompetitors(listing, subject.Competitors),
        ListingRules.BulletsCount => BulletsCount(listing.Bullets, profile.Bullets),
        ListingRules.BulletsLength => BulletsLength(listing.Bullets, profile.Bullets),
        ListingRules.DescriptionLength => DescriptionLength(listing.Description, profile.Description, profile.Id == "amazon"),
        ListingRules.SearchTermsCount => SearchTermsCount(listing.SearchTerms),
        ListingRules.SearchTermsFormat => SearchTermsFormat(listing.SearchTerms, profile.Keywords),
        ListingRules.SearchTermsNoBrands => SearchTermsNoBrands(listing.SearchTerms, subject),
        ListingRules.Tags => Tags(listing.SearchTerms, profile.Keywords),
        ListingRules.MainImage => listing.Images.Any(i => i.Role == ImageRole.Main)
            ? Outcome.Pass("seo.msg.main_image_ok")
            : Outcome.Fail("seo.msg.main_image_missing", "generate-main-image"),
        ListingRules.LifestyleImages => Lifestyle(listing.Images, profile.Id == "amazon" ? AmazonMinLifestyleImages : 1, profile.Id == "amazon"),
        ListingRules.Infographic => listing.Images.Any(i => i.Role == ImageRole.Infographic)
            ? Outcome.Pass("seo.msg.infographic_ok")
            : Outcome.Fail("seo.msg.infographic_missing", "generate-infographic"),
        ListingRules.ImageCount => ImageCount(listing.Images.Count, profile.Images),
        ListingRules.AltTexts => AltTexts(listing.Images),
        ListingRules.MetaTitle => MetaTitle(listing.MetaTitle),
        ListingRules.MetaDescription => MetaDescription(listing.MetaDescription),
        _ => throw new InvalidOperationException($"No check for listing rule '{rule}'."),
    };

    private static string SourceOf(string rule, SeoMarketplaceProfile profile) => rule switch
    {
        ListingRules.TitleLength or ListingRules.TitleCharacters or ListingRules.TitleWordRepetition => profile.Id == "amazon" && rule == ListingRules.TitleLength ? S1p : profile.Title.Source,
        ListingRules.BulletsCount or ListingRules.BulletsLength => profile.Bullets.Source,
        ListingRules.DescriptionLength => profile.Description.Source,
        ListingRules.SearchTermsCount or ListingRules.SearchTermsFormat or ListingRules.SearchTermsNoBrands or ListingRules.Tags => profile.Keywords.Source,
        ListingRules.ImageCount => profile.Images.Source,
        ListingRules.MainImage or ListingRules.LifestyleImages or ListingRules.Infographic => profile.Id == "amazon" ? S1p : SeoMarketplaceRules.Ours,
        ListingRules.AltTexts or ListingRules.MetaTitle or ListingRules.MetaDescription => S2,
        _ => SeoMarketplaceRules.Ours,
    };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string UnitSuffix(LengthUnit unit) => unit == LengthUnit.DoubleByte ? "bytes" : "chars";

    private static Outcome TitleLength(string title, TitleRule rule)
    {
        var text = SeoText.Squash(title);
        if (text.Length == 0)
        {
            return Outcome.Fail("seo.msg.title_missing", null);
        }

        var length = TextMeasure.Measure(text, rule.Unit);
        var suffix = UnitSuffix(rule.Unit);
        if (length > rule.Max)
        {
            return Outcome.Fail($"seo.msg.title_too_long_{suffix}", "shorten-title", N(length), N(rule.Max));
        }

        if (length < rule.Min)
        {
            return Outcome.Fail($"seo.msg.title_too_short_{suffix}", "add-keyword", N(length), N(rule.Min));
        }

        return Outcome.Pass($"seo.msg.title_length_ok_{suffix}", N(length), N(rule.Min), N(rule.Max));
    }

    private static Outcome TitleCharacters(string title, TitleRule rule, string? brand)
    {
        var forbidden = title.Where(c => rule.ForbiddenCharacters.Contains(c, StringComparison.Ordinal)).Distinct().Select(c => c.ToString()).ToList();
        if (forbidden.Count > 0)
        {
            return Outcome.Fail("seo.msg.title_forbidden_characters", "remove-forbidden-characters", string.Join(" ", forbidden));
        }

        if (rule.ForbidEmoji && title.EnumerateRunes().Any(IsEmoji))
        {
            return Outcome.Fail("seo.msg.title_emoji", "remove-forbidden-characters");
        }

        if (rule.NoAllCaps)
        {
            // Words of four or more capital letters shout; acronyms (LED, USB), model numbers and the brand are exempt.
            var shouting = SeoText.Tokenize(title)
                .Where(t => t.Kind == TokenKind.Word && t.Text.Count(char.IsLetter) >= 4 && t.Text.Where(char.IsLetter).All(char.IsUpper))
                .Where(t => string.IsNullOrWhiteSpace(brand) || !SeoText.Mentions(t.Text, brand))
                .Select(t => t.Text).Distinct(StringComparer.Ordinal).ToList();
            if (shouting.Count > 0)
            {
                return Outcome.Fail("seo.msg.title_all_caps", "fix-title-case", string.Join(", ", shouting));
            }
        }

        return Outcome.Pass("seo.msg.title_characters_ok");
    }

    private static bool IsEmoji(Rune rune) =>
        rune.Value is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0xFE0F;

    private static Outcome TitleWordRepetition(string title, int max)
    {
        if (max <= 0)
        {
            return Outcome.Pass("seo.msg.title_repetition_ok", N(max));
        }

        // Articles, prepositions and conjunctions are exempt (§1.1); case- and plural-insensitive.
        var repeated = SeoText.Tokenize(title)
            .Where(t => t.Kind is TokenKind.Word or TokenKind.Cjk or TokenKind.Model && !SeoText.EnglishStopWords.Contains(t.Key))
            .GroupBy(t => t.Key, StringComparer.Ordinal)
            .Where(g => g.Count() > max)
            .Select(g => g.First().Text.ToLowerInvariant())
            .ToList();
        return repeated.Count > 0
            ? Outcome.Fail("seo.msg.title_repetition", "dedupe-title-words", string.Join(", ", repeated), N(max))
            : Outcome.Pass("seo.msg.title_repetition_ok", N(max));
    }

    /// <summary>The product's best keywords that the seller may use here (no competitor brands).</summary>
    private static List<SeoKeyword> TopKeywords(IReadOnlyList<SeoKeyword> keywords, SeoSubject subject, int count)
    {
        var chosen = new List<SeoKeyword>();
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in keywords)
        {
            if (subject.Competitors.Any(c => SeoText.Mentions(keyword.Text, c)))
            {
                continue;
            }

            // "water bottle" and "bottle" are one intent; count distinct words so the target means three ideas.
            var keys = keyword.Key.Split(' ');
            if (keys.All(words.Contains))
            {
                continue;
            }

            chosen.Add(keyword);
            words.UnionWith(keys);
            if (chosen.Count == count)
            {
                break;
            }
        }

        return chosen;
    }

    private static Outcome Coverage(string text, List<SeoKeyword> wanted, string key)
    {
        if (wanted.Count == 0)
        {
            return Outcome.Pass(key + "_ok", "0", "0");
        }

        var found = wanted.Where(k => Contains(text, k)).ToList();
        var missing = wanted.Except(found).Select(k => k.Text).ToList();
        return new Outcome(
            found.Count, wanted.Count, missing.Count == 0 ? key + "_ok" : key,
            [N(found.Count), N(wanted.Count), string.Join(", ", missing)],
            missing.Count == 0 ? null : "add-keyword");
    }

    /// <summary>Whether <paramref name="text"/> holds the keyword: by word keys for Latin text (plural-insensitive), by substring for Chinese.</summary>
    public static bool Contains(string text, SeoKeyword keyword)
    {
        if (keyword.Language == SeoLanguage.Chinese)
        {
            return SeoText.Squash(text).Replace(" ", string.Empty, StringComparison.Ordinal)
                .Contains(keyword.Text.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }

        var keys = " " + string.Join(' ', SeoText.Tokenize(text).Where(t => t.IsContent).Select(t => t.Key)) + " ";
        return keys.Contains(" " + keyword.Key + " ", StringComparison.Ordinal);
    }

    private static Outcome NoCompetitors(ListingDraft listing, IReadOnlyList<string> competitors)
    {
        var texts = new[] { listing.Title, listing.Description, listing.SearchTerms, listing.MetaTitle ?? string.Empty, listing.MetaDescription ?? string.Empty }
            .Concat(listing.Bullets).ToList();
        var found = competitors.Where(c => texts.Any(t => SeoText.Mentions(t, c))).Select(SeoText.Squash).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return found.Count > 0
            ? Outcome.Fail("seo.msg.competitor_brands", "remove-competitor-brand", string.Join(", ", found))
            : Outcome.Pass("seo.msg.competitor_brands_ok");
    }

    private static Outcome BulletsCount(IReadOnlyList<string> bullets, BulletRule rule)
    {
        var count = bullets.Count(b => !string.IsNullOrWhiteSpace(b));
        return count == rule.Count
            ? Outcome.Pass("seo.msg.bullets_count_ok", N(count))
            : Outcome.Fail("seo.msg.bullets_count", null, N(count), N(rule.Count));
    }

    private static Outcome BulletsLength(IReadOnlyList<string> bullets, BulletRule rule)
    {
        var over = bullets.Select((b, i) => (Length: TextMeasure.Characters(SeoText.Squash(b)), Number: i + 1))
            .Where(b => b.Length > rule.MaxCharacters).Select(b => N(b.Number)).ToList();
        return over.Count > 0
            ? Outcome.Fail("seo.msg.bullets_too_long", "shorten-bullets", string.Join(", ", over), N(rule.MaxCharacters))
            : Outcome.Pass("seo.msg.bullets_length_ok", N(rule.MaxCharacters));
    }

    private static Outcome DescriptionLength(string description, DescriptionRule rule, bool amazon)
    {
        var text = SeoText.Squash(description);
        if (text.Length == 0)
        {
            return Outcome.Fail("seo.msg.description_missing", null);
        }

        var length = TextMeasure.Characters(text);
        if (length > rule.MaxCharacters)
        {
            return Outcome.Fail("seo.msg.description_too_long", "shorten-description", N(length), N(rule.MaxCharacters));
        }

        if (length < rule.MinCharacters)
        {
            return new Outcome(0, 1, "seo.msg.description_too_short", [N(length), N(rule.MinCharacters)], null, amazon ? S1p : null);
        }

        if (rule.MinWords > 0)
        {
            var words = SeoText.Tokenize(text).Count(t => t.IsContent);
            if (words < rule.MinWords)
            {
                return Outcome.Fail("seo.msg.description_too_few_words", null, N(words), N(rule.MinWords));
            }
        }

        return Outcome.Pass("seo.msg.description_length_ok", N(length));
    }

    private static List<string> SearchTerms(string searchTerms) =>
        searchTerms.Split([' ', '\t', '\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries).ToList();

    private static Outcome SearchTermsCount(string searchTerms)
    {
        var count = SearchTerms(searchTerms).Select(SeoText.WordKey).Distinct(StringComparer.Ordinal).Count();
        return count >= AmazonMinSearchTerms
            ? Outcome.Pass("seo.msg.search_terms_count_ok", N(count))
            : Outcome.Fail("seo.msg.search_terms_count", "rebuild-search-terms", N(count), N(AmazonMinSearchTerms));
    }

    private static Outcome SearchTermsFormat(string searchTerms, KeywordFieldRule rule)
    {
        var bytes = TextMeasure.Measure(searchTerms.Trim(), rule.Unit);
        if (bytes > rule.Limit)
        {
            return Outcome.Fail("seo.msg.search_terms_too_long", "rebuild-search-terms", N(bytes), N(rule.Limit));
        }

        if (searchTerms.Any(c => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c)))
        {
            return Outcome.Fail("seo.msg.search_terms_punctuation", "rebuild-search-terms");
        }

        var repeated = SearchTerms(searchTerms).GroupBy(SeoText.WordKey, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return repeated.Count > 0
            ? Outcome.Fail("seo.msg.search_terms_repeated", "rebuild-search-terms", string.Join(", ", repeated))
            : Outcome.Pass("seo.msg.search_terms_format_ok", N(bytes), N(rule.Limit));
    }

    private static Outcome SearchTermsNoBrands(string searchTerms, SeoSubject subject)
    {
        var brands = subject.Competitors.Append(subject.Brand ?? string.Empty).Where(b => !string.IsNullOrWhiteSpace(b) && SeoText.Mentions(searchTerms, b))
            .Select(SeoText.Squash).ToList();
        if (brands.Count > 0)
        {
            return Outcome.Fail("seo.msg.search_terms_brands", "rebuild-search-terms", string.Join(", ", brands));
        }

        return KeywordSetBuilder.Asin().IsMatch(searchTerms)
            ? Outcome.Fail("seo.msg.search_terms_asin", "rebuild-search-terms")
            : Outcome.Pass("seo.msg.search_terms_brands_ok");
    }

    private static Outcome Tags(string tags, KeywordFieldRule rule)
    {
        var count = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        if (count > rule.Limit)
        {
            return Outcome.Fail("seo.msg.tags_too_many", "rebuild-tags", N(count), N(rule.Limit));
        }

        return new Outcome(count, rule.Limit, count == rule.Limit ? "seo.msg.tags_ok" : "seo.msg.tags_too_few", [N(count), N(rule.Limit)], "rebuild-tags");
    }

    private static Outcome Lifestyle(IReadOnlyList<ListingImage> images, int minimum, bool amazon)
    {
        var count = images.Count(i => i.Role == ImageRole.Scene);
        return count >= minimum
            ? Outcome.Pass("seo.msg.lifestyle_ok", N(count))
            : new Outcome(0, 1, "seo.msg.lifestyle_too_few", [N(count), N(minimum)], "generate-scene-images", amazon ? S1p : null);
    }

    private static Outcome ImageCount(int count, ImageCountRule rule)
    {
        if (count < rule.Min)
        {
            return Outcome.Fail("seo.msg.images_too_few", "generate-scene-images", N(count), N(rule.Min));
        }

        return count > rule.Max
            ? Outcome.Fail("seo.msg.images_too_many", null, N(count), N(rule.Max))
            : Outcome.Pass("seo.msg.images_count_ok", N(count));
    }

    private static Outcome AltTexts(IReadOnlyList<ListingImage> images)
    {
        if (images.Count == 0)
        {
            return Outcome.Fail("seo.msg.alt_no_images", "generate-main-image");
        }

        var missing = images.Count(i => string.IsNullOrWhiteSpace(i.AltText));
        if (missing > 0)
        {
            return new Outcome(images.Count - missing, images.Count, "seo.msg.alt_missing", [N(missing), N(images.Count)], "add-alt-text");
        }

        var tooLong = images.Count(i => TextMeasure.Characters(i.AltText!) > SeoMarketplaceRules.AltTextMax);
        return tooLong > 0
            ? new Outcome(images.Count - tooLong, images.Count, "seo.msg.alt_too_long", [N(tooLong), N(SeoMarketplaceRules.AltTextMax)], "add-alt-text")
            : Outcome.Pass("seo.msg.alt_ok", N(images.Count));
    }

    private static Outcome MetaTitle(string? metaTitle)
    {
        var text = SeoText.Squash(metaTitle);
        if (text.Length == 0)
        {
            return Outcome.Fail("seo.msg.meta_title_missing", "generate-meta-title");
        }

        var length = TextMeasure.Characters(text);
        return length > SeoMarketplaceRules.MetaTitleMax
            ? Outcome.Fail("seo.msg.meta_title_too_long", "generate-meta-title", N(length), N(SeoMarketplaceRules.MetaTitleMax))
            : Outcome.Pass("seo.msg.meta_title_ok", N(length), N(SeoMarketplaceRules.MetaTitleMax));
    }

    private static Outcome MetaDescription(string? metaDescription)
    {
        var text = SeoText.Squash(metaDescription);
        if (text.Length == 0)
        {
            return Outcome.Fail("seo.msg.meta_description_missing", "generate-meta-description");
        }

        var length = TextMeasure.Characters(text);
        if (length > SeoMarketplaceRules.MetaDescriptionMax)
        {
            return Outcome.Fail("seo.msg.meta_description_too_long", "generate-meta-description", N(length), N(SeoMarketplaceRules.MetaDescriptionMax));
        }

        // Within the field but past Shopify's advice: half the points, since search results cut it.
        return length > SeoMarketplaceRules.MetaDescriptionAdvised
            ? new Outcome(1, 2, "seo.msg.meta_description_long", [N(length), N(SeoMarketplaceRules.MetaDescriptionAdvised)], "generate-meta-description")
            : Outcome.Pass("seo.msg.meta_description_ok", N(length), N(SeoMarketplaceRules.MetaDescriptionAdvised));
    }
}
