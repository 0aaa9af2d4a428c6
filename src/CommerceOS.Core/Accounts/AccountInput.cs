using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace CommerceOS.Core.Accounts;

/// <summary>Normalizes and checks the free-text inputs of the account use cases.</summary>
public static class AccountInput
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 100;

    /// <summary>Trims the address and accepts only a bare <c>local@domain</c> with a dotted domain.</summary>
    public static bool TryNormalizeEmail(string? value, out string email)
    {
        email = (value ?? "").Trim();
        if (email.Length is 0 or > MaxEmailLength || HasUnsafeCharacters(email) || email.Contains(' ', StringComparison.Ordinal)
            || !MailAddress.TryCreate(email, out var address) || !string.Equals(address.Address, email, StringComparison.Ordinal)
            || !address.Host.Contains('.', StringComparison.Ordinal) || address.Host.EndsWith('.') || address.Host.StartsWith('.'))
        {
            email = "";
            return false;
        }

        return true;
    }

    /// <summary>Trims the name and requires 1 to 100 characters without control or format characters.</summary>
    public static bool TryNormalizeDisplayName(string? value, out string displayName)
    {
        displayName = (value ?? "").Trim();
        if (displayName.Length is 0 or > MaxDisplayNameLength || HasUnsafeCharacters(displayName))
        {
            displayName = "";
            return false;
        }

        return true;
    }

    /// <summary>Cuts to at most <paramref name="maxLength"/> UTF-16 units without splitting a surrogate pair.</summary>
    public static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        var builder = new StringBuilder(maxLength);
        foreach (var rune in value.EnumerateRunes())
        {
            if (builder.Length + rune.Utf16SequenceLength > maxLength)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    private static bool HasUnsafeCharacters(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned)
            {
                return true;
            }
        }

        return false;
    }
}
