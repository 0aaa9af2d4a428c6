namespace CommerceOS.Core.Accounts;

/// <summary>
/// Append-only security audit trail (ASVS 5.0 16.3). Actions use the OWASP logging vocabulary
/// (authn_login_success, authn_login_fail, authz_fail, ...). Never holds secrets or passwords.
/// </summary>
public sealed class AuditEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid? WorkspaceId { get; set; }

    public Guid? UserId { get; set; }

    public required string Action { get; set; }

    public string? Target { get; set; }

    public required string Outcome { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public DateTime OccurredAt { get; set; }
}
