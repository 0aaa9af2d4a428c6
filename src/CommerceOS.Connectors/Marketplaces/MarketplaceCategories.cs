using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Marketplaces;

/// <summary>One category as a platform answered it, before the checks every adapter applies.</summary>
/// <param name="IsLeaf">Null when the platform left it out: then a node without children is a leaf.</param>
internal sealed record RawCategory(string? Id, string? ParentId, string? Name, bool? IsLeaf, bool Usable = true);

/// <summary>What the category sources (<see cref="IMarketplaceCategorySource"/>) share once a platform's answer is read.</summary>
internal static class MarketplaceCategories
{
    /// <summary>The asked language is a preference: anything Chinese gets the platform's Chinese names, the rest English.</summary>
    public static bool WantsChinese(string? language) => language?.StartsWith("zh", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The array <paramref name="name"/> of a successful answer; without it the answer is malformed (Transient), not an empty tree.</summary>
    public static IEnumerable<JsonElement> List(JsonElement parent, string name, string vendor, string what) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : throw new ProviderException(ProviderFailure.Transient, $"{vendor} {what} answered without the {name} list.");

    /// <summary>An id as text, whether the platform wrote it as a number or a string.</summary>
    public static string? Id(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
                _ => null,
            }
            : null;

    public static bool? Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    /// <summary>
    /// The tree as <see cref="CategoryTree"/> promises it: nodes without an id (or with the root marker as id) or a name are skipped, a repeated id keeps
    /// its first occurrence, <paramref name="rootParent"/> (the platform's "no parent") becomes null, and parents come
    /// before their children (breadth first; nodes whose parent is not in the answer follow at the end, as read).
    /// </summary>
    public static CategoryTree Tree(IEnumerable<RawCategory> read, string rootParent, string language, bool complete)
    {
        var nodes = new List<RawCategory>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in read)
        {
            if (!string.IsNullOrWhiteSpace(raw.Id) && raw.Id != rootParent && !string.IsNullOrWhiteSpace(raw.Name) && seen.Add(raw.Id))
            {
                nodes.Add(raw with { ParentId = string.IsNullOrEmpty(raw.ParentId) || raw.ParentId == rootParent || raw.ParentId == raw.Id ? null : raw.ParentId });
            }
        }

        var children = nodes.Where(node => node.ParentId is not null).ToLookup(node => node.ParentId!, StringComparer.Ordinal);
        var ordered = new List<CategoryNode>(nodes.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<RawCategory>(nodes.Where(node => node.ParentId is null));
        while (queue.Count > 0 || ordered.Count < nodes.Count)
        {
            if (queue.Count == 0)
            {
                // Only orphans (or a cycle) are left: the first of them is placed as read, its subtree after it.
                queue.Enqueue(nodes.First(node => !placed.Contains(node.Id!)));
            }

            var next = queue.Dequeue();
            if (!placed.Add(next.Id!))
            {
                continue;
            }

            ordered.Add(new CategoryNode(next.Id!, next.ParentId, next.Name!.Trim(), next.IsLeaf ?? !children.Contains(next.Id!), next.Usable));
            foreach (var child in children[next.Id!])
            {
                queue.Enqueue(child);
            }
        }

        return new CategoryTree(ordered, language, complete);
    }
}
