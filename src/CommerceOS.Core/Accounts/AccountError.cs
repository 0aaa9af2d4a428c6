using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// A stable, user-facing error code with its arguments. The web layer localizes it from
/// <c>Resources/{en,zh-CN}/Accounts.json</c>; Core never returns sentences.
/// </summary>
public sealed record AccountError(string Code, IReadOnlyList<string> Arguments)
{
    public AccountError(string code)
        : this(code, [])
    {
    }

    /// <summary>
    /// Maps an Identity error to our code. Our own validators already use <see cref="AccountErrors"/>
    /// codes; Identity's built-in codes are translated, anything unknown becomes
    /// <see cref="AccountErrors.UpdateFailed"/> (never the English description).
    /// </summary>
    public static AccountError FromIdentity(IdentityError error) => error.Code switch
    {
        AccountErrors.PasswordTooShort => new(error.Code, [PasswordPolicy.MinimumLength.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
        AccountErrors.PasswordTooLong => new(error.Code, [PasswordPolicy.MaximumLength.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
        _ when error.Code.StartsWith("accounts.", StringComparison.Ordinal) => new(error.Code),
        "PasswordMismatch" => new(AccountErrors.PasswordIncorrect),
        "InvalidToken" => new(AccountErrors.TokenInvalid),
        "DuplicateEmail" or "DuplicateUserName" => new(AccountErrors.EmailTaken),
        "InvalidEmail" or "InvalidUserName" => new(AccountErrors.EmailInvalid),
        "ConcurrencyFailure" => new(AccountErrors.ConcurrencyFailure),
        _ => new(AccountErrors.UpdateFailed),
    };

    public static IReadOnlyList<AccountError> FromIdentity(IdentityResult result) =>
        [.. result.Errors.Select(FromIdentity).Distinct(ByCode.Instance)];

    private sealed class ByCode : IEqualityComparer<AccountError>
    {
        public static readonly ByCode Instance = new();

        public bool Equals(AccountError? x, AccountError? y) => string.Equals(x?.Code, y?.Code, StringComparison.Ordinal);

        public int GetHashCode(AccountError obj) => StringComparer.Ordinal.GetHashCode(obj.Code);
    }
}

/// <summary>
/// Every error code the Accounts area returns. Each has an EN and a ZH text in
/// <c>src/CommerceOS.Web/Resources/{en,zh-CN}/Accounts.json</c> (a test checks both files).
/// </summary>
public static class AccountErrors
{
    /// <summary>{0} = minimum length in characters (Unicode code points).</summary>
    public const string PasswordTooShort = "accounts.password_too_short";

    /// <summary>{0} = maximum length in characters (Unicode code points).</summary>
    public const string PasswordTooLong = "accounts.password_too_long";

    public const string PasswordCommon = "accounts.password_common";
    public const string PasswordContainsContext = "accounts.password_contains_context";
    public const string PasswordIncorrect = "accounts.password_incorrect";
    public const string EmailInvalid = "accounts.email_invalid";
    public const string EmailTaken = "accounts.email_taken";
    public const string EmailUnchanged = "accounts.email_unchanged";
    public const string DisplayNameInvalid = "accounts.display_name_invalid";
    public const string LanguageUnsupported = "accounts.language_unsupported";
    public const string DataRegionUnsupported = "accounts.data_region_unsupported";
    public const string AdultConfirmationRequired = "accounts.adult_confirmation_required";
    public const string DateOfBirthRequired = "accounts.date_of_birth_required";
    public const string DateOfBirthInvalid = "accounts.date_of_birth_invalid";
    public const string TermsVersionOutdated = "accounts.terms_version_outdated";
    public const string PrivacyVersionOutdated = "accounts.privacy_version_outdated";
    public const string TokenInvalid = "accounts.token_invalid";
    public const string UserNotFound = "accounts.user_not_found";
    public const string NotWorkspaceMember = "accounts.not_workspace_member";
    public const string ApiKeyNameInvalid = "accounts.apikey_name_invalid";
    public const string ApiKeyNotFound = "accounts.apikey_not_found";

    /// <summary>API keys and calls with them are the Enterprise plan's (or an administrator's grant).</summary>
    public const string ApiAccessRequired = "api.feature_required";
    public const string ConcurrencyFailure = "accounts.concurrency_failure";
    public const string UpdateFailed = "accounts.update_failed";

    public static readonly IReadOnlyList<string> All =
    [
        PasswordTooShort, PasswordTooLong, PasswordCommon, PasswordContainsContext, PasswordIncorrect,
        EmailInvalid, EmailTaken, EmailUnchanged, DisplayNameInvalid, LanguageUnsupported,
        DataRegionUnsupported, AdultConfirmationRequired, DateOfBirthRequired, DateOfBirthInvalid, TermsVersionOutdated, PrivacyVersionOutdated,
        TokenInvalid, UserNotFound, NotWorkspaceMember, ApiKeyNameInvalid, ApiKeyNotFound, ApiAccessRequired,
        ConcurrencyFailure, UpdateFailed,
    ];
}
