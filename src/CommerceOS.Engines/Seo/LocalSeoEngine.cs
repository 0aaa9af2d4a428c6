using System.Text;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Seo;

/// <summary>The offline SEO engine: pure functions over the product's facts, deterministic, no I/O after jieba's dictionary loads.</summary>
public sealed class LocalSeoEngine : ISeoEngine
{
    /// <summary>No source sets a slug length; 75 keeps URLs readable and well inside every platform's handle limit.</summary>
    public const int SlugMaxLength = 75;

    public IReadOnlyList<SeoKeyword> ExtractKeywords(SeoSubject subject) => KeywordExtractor.Extract(subject.Product);

    public SeoKeywordSet BuildKeywordSet(SeoSubject subject, string marketplace) =>
        KeywordSetBuilder.BuildForProduct(subject.Product, SeoMarketplaceRules.Get(marketplace), subject.Brand, subject.Competitors);

    public SeoMeta BuildMeta(SeoSubject subject)
    {
        var product = subject.Product;

        // Shopify advises an SEO title under 60 characters and allows 70 (marketplace-rules.md §2); themes append the
        // store name, so the brand is not added. A first word longer than the advice falls back to the hard limit.
        var title = TextFitter.Fit(product.Title, SeoMarketplaceRules.MetaTitleAdvised, LengthUnit.Characters);
        if (title.Text.Length == 0)
        {
            title = TextFitter.Fit(product.Title, SeoMarketplaceRules.MetaTitleMax, LengthUnit.Characters);
        }

        // Shopify recommends a meta description under 160 characters (§2); Google accepts 1-5,000 (§7).
        var description = TextFitter.Fit(DescriptionSource(product), SeoMarketplaceRules.MetaDescriptionAdvised, LengthUnit.Characters, ellipsis: true);
        return new SeoMeta(
            title.Text, SeoMarketplaceRules.MetaTitleMax, description.Text, SeoMarketplaceRules.MetaDescriptionAdvised, title.Truncated, description.Truncated);
    }

    public string BuildSlug(SeoSubject subject)
    {
        var product = subject.Product;
        var parts = AsciiWords(product.Title);
        if (SeoText.ContainsHan(product.Title))
        {
            // Chinese words have no ASCII form we can stand behind (no pinyin table ships with jieba, and a guessed
            // romanisation would be wrong for polyphonic characters), so a Chinese title keeps its ASCII facts (model
            // numbers, measures) and adds the SKU, which is stable and unique in the workspace.
            if (parts.Count == 0)
            {
                parts.AddRange(product.Attributes
                    .Where(a => a.Type is AttributeType.Text or AttributeType.Measurement && !SeoText.ContainsHan(a.Value))
                    .SelectMany(a => AsciiWords(KeywordExtractor.AttributeText(a)))
                    .Take(4));
            }

            var sku = AsciiWords(product.Sku);
            if (!string.Join('-', parts).Contains(string.Join('-', sku), StringComparison.Ordinal))
            {
                parts.AddRange(sku);
            }
        }

        var slug = new StringBuilder();
        foreach (var part in parts)
        {
            var extra = slug.Length == 0 ? part.Length : part.Length + 1;
            if (slug.Length + extra > SlugMaxLength)
            {
                break;
            }

            if (slug.Length > 0)
            {
                slug.Append('-');
            }

            slug.Append(part);
        }

        return slug.Length > 0 ? slug.ToString() : "product";
    }

    public IReadOnlyList<SeoAltText> BuildAltTexts(SeoSubject subject, IReadOnlyList<ImageRole> roles)
    {
        var product = subject.Product;
        var chinese = SeoText.ContainsHan(product.Title);
        var name = SeoText.Squash(product.Title);
        if (!string.IsNullOrWhiteSpace(subject.Brand) && !SeoText.Mentions(name, subject.Brand))
        {
            name = chinese ? SeoText.Squash(subject.Brand) + name : $"{SeoText.Squash(subject.Brand)} {name}";
        }

        var points = product.SellingPoints.Select(SeoText.Squash).Where(p => p.Length > 0).ToList();
        var result = new List<SeoAltText>(roles.Count);
        foreach (var role in roles)
        {
            // Describe what the image shows: the product (main), the product in a scene (scene), the product with its
            // selling-point callouts (infographic, which Image Studio draws from the same selling points).
            var text = role switch
            {
                ImageRole.Main => name,
                ImageRole.Scene => chinese ? $"{name}生活场景图" : $"Lifestyle photo of {name}",
                ImageRole.Infographic => Infographic(name, points, chinese),
                _ => name,
            };
            var fitted = TextFitter.Fit(text, SeoMarketplaceRules.AltTextAdvised, LengthUnit.Characters);
            result.Add(new SeoAltText(role, fitted.Text.Length > 0 ? fitted.Text : TextFitter.Fit(name, SeoMarketplaceRules.AltTextAdvised, LengthUnit.Characters).Text, SeoMarketplaceRules.AltTextAdvised));
        }

        return result;
    }

    /// <summary>The name with as many whole selling points as fit: a half callout would misquote the image.</summary>
    private static string Infographic(string name, List<string> points, bool chinese)
    {
        var text = chinese ? $"{name}信息图" : $"Infographic of {name}";
        for (var n = points.Count; n > 0; n--)
        {
            var candidate = chinese ? $"{name}：{string.Join("；", points.Take(n))}" : $"{name}: {string.Join("; ", points.Take(n))}";
            if (TextMeasure.Characters(candidate) <= SeoMarketplaceRules.AltTextAdvised)
            {
                return candidate;
            }
        }

        return text;
    }

    public string BuildProductJsonLd(SeoSubject subject, JsonLdOptions options) => ProductJsonLd.Build(subject, options);

    public JsonLdValidation ValidateProductJsonLd(string json) => ProductJsonLdValidator.Validate(json);

    public string FitText(string text, int limit, LengthUnit unit) => TextFitter.Fit(text, limit, unit).Text;

    public ListingScore ScoreListing(ListingDraft listing, SeoSubject subject, string marketplace) =>
        ListingScorer.Score(listing, subject, SeoMarketplaceRules.Get(marketplace), ExtractKeywords(subject));

    /// <summary>The description, topped up with selling points when it is short or missing (both are the seller's words).</summary>
    internal static string DescriptionSource(Product product)
    {
        var description = SeoText.Squash(product.Description);
        var chinese = SeoText.ContainsHan(product.Title);
        var points = product.SellingPoints.Select(SeoText.Squash).Where(p => p.Length > 0).ToList();
        if (description.Length >= SeoMarketplaceRules.MetaDescriptionAdvised || points.Count == 0)
        {
            return description.Length > 0 ? description : SeoText.Squash(product.Title);
        }

        var joined = chinese ? string.Join("；", points) : string.Join("; ", points);
        if (description.Length == 0)
        {
            return joined;
        }

        var end = description[^1];
        var separator = chinese ? (end is '。' or '！' or '？' ? string.Empty : "。") : (end is '.' or '!' or '?' ? " " : ". ");
        return description + separator + joined;
    }

    /// <summary>Lower-case ASCII words of <paramref name="text"/>; joined by hyphens a model number reads as written ("xyz-500").</summary>
    internal static List<string> AsciiWords(string text)
    {
        var folded = SeoText.FoldToAscii(text).ToLowerInvariant();
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in folded)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
