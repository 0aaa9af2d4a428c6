namespace CommerceOS.Core.Catalog;

/// <summary>
/// The editable fields of a product, as every entry point (UI form, API, CSV row group, CLI) supplies
/// them. It is a request DTO: entities are never bound from input (no mass assignment), and
/// <see cref="ProductValidator"/> is the one place the rules live.
/// </summary>
/// <param name="BrandId">A brand of the same workspace, or null.</param>
/// <param name="Attributes">Typed facts; see <see cref="ProductAttribute"/> and the rules in
/// <see cref="ProductValidator"/>.</param>
/// <param name="Variants">Sellable units; a product may have none (a draft without price yet).</param>
public sealed record ProductInput(
    string? Sku,
    string? Title,
    string? Description = null,
    Guid? BrandId = null,
    string? Category = null,
    IReadOnlyList<ProductAttribute>? Attributes = null,
    IReadOnlyList<string>? SellingPoints = null,
    string? TargetAudience = null,
    ProductStatus Status = ProductStatus.Draft,
    IReadOnlyList<VariantInput>? Variants = null)
{
    /// <summary>
    /// Trims every text, turns blank optional texts into null, drops blank selling points and
    /// upper-cases currencies and lower-cases boolean attribute values. Validate the normalised
    /// input and store exactly what was validated.
    /// </summary>
    public ProductInput Normalized() => this with
    {
        Sku = Sku?.Trim() ?? "",
        Title = Title?.Trim() ?? "",
        Description = Blank(Description),
        Category = Blank(Category),
        TargetAudience = Blank(TargetAudience),
        Attributes = (Attributes ?? []).Select(a => a with
        {
            Name = a.Name?.Trim() ?? "",
            Value = a.Type == AttributeType.Boolean ? (a.Value?.Trim() ?? "").ToLowerInvariant() : a.Value?.Trim() ?? "",
            Unit = Blank(a.Unit),
        }).ToList(),
        SellingPoints = (SellingPoints ?? []).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).ToList(),
        Variants = (Variants ?? []).Select(v => v.Normalized()).ToList(),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <param name="Options">Option name to value (Color = Red); names are unique per variant.</param>
/// <param name="PriceMinor">Price in minor units of <paramref name="Currency"/> (see <see cref="Common.Currencies"/>).</param>
public sealed record VariantInput(
    string? Sku,
    IReadOnlyDictionary<string, string>? Options,
    long PriceMinor,
    string? Currency,
    int Stock)
{
    public VariantInput Normalized() => this with
    {
        Sku = Sku?.Trim() ?? "",
        Currency = Currency?.Trim().ToUpperInvariant() ?? "",
        Options = TrimOptions(Options),
    };

    private static Dictionary<string, string> TrimOptions(IReadOnlyDictionary<string, string>? options)
    {
        var trimmed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in options ?? new Dictionary<string, string>())
        {
            trimmed.TryAdd(name?.Trim() ?? "", value?.Trim() ?? "");
        }

        return trimmed;
    }
}
