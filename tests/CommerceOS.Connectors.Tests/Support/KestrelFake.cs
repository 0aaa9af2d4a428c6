using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Tests.Support;

/// <summary>
/// A vendor fake: an in-process Kestrel app on a free loopback port, mapped by the subclass, stopped on dispose.
/// </summary>
public abstract class KestrelFake : IAsyncDisposable
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The port, to hand out URLs on another host name (<c>localhost</c>) of the same server.</summary>
    public int Port => new Uri(BaseUrl).Port;

    protected abstract void Map(WebApplication app);

    protected async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');
    }

    /// <summary>Answers with a canned <see cref="Fault"/> instead of the normal behaviour.</summary>
    protected static IResult Serve(Fault fault) => new FaultResult(fault);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class FaultResult(Fault fault) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => fault(httpContext);
    }
}
