namespace CommerceOS.Core.Catalog;

/// <summary>A product's photos after a photo operation: asset ids in display order and the product's new version.</summary>
public sealed record ProductPhotos(Guid ProductId, IReadOnlyList<Guid> AssetIds, DateTime UpdatedAt);
