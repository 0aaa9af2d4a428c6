using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CommerceOS.Core.Publishing;

/// <summary>A platform category proposed for a product; the seller confirms it before publishing.</summary>
/// <param name="Id">The platform's own id: a Shopify taxonomy GID, an Amazon product type, a Taobao/TikTok/Shopee category id.</param>
/// <param name="Path">What to show: the taxonomy path (Shopify), our category name (Amazon), or the id itself when unknown.</param>
/// <param name="Score">1.0 for an explicit product attribute, below 1.0 for keyword matches (higher is better).</param>
/// <param name="MatchedKeyword">The keyword that matched, or the name of the explicit attribute.</param>
public sealed record CategorySuggestion(string Id, string Path, double Score, string MatchedKeyword);

/// <summary>One platform's category for a <see cref="CategoryMapping"/>.</summary>
public sealed record PlatformCategory(string Id, string Path);

/// <summary>One common product category of <c>Publishing/categories.json</c> and its category on each platform.</summary>
/// <param name="Key">Lower-case kebab-case id, unique.</param>
/// <param name="Keywords">English and Chinese keywords as written in the data (lower case).</param>
/// <param name="Platforms">By platform id (<see cref="Publishing.Platforms"/>); always has Shopify and Amazon.</param>
/// <param name="Verified">The platforms whose value was checked against public data; the others are informed guesses.</param>
public sealed record CategoryMapping(
    string Key,
    string Name,
    IReadOnlyList<string> Keywords,
    IReadOnlyDictionary<string, PlatformCategory> Platforms,
    IReadOnlyList<string> Verified);

/// <summary>
/// Suggests each platform's category for a product from its free-text category, title and attributes, using the
/// embedded <c>Publishing/categories.json</c> (parsed and validated once, on first use).
/// <para>
/// Explicit attributes win: "Amazon product type", "Shopify category", "Taobao category id", "TikTok category id",
/// "Shopee category id" (and Chinese names such as 亚马逊类目, 淘宝类目) give a score of 1.0. Otherwise keywords are
/// matched: in the category's most specific segment (after the last "&gt;") first, then its other segments, then
/// the title. Latin keywords match whole words, CJK keywords substrings; a longer keyword beats a shorter one that
/// it contains ("dress shirt" over "dress"). Results are deduplicated by platform id and ordered by score, then id.
/// </para>
/// </summary>
public static partial class CategorySuggestions
{
    public const string ResourceName = "CommerceOS.Core.Publishing.categories.json";

    /// <summary>At most this many suggestions are returned.</summary>
    public const int MaxSuggestions = 5;

    public const double ExplicitScore = 1.0;

    private const double LeafWeight = 0.9;
    private const double ParentWeight = 0.6;
    private const double TitleWeight = 0.5;
    private const double AgreementBonus = 0.03;
    private const double MaxKeywordScore = 0.99;
    private const string ShopifyGidPrefix = "gid://shopify/TaxonomyCategory/";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Top-level Shopify verticals: the first segment of a path must name its id's vertical.</summary>
    private static readonly Dictionary<string, string> ShopifyVerticals = new(StringComparer.Ordinal)
    {
        ["aa"] = "Apparel & Accessories",
        ["ae"] = "Arts & Entertainment",
        ["ap"] = "Animals & Pet Supplies",
        ["bi"] = "Business & Industrial",
        ["bt"] = "Baby & Toddler",
        ["el"] = "Electronics",
        ["fr"] = "Furniture",
        ["hb"] = "Health & Beauty",
        ["hg"] = "Home & Garden",
        ["lb"] = "Luggage & Bags",
        ["me"] = "Media",
        ["os"] = "Office Supplies",
        ["sg"] = "Sporting Goods",
    };

    /// <summary>Explicit attribute names (folded, without spaces, '_' or '-') to the platform they name.</summary>
    private static readonly Dictionary<string, string> ExplicitNames = BuildExplicitNames();

    private static readonly Lazy<CompiledData> Embedded = new(ReadEmbedded);

    /// <summary>The embedded categories.</summary>
    public static IReadOnlyList<CategoryMapping> Categories => Embedded.Value.Mappings;

    /// <summary>
    /// Up to <see cref="MaxSuggestions"/> categories of <paramref name="platform"/> (one of <see cref="Platforms.All"/>),
    /// best first. Taobao, TikTok Shop and Shopee ids come only from explicit attributes (the data has none of theirs).
    /// </summary>
    public static IReadOnlyList<CategorySuggestion> Suggest(
        string platform,
        string? category,
        string title,
        IReadOnlyList<(string Name, string Value)> attributes)
    {
        var id = Platforms.All.FirstOrDefault(p => string.Equals(p, platform?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown platform '{platform}' (known: {string.Join(", ", Platforms.All)}).", nameof(platform));
        var data = Embedded.Value;

        var results = new List<CategorySuggestion>();
        var chosen = Explicit(data, id, attributes ?? []);
        if (chosen is not null)
        {
            results.Add(chosen);
        }

        var byId = new Dictionary<string, (CategorySuggestion Suggestion, string Key)>(StringComparer.Ordinal);
        foreach (var match in Match(data, category, title))
        {
            if (!match.Mapping.Platforms.TryGetValue(id, out var target))
            {
                continue;
            }

            var suggestion = new CategorySuggestion(target.Id, target.Path, match.Score, match.Keyword);
            if (!byId.TryGetValue(target.Id, out var best)
                || suggestion.Score > best.Suggestion.Score
                || (suggestion.Score == best.Suggestion.Score && string.CompareOrdinal(match.Mapping.Key, best.Key) < 0))
            {
                byId[target.Id] = (suggestion, match.Mapping.Key);
            }
        }

        results.AddRange(byId.Values
            .Select(v => v.Suggestion)
            .Where(s => chosen is null || !string.Equals(s.Id, chosen.Id, StringComparison.Ordinal))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Id, StringComparer.Ordinal));
        return results.Take(MaxSuggestions).ToList();
    }

    /// <summary>Parses and validates category data; throws <see cref="InvalidDataException"/> listing every problem.</summary>
    public static IReadOnlyList<CategoryMapping> Parse(string json) => Compile(json).Mappings;

    private static CompiledData ReadEmbedded()
    {
        using var stream = typeof(CategorySuggestions).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from CommerceOS.Core.");
        using var reader = new StreamReader(stream);
        return Compile(reader.ReadToEnd());
    }

    private static IEnumerable<(CategoryMapping Mapping, double Score, string Keyword)> Match(CompiledData data, string? category, string? title)
    {
        var parts = KeywordText.Fold(category).Split(['>', '›', '»'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var segments = parts
            .Select((s, i) => (Text: new KeywordText.Prepared(s), Weight: i == parts.Length - 1 ? LeafWeight : ParentWeight))
            .ToList();
        var titleText = new KeywordText.Prepared(title);
        foreach (var entry in data.Entries)
        {
            var inCategory = segments.Select(s => Best(entry, s.Text, s.Weight)).DefaultIfEmpty().MaxBy(m => m.Score);
            var inTitle = Best(entry, titleText, TitleWeight);
            var best = inCategory.Score >= inTitle.Score ? inCategory : inTitle;
            if (best.Keyword is null)
            {
                continue;
            }

            // The category and the title agreeing on a category makes it a little more likely.
            var agreement = inCategory.Keyword is not null && inTitle.Keyword is not null ? AgreementBonus : 0;
            yield return (entry.Mapping, Math.Round(Math.Min(MaxKeywordScore, best.Score + agreement), 3), best.Keyword);
        }
    }

    private static (double Score, string? Keyword) Best(Entry entry, KeywordText.Prepared text, double weight)
    {
        (double Score, string? Keyword) best = (0, null);
        foreach (var keyword in entry.Keywords)
        {
            var score = weight + Specificity(keyword);
            if (score > best.Score && keyword.IndexIn(text) >= 0)
            {
                best = (score, keyword.Text);
            }
        }

        return best;
    }

    /// <summary>Up to +0.06 for longer keywords (three words, four CJK characters), so "phone case" beats "case".</summary>
    private static double Specificity(KeywordText.Keyword keyword) =>
        keyword.Cjk ? 0.02 * (Math.Min(keyword.Length, 4) - 1) : 0.03 * (Math.Min(keyword.Length, 3) - 1);

    private static CategorySuggestion? Explicit(CompiledData data, string platform, IReadOnlyList<(string Name, string Value)> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            if (!ExplicitNames.TryGetValue(ExplicitNameKey(name), out var named) || named != platform)
            {
                continue;
            }

            if (NormaliseExplicitId(platform, value) is not { } id)
            {
                continue;
            }

            var path = data.Mappings
                .Select(m => m.Platforms.GetValueOrDefault(platform))
                .FirstOrDefault(p => p is not null && string.Equals(p.Id, id, StringComparison.Ordinal))?.Path ?? id;
            return new CategorySuggestion(id, path, ExplicitScore, name.Trim());
        }

        return null;
    }

    /// <summary>The platform's id form of an explicit value, or null when it is not one (then it is ignored).</summary>
    private static string? NormaliseExplicitId(string platform, string? value)
    {
        var text = KeywordText.WellFormed(value ?? string.Empty).Normalize(System.Text.NormalizationForm.FormKC).Trim();
        switch (platform)
        {
            case Platforms.Shopify:
                if (ShopifyShortId().IsMatch(text))
                {
                    text = ShopifyGidPrefix + text;
                }

                return ShopifyGid().IsMatch(text) ? text : null;
            case Platforms.Amazon:
                text = string.Join('_', text.ToUpperInvariant().Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries));
                return AmazonProductType().IsMatch(text) ? text : null;
            default:
                return NumericId().IsMatch(text) ? text : null;
        }
    }

    private static string ExplicitNameKey(string? name) =>
        new(KeywordText.Fold(name).Where(c => !char.IsWhiteSpace(c) && c is not ('_' or '-' or ':' or '(' or ')')).ToArray());

    private static Dictionary<string, string> BuildExplicitNames()
    {
        var names = new (string Platform, string[] Names)[]
        {
            (Platforms.Amazon, ["Amazon product type", "Amazon category", "Amazon type", "亚马逊类目", "亚马逊分类", "亚马逊品类", "亚马逊产品类型"]),
            (Platforms.Shopify, ["Shopify category", "Shopify product category", "Shopify taxonomy category", "Shopify类目", "Shopify分类"]),
            (Platforms.Taobao, ["Taobao category id", "Taobao category", "Taobao cid", "淘宝类目", "淘宝类目id", "淘宝分类", "淘宝叶子类目"]),
            (Platforms.TikTokShop, ["TikTok category id", "TikTok category", "TikTok Shop category id", "TikTok Shop category", "TikTok类目"]),
            (Platforms.Shopee, ["Shopee category id", "Shopee category", "Shopee类目", "虾皮类目"]),
        };
        return names.SelectMany(n => n.Names.Select(name => (Key: ExplicitNameKey(name), n.Platform)))
            .ToDictionary(n => n.Key, n => n.Platform, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^gid://shopify/TaxonomyCategory/[a-z]{2}(-[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ShopifyGid();

    [GeneratedRegex(@"^[a-z]{2}(-[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ShopifyShortId();

    [GeneratedRegex(@"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex AmazonProductType();

    [GeneratedRegex(@"^[0-9]{1,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericId();

    private static CompiledData Compile(string json)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Category data is not valid JSON for the schema: {e.Message}", e);
        }

        if (document?.Categories is not { Count: > 0 } categories)
        {
            throw new InvalidDataException("Category data has no categories.");
        }

        var problems = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var keywordOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<Entry>();
        for (var i = 0; i < categories.Count; i++)
        {
            var item = categories[i];
            var label = string.IsNullOrWhiteSpace(item.Key) ? $"category #{i + 1}" : item.Key;
            if (item.Key is null || !IsKebab(item.Key))
            {
                problems.Add($"{label}: key must be lower-case kebab-case (a-z, 0-9, '-').");
            }
            else if (!keys.Add(item.Key))
            {
                problems.Add($"{label}: duplicate key.");
            }

            if (string.IsNullOrWhiteSpace(item.Name))
            {
                problems.Add($"{label}: name is missing.");
            }

            var keywords = new List<KeywordText.Keyword>();
            foreach (var text in item.Keywords ?? [])
            {
                var keyword = new KeywordText.Keyword(text ?? string.Empty);
                var key = KeywordText.Key(keyword.Text);
                if (keyword.IsEmpty)
                {
                    problems.Add($"{label}: keyword '{text}' has no letters to match.");
                }
                else if (!string.Equals(keyword.Folded, text, StringComparison.Ordinal))
                {
                    problems.Add($"{label}: keyword '{text}' must be trimmed lower case ('{keyword.Folded}').");
                }
                else if (keywordOwners.TryGetValue(key, out var owner))
                {
                    problems.Add(owner == label
                        ? $"{label}: keyword '{text}' is listed twice (as '{key}')."
                        : $"{label}: keyword '{text}' is also a keyword of {owner}: ranking between them would be arbitrary.");
                }
                else
                {
                    keywordOwners[key] = label;
                    keywords.Add(keyword);
                }
            }

            if (keywords.Count == 0)
            {
                problems.Add($"{label}: has no keywords.");
            }

            var platforms = new Dictionary<string, PlatformCategory>(StringComparer.Ordinal);
            CheckShopify(item.Shopify, label, problems, platforms);
            if (item.Amazon is null || !AmazonProductType().IsMatch(item.Amazon))
            {
                problems.Add($"{label}: amazon must be an upper-case product type such as SHIRT or DRINKING_CUP (got '{item.Amazon}').");
            }
            else
            {
                platforms[Platforms.Amazon] = new PlatformCategory(item.Amazon, item.Name ?? item.Amazon);
            }

            CheckNumeric(item.Taobao, Platforms.Taobao, label, problems, platforms);
            CheckNumeric(item.TiktokShop, Platforms.TikTokShop, label, problems, platforms);
            CheckNumeric(item.Shopee, Platforms.Shopee, label, problems, platforms);

            var verified = item.Verified ?? [];
            foreach (var platform in verified.Where(v => v is null || !platforms.ContainsKey(v)))
            {
                problems.Add($"{label}: verified names '{platform}', which is not one of its platforms ({string.Join(", ", platforms.Keys)}).");
            }

            if (verified.Distinct(StringComparer.Ordinal).Count() != verified.Count)
            {
                problems.Add($"{label}: verified lists a platform twice.");
            }

            var mapping = new CategoryMapping(item.Key ?? string.Empty, item.Name ?? string.Empty, [.. keywords.Select(k => k.Text)], platforms, [.. verified]);
            entries.Add(new Entry(mapping, [.. keywords]));
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException("Category data is invalid:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", problems));
        }

        return new CompiledData(entries);
    }

    private static void CheckShopify(PlatformEntry? shopify, string label, List<string> problems, Dictionary<string, PlatformCategory> platforms)
    {
        if (shopify?.Id is not { } id || !ShopifyGid().IsMatch(id))
        {
            problems.Add($"{label}: shopify id must look like {ShopifyGidPrefix}aa-1-13-8 (got '{shopify?.Id}').");
            return;
        }

        var parts = id[ShopifyGidPrefix.Length..].Split('-');
        var segments = (shopify.Path ?? string.Empty).Split(" > ");
        if (segments.Any(s => s.Length == 0 || s.Trim() != s))
        {
            problems.Add($"{label}: shopify path '{shopify.Path}' must be names joined by ' > '.");
        }
        else if (segments.Length != parts.Length)
        {
            problems.Add($"{label}: shopify path has {segments.Length} levels but the id {id} has {parts.Length}.");
        }
        else if (!ShopifyVerticals.TryGetValue(parts[0], out var vertical) || vertical != segments[0])
        {
            problems.Add($"{label}: shopify path must start with the vertical of '{parts[0]}' ({vertical ?? "unknown vertical"}), not '{segments[0]}'.");
        }
        else
        {
            platforms[Platforms.Shopify] = new PlatformCategory(id, shopify.Path!);
        }
    }

    private static void CheckNumeric(PlatformEntry? entry, string platform, string label, List<string> problems, Dictionary<string, PlatformCategory> platforms)
    {
        if (entry is null)
        {
            return;
        }

        if (entry.Id is null || !NumericId().IsMatch(entry.Id) || string.IsNullOrWhiteSpace(entry.Path))
        {
            problems.Add($"{label}: {platform} needs a numeric leaf id and a path (got '{entry.Id}').");
            return;
        }

        platforms[platform] = new PlatformCategory(entry.Id, entry.Path);
    }

    private static bool IsKebab(string value) =>
        value.Length > 0 && value[0] != '-' && value[^1] != '-' && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private sealed record Entry(CategoryMapping Mapping, KeywordText.Keyword[] Keywords);

    private sealed class CompiledData(List<Entry> entries)
    {
        public IReadOnlyList<Entry> Entries { get; } = entries;

        public IReadOnlyList<CategoryMapping> Mappings { get; } = [.. entries.Select(e => e.Mapping)];
    }

    private sealed class Document
    {
        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public List<CategoryEntry>? Categories { get; set; }
    }

    private sealed class CategoryEntry
    {
        public string? Key { get; set; }

        public string? Name { get; set; }

        public List<string?>? Keywords { get; set; }

        public PlatformEntry? Shopify { get; set; }

        public string? Amazon { get; set; }

        public PlatformEntry? Taobao { get; set; }

        public PlatformEntry? TiktokShop { get; set; }

        public PlatformEntry? Shopee { get; set; }

        public List<string>? Verified { get; set; }
    }

    private sealed class PlatformEntry
    {
        public string? Id { get; set; }

        public string? Path { get; set; }
    }
}
