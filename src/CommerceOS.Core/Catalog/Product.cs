using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Catalog;

public enum ProductStatus
{
    Draft = 0,
    Active = 1,
    Archived = 2,
}

public enum AttributeType
{
    Text = 0,
    Number = 1,
    Boolean = 2,
    Measurement = 3,
    List = 4,
}

/// <summary>A typed product fact; copy engines may only state facts that exist here.</summary>
public sealed record ProductAttribute(string Name, AttributeType Type, string Value, string? Unit = null);

public sealed class Product : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string Sku { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public Guid? BrandId { get; set; }

    public string? Category { get; set; }

    public List<ProductAttribute> Attributes { get; set; } = [];

    public List<string> SellingPoints { get; set; } = [];

    public string? TargetAudience { get; set; }

    public ProductStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<ProductVariant> Variants { get; set; } = [];

    public List<ProductPhoto> Photos { get; set; } = [];
}

public sealed class ProductVariant : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ProductId { get; set; }

    public required string Sku { get; set; }

    /// <summary>Option name to value, e.g. Color = Red, Size = M.</summary>
    public Dictionary<string, string> Options { get; set; } = [];

    /// <summary>Price in minor units of <see cref="Currency"/> (cents, fen).</summary>
    public long PriceMinor { get; set; }

    /// <summary>ISO 4217 code, upper case.</summary>
    public required string Currency { get; set; }

    public int Stock { get; set; }

    public int Position { get; set; }
}

public sealed class ProductPhoto : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ProductId { get; set; }

    public Guid AssetId { get; set; }

    public int Position { get; set; }
}
