using CommerceOS.Core.Accounts;

namespace CommerceOS.Tests.Accounts;

public sealed class AgeGateTests
{
    [Theory]
    [InlineData("2008-11-30", "2026-11-30", true)]   // 18 years 0 days
    [InlineData("2008-12-01", "2026-11-30", false)]  // 17 years 364 days
    [InlineData("2008-02-29", "2026-02-28", false)]  // leap-day birthday: not yet in a common year...
    [InlineData("2008-02-29", "2026-03-01", true)]   // ...but on 1 March
    [InlineData("2004-02-29", "2022-02-28", false)]
    [InlineData("1950-06-15", "2026-11-30", true)]
    public void IsAdult_FromThe18thBirthday(string born, string today, bool adult) =>
        Assert.Equal(adult, AgeGate.IsAdult(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("1990-05-01", true)]
    [InlineData(" 1990-05-01 ", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("1990-5-1", false)]
    [InlineData("01/05/1990", false)]
    [InlineData("1990-02-30", false)]
    [InlineData("1899-12-31", false)]
    [InlineData("2026-12-01", false)] // the future
    public void TryParse_AcceptsOnlyPlausibleIsoDates(string? text, bool valid) =>
        Assert.Equal(valid, AgeGate.TryParse(text, new DateOnly(2026, 11, 30), out _));
}
