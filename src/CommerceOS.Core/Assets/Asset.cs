using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Assets;

public enum AssetKind
{
    Upload = 0,
    Generated = 1,
}

public sealed class Asset : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public AssetKind Kind { get; set; }

    public required string ContentType { get; set; }

    /// <summary>Content-addressed key in the blob store (server-generated, never from user input).</summary>
    public required string BlobKey { get; set; }

    public string? ThumbnailBlobKey { get; set; }

    public long ByteSize { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>Hex SHA-256 of the stored (re-encoded) bytes.</summary>
    public required string Sha256 { get; set; }

    /// <summary>The uploader's file name, sanitised; metadata only, never used as a path.</summary>
    public string? OriginalFileName { get; set; }

    /// <summary>What made it: "upload", or the engine/provider and job for generated content.</summary>
    public required string Source { get; set; }

    public Guid? JobId { get; set; }

    /// <summary>The product a generated image belongs to (uploads link through <see cref="Catalog.ProductPhoto"/>).</summary>
    public Guid? ProductId { get; set; }

    /// <summary>The asset a generated image was made from (the seller's photo, or the image a variant was sized from).</summary>
    public Guid? SourceAssetId { get; set; }

    /// <summary>The Image Studio skill that made it ("main-image", "scene"...); null for uploads.</summary>
    public string? Skill { get; set; }

    /// <summary>The marketplace id it was made for, if any.</summary>
    public string? Marketplace { get; set; }

    /// <summary>The marketplace template (size) key for variants, or the skill's own output key.</summary>
    public string? OutputKey { get; set; }

    /// <summary>JSON: engine or provider, model, prompt, parameters, digital source type (see <c>Generation.ImageProvenance</c>).</summary>
    public string? ProvenanceJson { get; set; }

    /// <summary>JSON: the compliance report against <see cref="Marketplace"/> when the image is a main image.</summary>
    public string? ComplianceJson { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Last time the asset fed a job or was viewed; drives the 90-day upload retention.</summary>
    public DateTime LastUsedAt { get; set; }
}
