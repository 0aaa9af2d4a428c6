namespace CommerceOS.Core.Privacy;

public enum DataExportStatus
{
    /// <summary>Requested; the job builds the archive.</summary>
    Pending = 0,

    /// <summary>The archive is stored (encrypted) and the link was sent.</summary>
    Ready = 1,

    /// <summary>Downloaded once; the link is used up and the archive is deleted by the sweep.</summary>
    Downloaded = 2,

    /// <summary>Not downloaded in time; the archive is deleted by the sweep.</summary>
    Expired = 3,

    /// <summary>The job failed for good; nothing was stored.</summary>
    Failed = 4,
}

/// <summary>
/// One request for a copy of a user's personal data (privacy policy section 6, access and portability). Belongs to the user,
/// not to a workspace (like <see cref="Accounts.ConsentRecord"/>): every query filters by <see cref="UserId"/>. The archive is
/// a blob in the encrypted store; the download link carries a random token of which only the SHA-256 is kept. After the
/// download or expiry <see cref="DataExportSweep"/> deletes the blob and the token hash, and the row keeps only its status
/// and timestamps.
/// </summary>
public sealed class PersonalDataExport
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    /// <summary>The workspace the job ran in (the one the request came from).</summary>
    public Guid WorkspaceId { get; set; }

    public Guid? JobId { get; set; }

    public DataExportStatus Status { get; set; }

    /// <summary>Hex SHA-256 of the download token; null before the archive is ready and after it is purged.</summary>
    public string? TokenHash { get; set; }

    public string? BlobKey { get; set; }

    public long ByteSize { get; set; }

    public int FileCount { get; set; }

    public DateTime RequestedAt { get; set; }

    public DateTime? ReadyAt { get; set; }

    /// <summary>When the e-mail with the link was sent; a retried job that finds it null sends a fresh link.</summary>
    public DateTime? NotifiedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? DownloadedAt { get; set; }

    /// <summary>When the sweep deleted the archive.</summary>
    public DateTime? PurgedAt { get; set; }
}

/// <summary>Configuration section <c>Privacy</c>.</summary>
public sealed class DataExportOptions
{
    public const string Section = "Privacy";

    /// <summary>How long a download link works (at most 24 hours).</summary>
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxLinkLifetime = TimeSpan.FromHours(24);
}

public static class DataExportErrors
{
    /// <summary>The link is used, expired or unknown.</summary>
    public const string LinkGone = "privacy.export.link_gone";

    /// <summary>The job's own failure code: the user it was for no longer exists.</summary>
    public const string UserGone = "privacy.export.user_gone";

    public static readonly IReadOnlyList<string> All = [LinkGone, UserGone];
}
