using CommerceOS.Core.Catalog;

namespace CommerceOS.Web.Features.Catalog;

/// <summary>The product fields a client sends to <c>POST /api/v1/products</c> (and, partially, to PATCH).</summary>
public sealed record ProductRequest(
    string? Sku,
    string? Title,
    string? Description = null,
    Guid? BrandId = null,
    string? Category = null,
    IReadOnlyList<ProductAttribute>? Attributes = null,
    IReadOnlyList<string>? SellingPoints = null,
    string? TargetAudience = null,
    ProductStatus? Status = null,
    IReadOnlyList<VariantRequest>? Variants = null)
{
    public ProductInput ToInput() => new(
        Sku,
        Title,
        Description,
        BrandId,
        Category,
        Attributes,
        SellingPoints,
        TargetAudience,
        Status ?? ProductStatus.Draft,
        Variants?.Select(v => new VariantInput(v.Sku, v.Options, v.PriceMinor, v.Currency, v.Stock)).ToList());

    public static ProductRequest From(ProductDetails product) => new(
        product.Sku,
        product.Title,
        product.Description,
        product.BrandId,
        product.Category,
        product.Attributes,
        product.SellingPoints,
        product.TargetAudience,
        product.Status,
        product.Variants.Select(v => new VariantRequest(v.Sku, v.Options, v.PriceMinor, v.Currency, v.Stock)).ToList());
}

public sealed record VariantRequest(string? Sku, IReadOnlyDictionary<string, string>? Options, long PriceMinor, string? Currency, int Stock);

/// <summary>The answer to a photo upload: the stored assets and the product's photo order afterwards.</summary>
public sealed record PhotoUploadResponse(Guid ProductId, IReadOnlyList<UploadedAsset> Assets, IReadOnlyList<Guid> PhotoAssetIds, DateTime UpdatedAt);

public sealed record UploadedAsset(Guid Id, string ContentType, long ByteSize, int Width, int Height, Guid? ThumbnailJobId);
