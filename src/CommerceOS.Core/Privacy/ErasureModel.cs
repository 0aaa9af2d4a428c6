namespace CommerceOS.Core.Privacy;

/// <summary>Configuration section <c>Privacy</c>.</summary>
public sealed class ErasureOptions
{
    public const string Section = "Privacy";

    /// <summary>How long a closed account's generated content is kept before the purge (privacy policy 5: 30 days).</summary>
    public TimeSpan TerminatedContentRetention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Error codes of account deletion; texts in <c>Resources/{en,zh-CN}/Erasure.json</c>.</summary>
public static class ErasureErrors
{
    /// <summary>The password is missing or wrong (or the account is locked out): 403, nothing changes.</summary>
    public const string PasswordIncorrect = "privacy.erasure.password_incorrect";

    /// <summary>{0} = the workspace's name. The user is its only Owner and it has other members.</summary>
    public const string SoleOwner = "privacy.erasure.sole_owner";

    public static readonly IReadOnlyList<string> All = [PasswordIncorrect, SoleOwner];
}

public static class ErasureAudit
{
    public const string AccountDeleted = "privacy_account_deleted";

    /// <summary>The purge removed a closed account's or workspace's data; the target counts rows and blobs, names no one.</summary>
    public const string AccountPurged = "privacy_account_purged";
}
