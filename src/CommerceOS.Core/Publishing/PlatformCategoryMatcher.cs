namespace CommerceOS.Core.Publishing;

/// <summary>
/// Suggests leaf categories of a platform's own tree (<see cref="MarketplaceCategoryCache"/>) for a product, weighing where a
/// leaf's name is found as <see cref="CategorySuggestions"/> weighs its keywords: in the most specific segment of the
/// product's category first, then its other segments, then the title. A leaf name is split into its terms ("Tea Cups &amp;
/// Saucers" is "tea cups" and "saucers"); Latin words are compared singular ("mugs" matches "mug"), Chinese terms as
/// substrings. A match that an ancestor's name confirms ranks a little higher, and catch-all leaves ("Others", 其他) are
/// never suggested on their name alone.
/// </summary>
public static class PlatformCategoryMatcher
{
    private const double LeafWeight = 0.9;
    private const double ParentWeight = 0.6;
    private const double TitleWeight = 0.5;
    private const double AncestorBonus = 0.03;
    private const double MaxScore = 0.99;
    private const int MaxDepth = 12;

    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "other", "others", "misc", "miscellaneous", "more", "general", "其他", "其它", "更多", "其他类目",
    };

    private static readonly char[] TermSeparators = ['&', ',', '/', '、', '，', ';', '；', '(', ')', '（', '）', '|', '+'];

    public static IReadOnlyList<CategorySuggestion> Suggest(IReadOnlyList<CategoryNode> nodes, string? category, string? title, int max = CategorySuggestions.MaxSuggestions)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var byId = Index(nodes);
        var parts = KeywordText.Fold(category).Split(['>', '›', '»'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var places = parts
            .Select((s, i) => (Text: new Text(s), Weight: i == parts.Length - 1 ? LeafWeight : ParentWeight))
            .Append((Text: new Text(title), Weight: TitleWeight))
            .ToList();

        var found = new List<(CategorySuggestion Suggestion, int Depth)>();
        foreach (var leaf in byId.Values.Where(n => n.IsLeaf && n.Usable))
        {
            var (score, term) = Best(leaf.Name, places);
            if (term is null)
            {
                continue;
            }

            var ancestors = Ancestors(leaf, byId);
            if (ancestors.Any(a => Best(a.Name, places).Term is not null))
            {
                score += AncestorBonus;
            }

            found.Add((new CategorySuggestion(leaf.Id, Path(leaf, ancestors), Math.Round(Math.Min(MaxScore, score), 3), term), ancestors.Count));
        }

        return found
            .OrderByDescending(f => f.Suggestion.Score)
            .ThenByDescending(f => f.Depth)
            .ThenBy(f => f.Suggestion.Id, StringComparer.Ordinal)
            .Take(max)
            .Select(f => f.Suggestion)
            .ToList();
    }

    /// <summary>The node's path from its top-level category ("Home &gt; Kitchen &gt; Mugs"), or null when the tree has no such node.</summary>
    public static string? PathOf(IReadOnlyList<CategoryNode> nodes, string id)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var byId = Index(nodes);
        return byId.TryGetValue(id, out var node) ? Path(node, Ancestors(node, byId)) : null;
    }

    private static Dictionary<string, CategoryNode> Index(IReadOnlyList<CategoryNode> nodes)
    {
        var byId = new Dictionary<string, CategoryNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            byId.TryAdd(node.Id, node);
        }

        return byId;
    }

    private static string Path(CategoryNode node, List<CategoryNode> ancestors) =>
        string.Join(" > ", ancestors.Select(a => a.Name).Reverse().Append(node.Name));

    /// <summary>The best place any of the name's terms is found, with the term; (0, null) when none is.</summary>
    private static (double Score, string? Term) Best(string name, List<(Text Text, double Weight)> places)
    {
        (double Score, string? Term) best = (0, null);
        foreach (var term in Terms(name))
        {
            foreach (var (text, weight) in places)
            {
                var score = weight + term.Specificity;
                if (score > best.Score && text.Contains(term))
                {
                    best = (score, term.Display);
                }
            }
        }

        return best;
    }

    private static List<CategoryNode> Ancestors(CategoryNode leaf, Dictionary<string, CategoryNode> byId)
    {
        var ancestors = new List<CategoryNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { leaf.Id };
        var current = leaf;
        // A malformed tree (a cycle, a missing parent) ends the path where it goes wrong.
        while (ancestors.Count < MaxDepth && !string.IsNullOrEmpty(current.ParentId) && byId.TryGetValue(current.ParentId, out var parent) && seen.Add(parent.Id))
        {
            ancestors.Add(parent);
            current = parent;
        }

        return ancestors;
    }

    private static IEnumerable<Term> Terms(string name)
    {
        var folded = KeywordText.Fold(name).Replace(" and ", "&", StringComparison.Ordinal);
        foreach (var piece in folded.Split(TermSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Generic.Contains(piece))
            {
                continue;
            }

            var term = new Term(piece);
            if (!term.IsEmpty)
            {
                yield return term;
            }
        }
    }

    /// <summary>"cups" and "cup", "batteries" and "battery", "boxes" and "box" compare equal; short words are left alone.</summary>
    public static string Singular(string token) => token switch
    {
        { Length: > 4 } when token.EndsWith("ies", StringComparison.Ordinal) => token[..^3] + "y",
        { Length: > 4 } when token.EndsWith("es", StringComparison.Ordinal) && token[^3] is 's' or 'x' or 'z' or 'h' => token[..^2],
        { Length: > 3 } when token[^1] == 's' && token[^2] is not ('s' or 'u' or 'i') => token[..^1],
        _ => token,
    };

    private sealed class Term
    {
        private readonly string[] _tokens;

        public Term(string folded)
        {
            Display = folded;
            Cjk = KeywordText.HasCjk(folded);
            _tokens = Cjk ? [] : [.. KeywordText.Tokens(folded).Select(Singular)];
        }

        public string Display { get; }

        public bool Cjk { get; }

        public bool IsEmpty => Cjk ? Display.Length == 0 : _tokens.Length == 0 || Generic.Contains(string.Join(' ', _tokens));

        /// <summary>Up to +0.06 for longer terms, so "phone cases" beats "cases".</summary>
        public double Specificity => Cjk ? 0.02 * (Math.Min(Display.Length, 4) - 1) : 0.03 * (Math.Min(_tokens.Length, 3) - 1);

        public bool FoundIn(Text text)
        {
            if (Cjk)
            {
                return text.Folded.Contains(Display, StringComparison.Ordinal);
            }

            var tokens = text.Tokens;
            for (var i = 0; i + _tokens.Length <= tokens.Length; i++)
            {
                if (_tokens.AsSpan().SequenceEqual(tokens.AsSpan(i, _tokens.Length)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class Text(string? text)
    {
        public string Folded { get; } = KeywordText.Fold(text);

        public string[] Tokens => field ??= [.. KeywordText.Tokens(Folded).Select(Singular)];

        public bool Contains(Term term) => term.FoundIn(this);
    }
}
