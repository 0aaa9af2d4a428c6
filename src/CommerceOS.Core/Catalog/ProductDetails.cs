namespace CommerceOS.Core.Catalog;

/// <summary>A product as the use cases return it (never the tracked entity).</summary>
/// <param name="UpdatedAt">The version to send back with <see cref="UpdateProduct.Request.ExpectedUpdatedAt"/>.</param>
/// <param name="PhotoAssetIds">Photo assets in display order; the first is the main image.</param>
public sealed record ProductDetails(
    Guid Id,
    string Sku,
    string Title,
    string? Description,
    Guid? BrandId,
    string? Category,
    IReadOnlyList<ProductAttribute> Attributes,
    IReadOnlyList<string> SellingPoints,
    string? TargetAudience,
    ProductStatus Status,
    IReadOnlyList<VariantDetails> Variants,
    IReadOnlyList<Guid> PhotoAssetIds,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>The editable fields, e.g. to pre-fill an edit form or build an update.</summary>
    public ProductInput ToInput() => new(
        Sku,
        Title,
        Description,
        BrandId,
        Category,
        Attributes,
        SellingPoints,
        TargetAudience,
        Status,
        Variants.Select(v => new VariantInput(v.Sku, v.Options, v.PriceMinor, v.Currency, v.Stock)).ToList());

    internal static ProductDetails From(Product product) => new(
        product.Id,
        product.Sku,
        product.Title,
        product.Description,
        product.BrandId,
        product.Category,
        product.Attributes.ToList(),
        product.SellingPoints.ToList(),
        product.TargetAudience,
        product.Status,
        product.Variants.OrderBy(v => v.Position)
            .Select(v => new VariantDetails(v.Id, v.Sku, new Dictionary<string, string>(v.Options), v.PriceMinor, v.Currency, v.Stock))
            .ToList(),
        product.Photos.OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => p.AssetId).ToList(),
        product.CreatedAt,
        product.UpdatedAt);
}

/// <param name="PriceMinor">Minor units of <paramref name="Currency"/>.</param>
public sealed record VariantDetails(
    Guid Id,
    string Sku,
    IReadOnlyDictionary<string, string> Options,
    long PriceMinor,
    string Currency,
    int Stock);
