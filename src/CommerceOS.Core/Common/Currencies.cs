using System.Collections.Frozen;
using System.Globalization;

namespace CommerceOS.Core.Common;

/// <summary>
/// ISO 4217 currencies we accept, with their minor-unit exponent. Money is stored as <c>long</c>
/// minor units (cents, fen; whole yen for JPY).
/// </summary>
public static class Currencies
{
    // Active ISO 4217 codes (2024 list, without funds codes, precious metals and testing codes).
    private static readonly FrozenSet<string> Known = new[]
    {
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
        "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY",
        "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
        "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
        "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
        "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
        "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
        "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
        "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
        "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF",
        "XPF", "YER", "ZAR", "ZMW", "ZWG",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> ZeroDecimals = new[]
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> ThreeDecimals = new[]
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True for a known code in upper case ("usd" is not accepted: callers normalise).</summary>
    public static bool IsKnown(string? code) => code is not null && Known.Contains(code);

    /// <summary>Digits after the decimal point: 0 for JPY/KRW and other zero-decimal currencies, 3 for
    /// BHD/KWD/..., 2 otherwise (ISO 4217 minor units).</summary>
    public static int Exponent(string code) =>
        ZeroDecimals.Contains(code) ? 0 : ThreeDecimals.Contains(code) ? 3 : 2;

    /// <summary>
    /// Parses a major-unit amount written with '.' as the decimal point ("12.5", "1999", "-3.00") into
    /// minor units. False when the text is not such a number, has more decimals than the currency
    /// allows, or does not fit in a <see cref="long"/>.
    /// </summary>
    public static bool TryParseMajor(string text, string currency, out long minor, out bool tooPrecise)
    {
        minor = 0;
        tooPrecise = false;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
        {
            return false;
        }

        var scaled = major * Pow10(Exponent(currency));
        if (scaled != decimal.Truncate(scaled))
        {
            tooPrecise = true;
            return false;
        }

        if (scaled is > long.MaxValue or < long.MinValue)
        {
            return false;
        }

        minor = (long)scaled;
        return true;
    }

    /// <summary>Formats minor units as a major-unit amount with exactly the currency's decimals ("12.50", "1999").</summary>
    public static string FormatMajor(long minor, string currency)
    {
        var exponent = Exponent(currency);
        var major = minor / Pow10(exponent);
        return major.ToString(exponent == 0 ? "0" : "0." + new string('0', exponent), CultureInfo.InvariantCulture);
    }

    private static decimal Pow10(int exponent) => exponent switch
    {
        0 => 1m,
        2 => 100m,
        3 => 1000m,
        _ => throw new ArgumentOutOfRangeException(nameof(exponent)),
    };
}
