namespace CommerceOS.Core.Privacy;

/// <summary>
/// A published version of the privacy policy or the terms of service (policy section 10), with both language texts. The
/// latest one of a document is its current version; the shipped seed text is the version before the first row.
/// A material change is announced by e-mail (<see cref="LegalNoticeDelivery"/>) and in a banner until acknowledged.
/// </summary>
public sealed class LegalDocumentVersion
{
    public const int MaxVersionLength = 40;
    public const int MaxTextLength = 200_000;
    public const int MaxSummaryLength = 2_000;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary><see cref="Accounts.LegalDocuments.Privacy"/> or <see cref="Accounts.LegalDocuments.Terms"/>.</summary>
    public required string Document { get; set; }

    /// <summary>The label users accept (e.g. "2026-12-01"), unique per document.</summary>
    public required string Version { get; set; }

    public required string TextEnglish { get; set; }

    public required string TextChinese { get; set; }

    public bool MaterialChange { get; set; }

    public string? SummaryEnglish { get; set; }

    public string? SummaryChinese { get; set; }

    public DateTime PublishedAt { get; set; }

    public Guid PublishedByUserId { get; set; }

    /// <summary>Set when every notice of a material change has been sent; until then the delivery sweep picks it up.</summary>
    public DateTime? NoticesCompletedAt { get; set; }

    /// <summary>While in the future, one delivery run owns this version's notices.</summary>
    public DateTime? NoticeLeaseUntil { get; set; }

    /// <summary>The delivery run holding the lease.</summary>
    public Guid? NoticeLeaseOwner { get; set; }
}

/// <summary>
/// One change notice e-mail: claimed (inserted) before sending, marked sent after. The unique (version, user) index makes
/// a second notice for the same user impossible; the e-mail's idempotency key closes the gap between send and mark.
/// </summary>
public sealed class LegalNotice
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid VersionId { get; set; }

    public Guid UserId { get; set; }

    public DateTime ClaimedAt { get; set; }

    public DateTime? SentAt { get; set; }

    /// <summary>The e-mail's deterministic identity: a retry of the same notice is dropped by the sender.</summary>
    public static string IdempotencyKey(Guid versionId, Guid userId) => $"legal-notice:{versionId:N}:{userId:N}";
}
