using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Copy;

/// <summary>Who made a version.</summary>
public enum CopySource
{
    /// <summary>A copy engine (<see cref="ListingCopyVersion.Engine"/> says which).</summary>
    Generated = 0,

    /// <summary>The seller's hand edit.</summary>
    Edited = 1,

    /// <summary>Translated from another language's version (<see cref="ListingCopyVersion.TranslatedFromVersionId"/>).</summary>
    Translated = 2,
}

/// <summary>
/// A product's listing text on one marketplace in one language: the head of a version history. Approving a version
/// locks the text: nothing replaces it until the seller unlocks it.
/// </summary>
public sealed class ListingCopy : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ProductId { get; set; }

    public required string Marketplace { get; set; }

    public required string Language { get; set; }

    /// <summary>Number of the newest version (0 before the first).</summary>
    public int CurrentVersion { get; set; }

    /// <summary>Number of the approved version, if any.</summary>
    public int? ApprovedVersion { get; set; }

    public bool Locked { get; set; }

    public Guid? ApprovedByUserId { get; set; }

    public DateTime? ApprovedAt { get; set; }

    /// <summary>
    /// The rules the last generation could not satisfy (JSON list of <see cref="CopyIssue"/>) and its job, so the seller
    /// sees exactly which rule failed; cleared by the next version.
    /// </summary>
    public string? LastFailureJson { get; set; }

    public Guid? LastFailureJobId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>One immutable version of a <see cref="ListingCopy"/>.</summary>
public sealed class ListingCopyVersion : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ListingCopyId { get; set; }

    /// <summary>1, 2, 3... per listing copy.</summary>
    public int Number { get; set; }

    public CopySource Source { get; set; }

    /// <summary><c>local</c>, <c>llm</c>, a translator's name, or <c>hand</c>.</summary>
    public required string Engine { get; set; }

    public string? Model { get; set; }

    public string? Tone { get; set; }

    public int? Seed { get; set; }

    /// <summary>The <see cref="ListingText"/> as JSON.</summary>
    public required string TextJson { get; set; }

    /// <summary>The items' <see cref="CopyTrace"/>s as JSON.</summary>
    public string TracesJson { get; set; } = "[]";

    /// <summary>The rules this version breaks when it was made (<see cref="CopyIssue"/>s as JSON; warnings, or a hand edit's notes).</summary>
    public string IssuesJson { get; set; } = "[]";

    /// <summary>For translations: per item, whether it was translated, reused from memory or left in the source language.</summary>
    public string? TranslationJson { get; set; }

    public Guid? TranslatedFromVersionId { get; set; }

    /// <summary>The job that made it; unique per listing copy so a retried job never adds a second version.</summary>
    public Guid? JobId { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }
}
