using System.Globalization;
using System.Text;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Marketplaces.Taobao;

/// <summary>One sale property of a category as <c>taobao.itemprops.get</c> gives it.</summary>
internal sealed record SaleProperty(long Pid, string Name, bool IsColor, bool AllowAlias, IReadOnlyList<SaleValue> Values);

internal sealed record SaleValue(long Vid, string Name);

/// <summary>What item.add's SKU arrays need: each variant's <c>pid:vid;pid:vid</c>, and the seller's names for the values it took (<c>property_alias</c>).</summary>
internal sealed record SkuProperties(IReadOnlyList<string> PerVariant, string PropertyAlias);

/// <summary>
/// Maps the seller's option text ("颜色分类: 红色", "Color: Red", "尺码: M") to the category's sale properties: Taobao
/// SKUs are property values (<c>pid:vid</c>), not free text. One instance serves one publish call, so a category's
/// properties are read once per call and never outlive it (the seller may change category between publishes).
/// </summary>
internal sealed class TaobaoSaleProperties(TaobaoGateway gateway, TopCredentials credentials)
{
    private const string Method = "taobao.itemprops.get";

    private static readonly HashSet<string> ColorNames = new(["颜色", "颜色分类", "color", "colour"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> SizeNames = new(["尺码", "尺寸", "size"], StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, IReadOnlyList<SaleProperty>> _byCategory = new(StringComparer.Ordinal);

    /// <summary>
    /// The SKU properties of a listing with variants (null for one variant), or the issues that keep it from Taobao.
    /// Options already written as <c>pid:vid</c> pass through unchanged and need no call.
    /// </summary>
    public async Task<(SkuProperties? Skus, IReadOnlyList<PlatformIssue> Issues)> MapAsync(ListingDraft listing, CancellationToken cancellationToken)
    {
        if (listing.Variants.Count <= 1)
        {
            return (null, []);
        }

        var text = listing.Variants.SelectMany(v => v.Options).Where(o => !IsPropertyValue(o.Value)).ToList();
        if (text.Count == 0)
        {
            return (Build(listing, [], []), []);
        }

        if (string.IsNullOrWhiteSpace(listing.CategoryId))
        {
            return (null, [Issue(ListingFields.Category, "cid", "A Taobao category is needed to map the variant options to its sale properties.")]);
        }

        var (properties, error) = await LoadAsync(listing.CategoryId, cancellationToken);
        if (error is not null)
        {
            return (null, [error.ToIssue()]);
        }

        var issues = new List<PlatformIssue>();
        var byOption = new Dictionary<string, (SaleProperty, Dictionary<string, SaleValue>)>(StringComparer.OrdinalIgnoreCase);
        var aliases = new List<string>();
        var claimed = new Dictionary<long, string>();
        foreach (var option in text.Select(o => o.Key.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (Resolve(option, properties) is not { } property)
            {
                var names = properties.Count == 0 ? "none" : string.Join(", ", properties.Select(p => p.Name));
                issues.Add(Issue(ListingFields.Variants, "sale_property", $"Option '{option}' is not a sale property of Taobao category {listing.CategoryId}; its sale properties are: {names}."));
                continue;
            }

            if (!claimed.TryAdd(property.Pid, option))
            {
                issues.Add(Issue(ListingFields.Variants, "sale_property", $"Options '{claimed[property.Pid]}' and '{option}' both map to Taobao's {property.Name}."));
                continue;
            }

            var values = text.Where(o => string.Equals(o.Key.Trim(), option, StringComparison.OrdinalIgnoreCase)).Select(o => o.Value.Trim()).Distinct(FoldedComparer).ToList();
            byOption[option] = (property, MapValues(option, property, values, aliases, issues));
        }

        return issues.Count > 0 ? (null, issues) : (Build(listing, byOption, aliases), []);
    }

    /// <summary>
    /// Values Taobao names the same way take that vid; the others, when the property allows aliases, take the unused
    /// standard values in order and carry the seller's text as the alias. Exact names are matched first, so an alias never
    /// takes a vid a later value names.
    /// </summary>
    private static Dictionary<string, SaleValue> MapValues(string option, SaleProperty property, List<string> values, List<string> aliases, List<PlatformIssue> issues)
    {
        var mapped = new Dictionary<string, SaleValue>(FoldedComparer);
        foreach (var value in values)
        {
            if (property.Values.FirstOrDefault(v => FoldedComparer.Equals(v.Name, value)) is { } standard)
            {
                mapped[value] = standard;
            }
        }

        var free = new Queue<SaleValue>(property.Values.Where(v => !mapped.ContainsValue(v)));
        foreach (var value in values.Where(v => !mapped.ContainsKey(v)))
        {
            if (!property.AllowAlias)
            {
                var known = string.Join(", ", property.Values.Take(20).Select(v => v.Name));
                issues.Add(Issue(ListingFields.Variants, "sale_property_value", $"Option {option}: '{value}' is not one of Taobao's {property.Name} values, which take no seller's names ({known})."));
            }
            else if (value.IndexOfAny([':', ';', ',']) >= 0)
            {
                issues.Add(Issue(ListingFields.Variants, "property_alias", $"Option {option}: '{value}' cannot be a Taobao alias (no ':', ';' or ',')."));
            }
            else if (free.TryDequeue(out var spare))
            {
                mapped[value] = spare;
                aliases.Add($"{property.Pid}:{spare.Vid}:{value}");
            }
            else
            {
                issues.Add(Issue(ListingFields.Variants, "sale_property_value", $"Option {option} has more values than Taobao's {property.Name} offers ({property.Values.Count}); '{value}' has none left."));
            }
        }

        return mapped;
    }

    private static SkuProperties Build(ListingDraft listing, Dictionary<string, (SaleProperty Property, Dictionary<string, SaleValue> Values)> byOption, List<string> aliases)
    {
        string Property(KeyValuePair<string, string> option)
        {
            if (IsPropertyValue(option.Value))
            {
                return option.Value;
            }

            var (property, values) = byOption[option.Key.Trim()];
            return $"{property.Pid}:{values[option.Value.Trim()].Vid}";
        }

        return new SkuProperties([.. listing.Variants.Select(v => string.Join(';', v.Options.Select(Property)))], string.Join(';', aliases));
    }

    /// <summary>By the property's own name, else by the synonyms sellers write for colour and size.</summary>
    private static SaleProperty? Resolve(string option, IReadOnlyList<SaleProperty> properties)
    {
        var folded = Fold(option);
        if (properties.FirstOrDefault(p => FoldedComparer.Equals(p.Name, folded)) is { } named)
        {
            return named;
        }

        if (ColorNames.Contains(folded))
        {
            return properties.FirstOrDefault(p => p.IsColor);
        }

        return SizeNames.Contains(folded)
            ? properties.FirstOrDefault(p => p.Name.Contains("尺码", StringComparison.Ordinal) || p.Name.Contains("尺寸", StringComparison.Ordinal))
            : null;
    }

    /// <summary>
    /// UNCONFIRMED: the answer shape itemprops_get_response.item_props.item_prop[] with prop_values.prop_value[] {vid, name},
    /// and is_color_prop / is_allow_alias as flags.
    /// </summary>
    private async Task<(IReadOnlyList<SaleProperty> Properties, TopError? Error)> LoadAsync(string cid, CancellationToken cancellationToken)
    {
        if (_byCategory.TryGetValue(cid, out var cached))
        {
            return (cached, null);
        }

        var (response, error) = await gateway.CallAsync(
            credentials,
            Method,
            [new("cid", cid), new("is_sale_prop", "true"), new("fields", "pid,name,must,multi,prop_values,is_color_prop,is_enum_prop,is_allow_alias")],
            repeatable: true,
            cancellationToken);
        if (error is not null)
        {
            return ([], error);
        }

        var properties = TaobaoGateway.List(response, "item_props", "item_prop", Method).Select(Property).ToList();
        _byCategory[cid] = properties;
        return (properties, null);
    }

    private static SaleProperty Property(JsonElement element)
    {
        var pid = TaobaoGateway.Number(element, "pid");
        var name = element.GetString("name");
        if (pid is not > 0 || string.IsNullOrWhiteSpace(name))
        {
            throw new ProviderException(ProviderFailure.Transient, $"Taobao {Method} answered a property without pid or name.");
        }

        var values = TaobaoGateway.List(element, "prop_values", "prop_value", Method)
            .Select(v => (Vid: TaobaoGateway.Number(v, "vid"), Name: v.GetString("name")))
            .Select(v => v.Vid is > 0 && !string.IsNullOrWhiteSpace(v.Name)
                ? new SaleValue(v.Vid.Value, v.Name.Trim())
                : throw new ProviderException(ProviderFailure.Transient, $"Taobao {Method} answered a value of {pid} without vid or name."))
            .ToList();
        return new SaleProperty(pid.Value, name.Trim(), TaobaoGateway.Flag(element, "is_color_prop"), TaobaoGateway.Flag(element, "is_allow_alias"), values);
    }

    /// <summary>A SKU property value written as TOP takes it: a pid and a vid, the vid negative for a seller-defined value.</summary>
    public static bool IsPropertyValue(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(value[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && long.TryParse(value[(colon + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
    }

    private static PlatformIssue Issue(string field, string code, string message) =>
        new(field, code, message, PlatformIssueSeverity.Error, field == ListingFields.Category ? "cid" : "sku_properties");

    /// <summary>Full-width letters and digits (Ｍ, ＸＬ) as their ASCII forms, so "ｍ" finds Taobao's "M".</summary>
    private static string Fold(string value) => value.Normalize(NormalizationForm.FormKC).Trim();

    private static readonly StringComparer FoldedComparer = new FoldingComparer();

    private sealed class FoldingComparer : StringComparer
    {
        public override int Compare(string? x, string? y) => OrdinalIgnoreCase.Compare(x is null ? null : Fold(x), y is null ? null : Fold(y));

        public override bool Equals(string? x, string? y) => OrdinalIgnoreCase.Equals(x is null ? null : Fold(x), y is null ? null : Fold(y));

        public override int GetHashCode(string obj) => OrdinalIgnoreCase.GetHashCode(Fold(obj));
    }
}
