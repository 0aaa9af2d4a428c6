using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Cli;

/// <summary>
/// How <c>cos</c> ends on signals: the first SIGINT or SIGTERM asks the command to stop cleanly; a second one (a
/// double Ctrl+C, or <c>timeout</c> signalling the child and its group) ends it without an unhandled exception.
/// </summary>
public sealed class SignalTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("INT", 1)]
    [InlineData("TERM", 1)]
    [InlineData("INT", 2)]
    [InlineData("TERM", 2)]
    public async Task Serve_stops_on_signals_without_an_unhandled_exception(string signal, int times)
    {
        using var sandbox = ProcessSandbox.Create("signals");
        await using var server = CosServerProcess.Start(sandbox.Root, sandbox.HostArguments);
        using var handler = new SocketsHttpHandler();
        using var client = new HttpClient(handler);
        await server.WaitUntilReadyAsync(client, ReadyTimeout, Ct);

        for (var i = 0; i < times; i++)
        {
            await server.SignalAsync(signal);
        }

        var code = await server.WaitForExitAsync(ExitTimeout);
        var output = server.RecentOutput();
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", output, StringComparison.Ordinal);
        // One signal is a clean stop; a second one may end the process at once (128 + the signal's number).
        Assert.True(times == 1 ? code == 0 : code is 0 or 130 or 143, $"exit code {code}\n{output}");
    }
}
