using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Publishing;

public enum PublicationAction
{
    Publish = 0,

    /// <summary>Keep-in-sync: prices and stock only.</summary>
    SyncOffers = 1,

    Unpublish = 2,
}

public enum PublicationStatus
{
    /// <summary>Waiting for <see cref="Publication.ScheduledFor"/>.</summary>
    Scheduled = 0,

    Queued = 1,

    Running = 2,

    /// <summary>The platform accepted it; its final answer is being followed.</summary>
    Pending = 3,

    Succeeded = 4,

    /// <summary>The platform refused it, or it could not be sent.</summary>
    Failed = 5,

    /// <summary>Stopped by the compliance gate before anything was sent.</summary>
    Blocked = 6,

    Cancelled = 7,
}

/// <summary>
/// One publish, sync or unpublish of a listing: its job, its gate result and what the platform said. The rows of a
/// listing are its publish history.
/// </summary>
public sealed class Publication : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ListingId { get; set; }

    public Guid ProductId { get; set; }

    public Guid ConnectionId { get; set; }

    public required string Platform { get; set; }

    public PublicationAction Action { get; set; }

    public PublicationStatus Status { get; set; }

    public DateTime? ScheduledFor { get; set; }

    public Guid? JobId { get; set; }

    /// <summary>Gate and platform issues (JSON array of <see cref="ListingIssue"/>).</summary>
    public string IssuesJson { get; set; } = "[]";

    /// <summary>What the adapter needs to follow a pending result (opaque, no personal data).</summary>
    public string? Receipt { get; set; }

    /// <summary>Stop following a pending result after this time.</summary>
    public DateTime? FollowUntil { get; set; }

    public string? ExternalId { get; set; }

    public string? ExternalUrl { get; set; }

    /// <summary>Why it failed when no issue says it (<c>publishing.*</c> code).</summary>
    public string? ErrorCode { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }
}

/// <summary>
/// A problem with a listing, from our gate (<see cref="Source"/> "gate") or the platform ("platform"), on the field it
/// concerns. The text shown is the resource <see cref="Code"/> with <see cref="Args"/> (and its <c>.fix</c> companion) in
/// the seller's language; a platform's own words are kept in <see cref="Detail"/>.
/// </summary>
/// <param name="Blocking">True stops the publish; false is a warning that lets it through.</param>
public sealed record ListingIssue(string Field, string Code, IReadOnlyList<string> Args, bool Blocking, string Source, string? Detail = null, string? PlatformAttribute = null);
