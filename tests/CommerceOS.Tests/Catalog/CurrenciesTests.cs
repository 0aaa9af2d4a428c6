using CommerceOS.Core.Common;

namespace CommerceOS.Tests.Catalog;

public sealed class CurrenciesTests
{
    [Theory]
    [InlineData("19.99", "USD", 1999L)]
    [InlineData("19.9", "CNY", 1990L)]
    [InlineData("20", "EUR", 2000L)]
    [InlineData("1999", "JPY", 1999L)]
    [InlineData("15000", "KRW", 15000L)]
    [InlineData("1.234", "KWD", 1234L)]
    [InlineData("0.00", "USD", 0L)]
    public void TryParseMajor_ValidAmount_MinorUnitsPerExponent(string text, string currency, long expected)
    {
        Assert.True(Currencies.TryParseMajor(text, currency, out var minor, out _));
        Assert.Equal(expected, minor);
    }

    [Theory]
    [InlineData("19.999", "USD", true)]
    [InlineData("1999.5", "JPY", true)]
    [InlineData("19,99", "EUR", false)]
    [InlineData("1,000.00", "USD", false)]
    [InlineData("$5", "USD", false)]
    [InlineData("", "USD", false)]
    public void TryParseMajor_InvalidAmount_False(string text, string currency, bool tooPrecise)
    {
        Assert.False(Currencies.TryParseMajor(text, currency, out _, out var precise));
        Assert.Equal(tooPrecise, precise);
    }

    [Theory]
    [InlineData(1999L, "USD", "19.99")]
    [InlineData(5L, "CNY", "0.05")]
    [InlineData(1999L, "JPY", "1999")]
    [InlineData(1234L, "BHD", "1.234")]
    public void FormatMajor_MinorUnits_FixedDecimals(long minor, string currency, string expected)
    {
        Assert.Equal(expected, Currencies.FormatMajor(minor, currency));
    }

    [Fact]
    public void IsKnown_CaseAndUnknownCodes_OnlyUpperCaseKnown()
    {
        Assert.True(Currencies.IsKnown("CNY"));
        Assert.False(Currencies.IsKnown("cny"));
        Assert.False(Currencies.IsKnown("XXX"));
        Assert.False(Currencies.IsKnown(null));
    }
}
