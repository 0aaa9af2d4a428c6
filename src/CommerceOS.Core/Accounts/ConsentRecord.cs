namespace CommerceOS.Core.Accounts;

/// <summary>
/// One consent decision with the document version and time: acceptance of the Terms and the
/// Privacy Policy at sign-up, the 18+ confirmation, and later opt-ins and withdrawals.
/// Append-only: a withdrawal is a new row, so the history stays provable.
/// </summary>
public sealed class ConsentRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public required string Purpose { get; set; }

    public required string Version { get; set; }

    public bool Granted { get; set; }

    public DateTime RecordedAt { get; set; }
}

public static class ConsentPurposes
{
    public const string Terms = "terms";
    public const string Privacy = "privacy";
    public const string AgeOver18 = "age-18";
    public const string Analytics = "analytics";
    public const string QualityImprovement = "quality-improvement";
}
