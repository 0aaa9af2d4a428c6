namespace CommerceOS.Core.Workspaces;

public enum WorkspaceRole
{
    Viewer = 0,
    Editor = 1,
    Admin = 2,
    Owner = 3,
}

public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    /// <summary>Where this workspace's data lives: us, sg or eu (privacy policy section 8).</summary>
    public string DataRegion { get; set; } = DataRegions.Us;

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Set when its only Owner closed their account (<see cref="Privacy.DeleteAccount"/>): nobody can reach it any more, and
    /// <see cref="Privacy.TerminatedAccountPurge"/> removes it with everything in it after the retention period.
    /// </summary>
    public DateTime? TerminatedAt { get; set; }
}

public static class DataRegions
{
    public const string Us = "us";
    public const string Singapore = "sg";
    public const string Eu = "eu";

    public static readonly IReadOnlyList<string> All = [Us, Singapore, Eu];
}

/// <summary>Not tenant-filtered: it is how a user finds the workspaces they belong to.</summary>
public sealed class WorkspaceMember
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid UserId { get; set; }

    public WorkspaceRole Role { get; set; }

    public DateTime JoinedAt { get; set; }
}

public sealed class WorkspaceInvitation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string Email { get; set; }

    public WorkspaceRole Role { get; set; }

    /// <summary>SHA-256 of the token in the invitation link; the token itself is never stored.</summary>
    public required string TokenHash { get; set; }

    public Guid InvitedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? AcceptedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
