namespace CommerceOS.Core.Accounts;

/// <summary>
/// The current versions of the documents a user accepts at sign-up. The privacy version matches the
/// policy's "Last updated: June 25, 2026". Bumping a version makes sign-ups that accepted the old
/// one fail with <see cref="AccountErrors.TermsVersionOutdated"/> or <see cref="AccountErrors.PrivacyVersionOutdated"/>.
/// </summary>
public static class LegalDocuments
{
    public const string TermsVersion = "2026-06-25";

    public const string PrivacyVersion = "2026-06-25";

    /// <summary>The 18+ confirmation is made under privacy policy section 9, so it carries that version.</summary>
    public const string AgeConfirmationVersion = PrivacyVersion;
}
