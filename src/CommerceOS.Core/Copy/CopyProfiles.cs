using CommerceOS.Core.Seo;

namespace CommerceOS.Core.Copy;

public enum DescriptionFormat
{
    /// <summary>Plain text; paragraphs separated by blank lines.</summary>
    PlainText = 0,

    /// <summary>The HTML subset in <see cref="CopyProfile.AllowedTags"/>.</summary>
    Html = 1,
}

/// <summary>
/// The text fields one marketplace takes and their rules. Lengths, counts and character rules come from
/// <see cref="SeoMarketplaceRules"/> (one transcription of marketplace-rules.md); this adds what only copy needs.
/// </summary>
/// <param name="SourceLanguage">The language the marketplace's listings are written in when the seller asks for none.</param>
/// <param name="HardMinimums">The platform refuses text under the minimums (TikTok Shop's API, Shopee); elsewhere the
/// minimums are score bands (Amazon's 60-character title, 500-character description, §1.2) and only warn.</param>
/// <param name="CaptionMax">Caption with its hashtags, in characters (0 = no caption field).</param>
/// <param name="HashtagCount">Most hashtags under a caption.</param>
/// <param name="TitleLatinOnly">TikTok Shop's API refuses Chinese characters in titles (§3).</param>
/// <param name="BulletForbiddenCharacters">Amazon's bullet rules since 2024 (§1.1).</param>
/// <param name="NoGuaranteeClaims">No guarantee or refund phrases, "N/A" or "TBD" (Amazon bullets, §1.1).</param>
public sealed record CopyProfile(
    string Marketplace,
    string SourceLanguage,
    SeoMarketplaceProfile Seo,
    bool HardMinimums,
    DescriptionFormat Format,
    IReadOnlyList<string> AllowedTags,
    int CaptionMax,
    int HashtagCount,
    bool LiveScript,
    bool TitleLatinOnly,
    string BulletForbiddenCharacters,
    bool NoGuaranteeClaims,
    string Source)
{
    public TitleRule Title => Seo.Title;

    public BulletRule Bullets => Seo.Bullets;

    public DescriptionRule Description => Seo.Description;

    /// <summary>Amazon's search terms or Etsy's tags; null where the title carries the keywords.</summary>
    public KeywordFieldRule? SearchTerms => Seo.Keywords.Field is "search-terms" or "tags" ? Seo.Keywords : null;

    /// <summary>Shopify's SEO title and meta description (§2).</summary>
    public bool Meta => Seo.Weights.Any(w => w.RuleId == ListingRules.MetaTitle);

    /// <summary>The fields this marketplace's listing has, in display order.</summary>
    public IReadOnlyList<string> Fields
    {
        get
        {
            var fields = new List<string> { CopyFields.Title };
            if (Bullets.Count > 0)
            {
                fields.Add(CopyFields.Bullets);
            }

            fields.Add(CopyFields.Description);
            if (SearchTerms is not null)
            {
                fields.Add(CopyFields.SearchTerms);
            }

            if (Meta)
            {
                fields.Add(CopyFields.MetaTitle);
                fields.Add(CopyFields.MetaDescription);
            }

            if (CaptionMax > 0)
            {
                fields.Add(CopyFields.Caption);
                fields.Add(CopyFields.Hashtags);
            }

            if (LiveScript)
            {
                fields.Add(CopyFields.LiveScript);
            }

            return fields;
        }
    }
}

/// <summary>The copy profiles of the marketplaces (the 12 of issue 4 plus Douyin, whose captions and live scripts it names).</summary>
public static class CopyProfiles
{
    /// <summary>Caption ≤ 150 characters (TikTok Shop §3 skills, Douyin §8.9; prototype values).</summary>
    public const int CaptionMax = 150;

    /// <summary>Hashtags we put under a caption: enough to be found, few enough to leave the caption room.</summary>
    public const int HashtagCount = 5;

    /// <summary>Amazon bullets: no emojis or special characters (§1.1, since 15 Aug 2024).</summary>
    public const string AmazonBulletForbidden = "™®€…†‡¢£¥©±~";

    private static readonly string[] SafeHtml = ["p", "br", "ul", "ol", "li", "strong", "b", "em", "i"];

    private static readonly Dictionary<string, CopyProfile> ById = Build().ToDictionary(p => p.Marketplace, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Ids { get; } = [.. SeoMarketplaceRules.Ids];

    public static IReadOnlyList<CopyProfile> All => Ids.Select(id => ById[id]).ToList();

    public static CopyProfile? Find(string? id) => string.IsNullOrWhiteSpace(id) ? null : ById.GetValueOrDefault(id.Trim());

    public static CopyProfile Get(string id) =>
        Find(id) ?? throw new ArgumentException($"Unknown marketplace '{id}' (known: {string.Join(", ", Ids)}).", nameof(id));

    private static IEnumerable<CopyProfile> Build()
    {
        CopyProfile P(string id, string language, DescriptionFormat format, string[]? tags = null, string source = SeoMarketplaceRules.Ours) =>
            new(id, language, SeoMarketplaceRules.Get(id), false, format, tags ?? [], 0, 0, false, false, "", false, source);

        // Amazon: no HTML in descriptions except line breaks (the sourced rule wins over the prototype's b/i, §10).
        yield return P("amazon", "en", DescriptionFormat.PlainText, source: "marketplace-rules.md §1.1") with
        {
            BulletForbiddenCharacters = AmazonBulletForbidden,
            NoGuaranteeClaims = true,
        };
        yield return P("shopify", "en", DescriptionFormat.Html, SafeHtml, "marketplace-rules.md §2");

        // TikTok Shop: description HTML with p img ul ol li br strong b i em u, no Chinese in titles, 25-character
        // title and 30-word description minimums (§3 API contract); caption ≤ 150 (§3 skills).
        yield return P("tiktok-shop", "en", DescriptionFormat.Html, ["p", "ul", "ol", "li", "br", "strong", "b", "i", "em", "u"], "marketplace-rules.md §3") with
        {
            HardMinimums = true,
            TitleLatinOnly = true,
            CaptionMax = CaptionMax,
            HashtagCount = HashtagCount,
        };
        yield return P("taobao", "zh-CN", DescriptionFormat.PlainText, source: "marketplace-rules.md §4") with { LiveScript = true };
        yield return P("douyin", "zh-CN", DescriptionFormat.PlainText, source: "marketplace-rules.md §8.9") with
        {
            CaptionMax = CaptionMax,
            HashtagCount = HashtagCount,
            LiveScript = true,
        };
        yield return P("jd", "zh-CN", DescriptionFormat.PlainText, source: "marketplace-rules.md §8.7");

        // Shopee: name 20-120 and description 100-3,000 are enforced by the platform (§5).
        yield return P("shopee", "en", DescriptionFormat.PlainText, source: "marketplace-rules.md §5") with { HardMinimums = true };
        yield return P("lazada", "en", DescriptionFormat.Html, SafeHtml, "marketplace-rules.md §6");
        yield return P("temu", "en", DescriptionFormat.PlainText, source: "marketplace-rules.md §8.1");
        yield return P("aliexpress", "en", DescriptionFormat.Html, SafeHtml, "marketplace-rules.md §8.6");
        yield return P("etsy", "en", DescriptionFormat.PlainText, source: "marketplace-rules.md §8.3");
        yield return P("ebay", "en", DescriptionFormat.Html, SafeHtml, "marketplace-rules.md §8.2");
        yield return P("walmart", "en", DescriptionFormat.PlainText, source: "marketplace-rules.md §8.5");
    }
}
