using System.Net;
using System.Net.Sockets;

namespace CommerceOS.Core.Privacy;

/// <summary>What a page view keeps of a request: a coarse network instead of the address, and a kind of browser, system
/// and device instead of the full user agent (which, whole, helps fingerprint a person).</summary>
public static class AnalyticsRedaction
{
    public const string Other = "other";

    /// <summary>The /24 of an IPv4 address, the /48 of an IPv6 one (an IPv4-mapped IPv6 address counts as IPv4); null when there is none.</summary>
    public static string? Network(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[3] = 0;
            return $"{new IPAddress(bytes)}/24";
        }

        Array.Clear(bytes, 6, bytes.Length - 6);
        return $"{new IPAddress(bytes)}/48";
    }

    /// <summary>Browser, operating system and device class from a user agent; anything not recognised is "other".</summary>
    public static (string Browser, string OperatingSystem, string Device) Describe(string? userAgent)
    {
        var ua = userAgent ?? "";
        bool Has(string token) => ua.Contains(token, StringComparison.OrdinalIgnoreCase);

        // Order matters: Edge and Opera say "Chrome", Chrome says "Safari".
        var browser = Has("Edg/") ? "edge"
            : Has("OPR/") || Has("Opera") ? "opera"
            : Has("MicroMessenger") ? "wechat"
            : Has("Firefox/") ? "firefox"
            : Has("Chrome/") || Has("Chromium/") || Has("CriOS/") ? "chrome"
            : Has("Safari/") ? "safari"
            : Other;
        var system = Has("Windows") ? "windows"
            : Has("Android") ? "android"
            : Has("iPhone") || Has("iPad") || Has("iPod") ? "ios"
            : Has("Mac OS X") || Has("Macintosh") ? "macos"
            : Has("CrOS") ? "chromeos"
            : Has("Linux") ? "linux"
            : Other;
        var device = Has("iPad") || Has("Tablet") || (Has("Android") && !Has("Mobile")) ? "tablet"
            : Has("Mobi") || Has("iPhone") ? "mobile"
            : system == Other ? Other
            : "desktop";
        return (browser, system, device);
    }
}
