using System.Net;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Tests.Security;

/// <summary>
/// Encryption in transit (privacy policy section 5): with the production setting <c>Security:RequireHttps</c> a plain
/// HTTP request is redirected to HTTPS, keeping its method (308); only a configured proxy may say the client used HTTPS.
/// </summary>
public sealed class TransportSecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");
    private static readonly IPAddress Stranger = IPAddress.Parse("203.0.113.9");

    [Fact]
    public async Task RequireHttps_RedirectsPlainHttp_AndBelievesOnlyTheKnownProxy()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["Security:RequireHttps"] = "true",
            ["Security:ForwardedHeaders:KnownProxies:0"] = Proxy.ToString(),
        });

        // A direct plain-HTTP request: 308 to the same path and query on HTTPS, for a POST too (no body is lost).
        var get = await SendAsync(app, "GET", "http", "/pricing?currency=usd", Stranger);
        Assert.Equal(StatusCodes.Status308PermanentRedirect, get.Response.StatusCode);
        Assert.Equal("https://shop.example/pricing?currency=usd", get.Response.Headers.Location.ToString());
        var post = await SendAsync(app, "POST", "http", "/account/login", Stranger);
        Assert.Equal(StatusCodes.Status308PermanentRedirect, post.Response.StatusCode);

        // The load balancer's probe reaches the health check over HTTP.
        Assert.Equal(StatusCodes.Status200OK, (await SendAsync(app, "GET", "http", "/health/live", Stranger)).Response.StatusCode);

        // The known proxy terminated TLS: its X-Forwarded-Proto is believed and the page is served, with HSTS.
        var proxied = await SendAsync(app, "GET", "http", "/pricing", Proxy, ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "198.51.100.7"));
        Assert.Equal(StatusCodes.Status200OK, proxied.Response.StatusCode);
        Assert.Equal("https", proxied.Request.Scheme);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), proxied.Connection.RemoteIpAddress);
        Assert.StartsWith("max-age=31536000", proxied.Response.Headers.StrictTransportSecurity.ToString(), StringComparison.Ordinal);

        // Anyone else claiming HTTPS (or another address) is ignored.
        var forged = await SendAsync(app, "GET", "http", "/pricing", Stranger, ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "198.51.100.7"));
        Assert.Equal(StatusCodes.Status308PermanentRedirect, forged.Response.StatusCode);
        Assert.Equal(Stranger, forged.Connection.RemoteIpAddress);
    }

    [Fact]
    public async Task EmbeddedDefault_ServesPlainHttp()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        // (A static file: pages set __Host- cookies, which need a secure connection.)
        var response = await SendAsync(app, "GET", "http", "/css/app.css", Stranger, ("X-Forwarded-Proto", "https"));
        Assert.Equal(StatusCodes.Status200OK, response.Response.StatusCode);
        Assert.Equal("http", response.Request.Scheme);
    }

    [Fact]
    public async Task MalformedProxySetting_StopsTheHost()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
            {
                ["Security:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/99",
            });
            await SendAsync(app, "GET", "https", "/pricing", Proxy);
        });
        Assert.Contains("KnownNetworks", error.ToString(), StringComparison.Ordinal);
    }

    private static Task<HttpContext> SendAsync(AppFactory app, string method, string scheme, string pathAndQuery, IPAddress remote, params (string Name, string Value)[] headers) =>
        app.Server.SendAsync(context =>
        {
            var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            context.Request.Method = method;
            context.Request.Scheme = scheme;
            context.Request.Host = new HostString("shop.example");
            context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
            context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
            context.Connection.RemoteIpAddress = remote;
            foreach (var (name, value) in headers)
            {
                context.Request.Headers[name] = value;
            }
        }, Ct);
}
