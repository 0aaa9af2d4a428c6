using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CommerceOS.BrowserTests;

/// <summary>
/// The real CommerceOS server (<c>cos serve</c>) as a child process on 127.0.0.1, with its own data folder,
/// SQLite database and local engines, exactly as a seller runs it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    /// <param name="settings">More <c>--Key value</c> arguments for <c>cos serve</c> (a vendor fake's address).</param>
    public static async Task<ServerProcess> StartAsync(params string[] settings)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var workDirectory = Path.Combine(Path.GetTempPath(), "commerceos-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDirectory);
        var dataDirectory = Path.Combine(workDirectory, "data");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            CosPath(), "serve", "--urls", baseAddress.ToString().TrimEnd('/'),
            "--CommerceOS:DataDirectory", dataDirectory,
            "--Accounts:PublicBaseUrl", baseAddress.ToString().TrimEnd('/'),
            "--Accounts:PasswordHashing:Cost", "4",
            "--Accounts:PasswordHashing:AllowLowCostForTests", "true",
            .. settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cos did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, dataDirectory, baseAddress);
        await server.WaitUntilReadyAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"cos serve exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A probe slower than 5 s (a host still starting on a loaded machine): ask again until the deadline.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("cos serve did not become ready within 90 s.");
    }

    private static string CosPath()
    {
        // tests/CommerceOS.BrowserTests/bin/<Configuration>/net10.0/ -> src/CommerceOS.Cli/bin/<Configuration>/net10.0/cos.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, "src", "CommerceOS.Cli", "bin", configuration, output.Name, "cos.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/CommerceOS.Cli first.", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
