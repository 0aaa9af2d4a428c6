namespace CommerceOS.Core.Accounts;

/// <summary>
/// The versions of the documents shipped with the product (the seed texts, privacy policy "Last updated: June 25, 2026").
/// They are the current versions until an admin publishes a <see cref="Privacy.LegalDocumentVersion"/>; from then on the
/// latest published one is current (<see cref="Privacy.LegalVersions"/>). Sign-ups that accepted an older version fail with
/// <see cref="AccountErrors.TermsVersionOutdated"/> or <see cref="AccountErrors.PrivacyVersionOutdated"/>.
/// </summary>
public static class LegalDocuments
{
    /// <summary>The document names, the same as the consent purposes their acceptances are recorded under.</summary>
    public const string Terms = ConsentPurposes.Terms;

    public const string Privacy = ConsentPurposes.Privacy;

    public static readonly IReadOnlyList<string> All = [Privacy, Terms];

    /// <summary>The seed Terms of Service's version.</summary>
    public const string TermsVersion = "2026-06-25";

    /// <summary>The seed Privacy Policy's version.</summary>
    public const string PrivacyVersion = "2026-06-25";

    public static string SeedVersion(string document) => document == Terms ? TermsVersion : PrivacyVersion;
}
