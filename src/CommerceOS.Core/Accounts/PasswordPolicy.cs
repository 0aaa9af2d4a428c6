using System.Globalization;
using System.Text;

namespace CommerceOS.Core.Accounts;

/// <summary>The result of <see cref="PasswordPolicy.Evaluate"/>: policy errors and a 0..4 strength hint.</summary>
public sealed record PasswordCheck(IReadOnlyList<AccountError> Errors, int StrengthScore)
{
    public bool IsAcceptable => Errors.Count == 0;
}

/// <summary>
/// The password policy (ASVS 5.0 6.2.1, 6.2.4, 6.2.5, 6.2.9, 6.2.11; security-privacy.md 1.1), as a pure
/// function the UI can call for live hints and that <see cref="PasswordPolicyValidator"/> enforces.
/// </summary>
/// <remarks>
/// Length is counted in Unicode code points (runes), not UTF-16 units and not grapheme clusters:
/// NIST SP 800-63B 5.1.1.2 says each code point counts as one character. UTF-16 length would count an
/// emoji twice; grapheme clusters would count a ZWJ family emoji of 7 code points as one, making the
/// minimum depend on the renderer's Unicode version. There are no composition rules (ASVS 6.2.5).
/// The common-password check compares case-insensitively against the whole 30,000-entry list that
/// ships in zxcvbn-core; since entries shorter than 12 fail the length rule first, in practice the
/// entries of 12 or more characters are the ones this rule adds.
/// </remarks>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    /// <summary>Context words shorter than this are ignored: "ab" from ab@x.com would reject too much, while 3 keeps 3-character Chinese names.</summary>
    public const int MinimumContextWordLength = 3;

    /// <summary>
    /// zxcvbn takes about 100-200 ms per call at 40-64 characters on a 2-core box; longer passwords
    /// that pass the policy are simply rated 4, so the hint stays cheap and cannot be used to burn CPU.
    /// </summary>
    public const int StrengthEstimateMaximumLength = 40;

    /// <summary>Always a context word (ASVS 5.0 6.2.11: the product name).</summary>
    public const string ProductName = "commerceos";

    private static readonly char[] WordSeparators = [' ', '.', '_', '-', '+', '\'', ',', '\t'];

    public static int Length(string password)
    {
        var count = 0;
        foreach (var _ in password.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Returns the policy errors (empty when acceptable). <paramref name="email"/> and
    /// <paramref name="displayName"/> provide the context words; either may be null.
    /// </summary>
    public static IReadOnlyList<AccountError> Check(string? password, string? email, string? displayName)
    {
        password ??= "";
        var errors = new List<AccountError>();
        var length = Length(password);
        if (length < MinimumLength)
        {
            errors.Add(new(AccountErrors.PasswordTooShort, [MinimumLength.ToString(CultureInfo.InvariantCulture)]));
        }
        else if (length > MaximumLength)
        {
            errors.Add(new(AccountErrors.PasswordTooLong, [MaximumLength.ToString(CultureInfo.InvariantCulture)]));
        }

        var lower = password.ToLowerInvariant();
        if (CommonPasswords.Contains(lower))
        {
            errors.Add(new(AccountErrors.PasswordCommon));
        }

        if (ContextWords(email, displayName).Any(word => lower.Contains(word, StringComparison.Ordinal)))
        {
            errors.Add(new(AccountErrors.PasswordContainsContext));
        }

        return errors;
    }

    /// <summary>Policy errors plus zxcvbn's 0..4 score for a strength meter (ASVS 4.0.3 2.1.8).</summary>
    public static PasswordCheck Evaluate(string? password, string? email, string? displayName)
    {
        password ??= "";
        var errors = Check(password, email, displayName);
        if (password.Length == 0)
        {
            return new(errors, 0);
        }

        if (errors.Count == 0 && Length(password) > StrengthEstimateMaximumLength)
        {
            return new(errors, 4);
        }

        var score = global::Zxcvbn.Zxcvbn.MatchPassword(password, ContextWords(email, displayName)).Score;
        return new(errors, errors.Count > 0 ? Math.Min(score, 1) : score);
    }

    /// <summary>The lower-cased words a password must not contain.</summary>
    public static IReadOnlyList<string> ContextWords(string? email, string? displayName)
    {
        var words = new HashSet<string>(StringComparer.Ordinal) { ProductName };
        if (!string.IsNullOrWhiteSpace(email))
        {
            var at = email.LastIndexOf('@');
            var local = (at > 0 ? email[..at] : email).ToLowerInvariant();
            AddWithParts(words, local);
        }

        if (!string.IsNullOrWhiteSpace(displayName))
        {
            var name = displayName.Trim().ToLowerInvariant();
            AddWithParts(words, name);
            AddWithParts(words, RemoveSeparators(name));
        }

        return [.. words.Where(w => Length(w) >= MinimumContextWordLength)];
    }

    private static void AddWithParts(HashSet<string> words, string value)
    {
        words.Add(value);
        foreach (var part in value.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            words.Add(part);
        }
    }

    private static string RemoveSeparators(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (Array.IndexOf(WordSeparators, c) < 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
