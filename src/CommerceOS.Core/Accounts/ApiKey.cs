namespace CommerceOS.Core.Accounts;

/// <summary>
/// A personal API key (<c>cos_…</c>). Only the SHA-256 of the key is stored; the key is shown once.
/// Not tenant-filtered because authentication looks it up before a workspace is known.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public Guid WorkspaceId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the key, shown in lists so the owner can tell keys apart.</summary>
    public required string Prefix { get; set; }

    public required string KeyHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
