using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Translation;

namespace CommerceOS.Core.Copy;

/// <summary>One thing the seller told us about the product. <see cref="Id"/> is what traces point at.</summary>
/// <param name="Id"><c>title</c>, <c>category</c>, <c>audience</c>, <c>brand</c>, <c>description</c>, <c>sku</c>,
/// <c>attr:{i}</c>, <c>point:{i}</c> or <c>option:{name}</c>.</param>
/// <param name="Label">The attribute or option name, when the fact has one.</param>
/// <param name="Negated">A yes/no attribute the seller answered no ("Dishwasher safe: false"): it supports no claim.</param>
public sealed record ProductFact(string Id, string? Label, string Value, bool Negated = false)
{
    /// <summary>How the fact reads in a sentence: "Capacity: 500 ml".</summary>
    public string Text => Label is null ? Value : $"{Label}: {Value}";
}

/// <summary>
/// The product's facts and the checks that keep copy true to them (issue 4: "never states a fact that is not in the
/// product data", "every claim traced to a product fact"). Two checks no phrasing can dodge: every number, measure and
/// model number in a text must occur in the facts, and every claim from <see cref="ClaimTerms"/> (waterproof, BPA-free,
/// certified, 防水, 有机...) must be in the facts before the text may say it.
/// </summary>
public sealed partial class ProductFacts
{
    private readonly Dictionary<string, ProductFact> _byId;
    private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _folded;

    private ProductFacts(IReadOnlyList<ProductFact> facts)
    {
        All = facts;
        _byId = facts.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var text = string.Join("\n", facts.Select(f => f.Text));
        foreach (Match m in NumberPattern().Matches(text))
        {
            _numbers.Add(NormalizeNumber(m.Value));
        }

        foreach (var span in TermProtector.Protect(text).Spans.Where(s => s.Kind == ProtectedKind.ModelNumber))
        {
            _models.Add(span.Value);
        }

        // A "no" answer must not let the text claim the attribute: "Dishwasher safe: false" supports no "dishwasher safe".
        _folded = Fold(string.Join("\n", facts.Where(f => !f.Negated).Select(f => f.Text)));
    }

    public IReadOnlyList<ProductFact> All { get; }

    public static ProductFacts From(Product product, Brand? brand)
    {
        ArgumentNullException.ThrowIfNull(product);
        var facts = new List<ProductFact> { new("title", null, product.Title.Trim()) };
        void Add(string id, string? label, string? value, bool negated = false)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                facts.Add(new ProductFact(id, label, value.Trim(), negated));
            }
        }

        Add("brand", null, brand?.Name);
        Add("category", null, product.Category);
        Add("audience", null, product.TargetAudience);
        for (var i = 0; i < product.Attributes.Count; i++)
        {
            var a = product.Attributes[i];
            var value = a.Type == AttributeType.Boolean
                ? a.Value
                : string.IsNullOrWhiteSpace(a.Unit) ? a.Value : $"{a.Value} {a.Unit}";
            Add($"attr:{i.ToString(CultureInfo.InvariantCulture)}", a.Name.Trim(), value, a.Type == AttributeType.Boolean && IsNo(a.Value));
        }

        for (var i = 0; i < product.SellingPoints.Count; i++)
        {
            Add($"point:{i.ToString(CultureInfo.InvariantCulture)}", null, product.SellingPoints[i]);
        }

        foreach (var option in product.Variants.SelectMany(v => v.Options).GroupBy(o => o.Key.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            Add($"option:{option.Key}", option.Key, string.Join(", ", option.Select(o => o.Value.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)));
        }

        Add("description", null, product.Description);
        Add("sku", null, product.Sku);
        return new ProductFacts(facts);
    }

    public ProductFact? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The ways the product form and CSV import write "no" for a yes/no attribute.</summary>
    public static bool IsNo(string value) =>
        value.Trim().ToLowerInvariant() is "false" or "no" or "0" or "n" or "否" or "不是" or "无";

    /// <summary>Numbers, measures and model numbers in <paramref name="text"/> that no fact holds.</summary>
    public IReadOnlyList<string> UntracedFigures(string text)
    {
        var plain = PlainText(text);
        var found = new List<string>();

        // Numbers and model numbers both need a digit (\d is any Unicode digit); most copy items have none, and the
        // protector's passes are the validator's largest cost.
        if (!plain.Any(char.IsDigit))
        {
            return found;
        }

        foreach (var span in TermProtector.Protect(plain).Spans)
        {
            if (span.Kind == ProtectedKind.ModelNumber && !_models.Contains(span.Value)
                && NumberPattern().Matches(span.Value).Any(m => !_numbers.Contains(NormalizeNumber(m.Value))))
            {
                found.Add(span.Value);
            }
        }

        foreach (Match m in NumberPattern().Matches(plain))
        {
            if (!_numbers.Contains(NormalizeNumber(m.Value)) && !found.Any(f => f.Contains(m.Value, StringComparison.Ordinal)))
            {
                found.Add(m.Value);
            }
        }

        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Claims from <see cref="ClaimTerms"/> that <paramref name="text"/> makes and no fact supports.</summary>
    public IReadOnlyList<string> UnsupportedClaims(string text)
    {
        var folded = Fold(PlainText(text));
        var found = new List<string>();
        for (var i = 0; i < ClaimTerms.Count; i++)
        {
            if (ContainsTerm(folded, FoldedClaimTerms[i]) && !ContainsTerm(_folded, FoldedClaimTerms[i]))
            {
                found.Add(ClaimTerms[i]);
            }
        }

        return found;
    }

    /// <summary>Whether the facts mention <paramref name="term"/> (case, hyphen and space insensitive).</summary>
    public bool Mentions(string term) => ContainsTerm(_folded, Fold(term));

    /// <summary>
    /// Claims a listing may make only when the seller said so: certifications, safety, materials, guarantees, medical and
    /// ranking claims, in English and Chinese. Marketplaces act on exactly these (Amazon's prohibited claims, §1.1).
    /// </summary>
    public static readonly IReadOnlyList<string> ClaimTerms =
    [
        "waterproof", "water resistant", "water-resistant", "leakproof", "leak proof", "dishwasher safe", "microwave safe",
        "oven safe", "bpa free", "bpa-free", "organic", "eco friendly", "eco-friendly", "biodegradable", "compostable",
        "recyclable", "hypoallergenic", "non toxic", "non-toxic", "certified", "patented", "fda", "approved", "clinically",
        "proven", "guarantee", "guaranteed", "warranty", "lifetime", "best seller", "best-selling", "bestselling", "#1",
        "number one", "cure", "cures", "antibacterial", "anti-bacterial", "antimicrobial", "medical grade", "handmade",
        "hand made", "vegan", "gluten free", "gluten-free", "sugar free", "shatterproof", "unbreakable", "fireproof",
        "rustproof", "rust proof", "award winning", "award-winning", "100%", "free shipping", "refund", "money back",
        "防水", "防漏", "防摔", "有机", "环保", "可降解", "无毒", "无BPA", "认证", "专利", "保修", "质保", "终身", "第一",
        "销量冠军", "最好", "最佳", "顶级", "治疗", "治愈", "抗菌", "医用", "手工", "纯天然", "包邮", "退款", "正品保证",
    ];

    // Folded once: folding (NFKC and a pass over the term) every term on every call cost about 2 ms per listing.
    // Declared after ClaimTerms, which static initialisation needs first.
    private static readonly string[] FoldedClaimTerms = [.. ClaimTerms.Select(Fold)];

    /// <summary>Text without tags and entities, for checks on HTML descriptions.</summary>
    public static string PlainText(string text) => !text.Contains('<', StringComparison.Ordinal) && !text.Contains('&', StringComparison.Ordinal) ? text : TagPattern().Replace(text, " ").Replace("&nbsp;", " ", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private static bool ContainsTerm(string folded, string term)
    {
        var from = 0;
        while (from <= folded.Length - term.Length)
        {
            var at = folded.IndexOf(term, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            // Latin terms match whole words ("cure" not in "secure"); CJK has no spaces, so anywhere.
            var end = at + term.Length;
            var startOk = !IsLatinWord(term[0]) || at == 0 || !IsLatinWord(folded[at - 1]);
            var endOk = !IsLatinWord(term[^1]) || end == folded.Length || !IsLatinWord(folded[end]);
            if (startOk && endOk)
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    private static bool IsLatinWord(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>Lower case, hyphens and runs of spaces as one space, full-width forms folded.</summary>
    private static string Fold(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(normalized.Length);
        var space = false;
        foreach (var c in normalized)
        {
            if (c is '-' or '_' || char.IsWhiteSpace(c))
            {
                if (!space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                space = true;
                continue;
            }

            sb.Append(c);
            space = false;
        }

        return sb.ToString();
    }

    private static string NormalizeNumber(string value)
    {
        var v = value.Replace(',', '.');
        return decimal.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d.ToString("G29", CultureInfo.InvariantCulture)
            : v;
    }

    // A number is digits with at most one decimal part; thousands separators are not used in our own text.
    [GeneratedRegex(@"\d+(?:[.,]\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"<[^<>]{0,500}>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
