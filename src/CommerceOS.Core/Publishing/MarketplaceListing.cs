using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Publishing;

public enum ListingStatus
{
    /// <summary>Mapped but never published.</summary>
    Draft = 0,

    /// <summary>A publish is queued, scheduled or running.</summary>
    Publishing = 1,

    /// <summary>The platform accepted it and is still processing or auditing.</summary>
    Pending = 2,

    Live = 3,

    /// <summary>The last publish was refused (by our gate or the platform).</summary>
    Failed = 4,

    Unpublished = 5,
}

/// <summary>
/// One product on one connection: the platform's id for it, the seller's category and attribute mapping, and whether
/// later price and stock changes are pushed. Its <see cref="Id"/> is the idempotency key every write carries, so
/// however often a publish is retried or repeated the platform holds one listing.
/// </summary>
public sealed class MarketplaceListing : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ProductId { get; set; }

    public Guid ConnectionId { get; set; }

    public required string Platform { get; set; }

    public ListingStatus Status { get; set; }

    /// <summary>The platform's id (product gid, item id; Amazon: the parent SKU).</summary>
    public string? ExternalId { get; set; }

    public string? ExternalUrl { get; set; }

    /// <summary>The platform category the seller confirmed (null until then).</summary>
    public string? CategoryId { get; set; }

    public string? CategoryPath { get; set; }

    /// <summary>Platform attribute → value, as the seller confirmed them (JSON object).</summary>
    public string AttributesJson { get; set; } = "{}";

    /// <summary>Push later price and stock changes.</summary>
    public bool KeepInSync { get; set; }

    /// <summary>Hash of the variants' SKUs, prices and stock last sent (for keep-in-sync).</summary>
    public string? OffersHash { get; set; }

    public DateTime? LastPublishedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
