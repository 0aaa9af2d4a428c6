using System.Globalization;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// The 18+ rule (privacy policy section 9, test-plan row P5). The date of birth is only checked, never stored (data
/// minimisation): the account keeps the time the check passed (<see cref="AppUser.AdultConfirmedAt"/>).
/// </summary>
public static class AgeGate
{
    public const int MinimumAge = 18;

    /// <summary>An ISO date (<c>yyyy-MM-dd</c>, what <c>&lt;input type=date&gt;</c> posts) that is not in the future nor before 1900.</summary>
    public static bool TryParse(string? text, DateOnly today, out DateOnly dateOfBirth) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out dateOfBirth)
        && dateOfBirth.Year >= 1900
        && dateOfBirth <= today;

    /// <summary>
    /// True from the 18th birthday on (UTC calendar day). Someone born on 29 February comes of age on 1 March in a common
    /// year: the later reading, so the gate never opens early.
    /// </summary>
    public static bool IsAdult(DateOnly dateOfBirth, DateOnly today)
    {
        var year = dateOfBirth.Year + MinimumAge;
        var day = Math.Min(dateOfBirth.Day, DateTime.DaysInMonth(year, dateOfBirth.Month));
        var birthday = new DateOnly(year, dateOfBirth.Month, day);
        return today >= (day < dateOfBirth.Day ? birthday.AddDays(1) : birthday);
    }
}
