using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Publishing;

public enum ConnectionStatus
{
    /// <summary>The last check or call succeeded.</summary>
    Active = 0,

    /// <summary>The platform refused the credentials on a later call (expired refresh token, revoked app): reconnect.</summary>
    Failing = 1,

    /// <summary>The seller disconnected: the credentials are deleted; the row stays for the publish history.</summary>
    Disconnected = 2,
}

/// <summary>
/// A workspace's store on one marketplace. The credentials are a JSON object encrypted with ASP.NET Core Data Protection
/// (<see cref="ConnectionSecrets"/>), never shown again and never logged; a connection counts against the plan's
/// connections gauge while it is not <see cref="ConnectionStatus.Disconnected"/>.
/// </summary>
public sealed class MarketplaceConnection : ITenantOwned
{
    public const int MaxNameLength = 80;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    /// <summary>One of <see cref="Platforms"/>.</summary>
    public required string Platform { get; set; }

    /// <summary>The seller's own label ("EU store").</summary>
    public required string Name { get; set; }

    /// <summary>What the platform calls the store (from the connection test): not a secret.</summary>
    public string? AccountLabel { get; set; }

    public ConnectionStatus Status { get; set; }

    /// <summary>Data-Protection ciphertext of the credentials; empty once disconnected.</summary>
    public string ProtectedCredentials { get; set; } = "";

    /// <summary>Error code of the last failed check or call (<c>publishing.connection.*</c>), null when fine.</summary>
    public string? LastErrorCode { get; set; }

    public DateTime? LastCheckedAt { get; set; }

    /// <summary>Whether disconnecting also revoked access at the platform (false when the platform offers no revocation).</summary>
    public bool RevokedAtPlatform { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? DisconnectedAt { get; set; }
}
