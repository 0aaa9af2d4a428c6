using System.Net;
using CommerceOS.Core.Privacy;

namespace CommerceOS.Tests.Privacy;

public sealed class AnalyticsRedactionTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.0/24")]
    [InlineData("2001:db8:1234:5678:9abc:def0:1234:5678", "2001:db8:1234::/48")]
    [InlineData("::1", "::/48")]
    public void An_address_is_kept_only_as_its_network(string address, string network)
    {
        Assert.Equal(network, AnalyticsRedaction.Network(IPAddress.Parse(address)));
    }

    [Fact]
    public void No_address_is_no_network() => Assert.Null(AnalyticsRedaction.Network(null));

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "edge", "windows", "desktop")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "safari", "macos", "desktop")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50", "wechat", "ios", "mobile")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "chrome", "android", "mobile")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "chrome", "android", "tablet")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "firefox", "linux", "desktop")]
    [InlineData("curl/8.5.0", "other", "other", "other")]
    [InlineData(null, "other", "other", "other")]
    public void A_user_agent_is_kept_only_as_kinds(string? userAgent, string browser, string system, string device)
    {
        Assert.Equal((browser, system, device), AnalyticsRedaction.Describe(userAgent));
    }
}
