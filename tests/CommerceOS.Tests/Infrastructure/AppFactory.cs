using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Infrastructure;

/// <summary>
/// The real CommerceOS host (Program) on an in-memory server, against a fresh <see cref="TestDatabase"/>
/// built from the real migrations and a private data folder. Clients talk https so that the
/// <c>__Host-</c> cookies behave as in a browser.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    static AppFactory()
    {
        // Dozens of hosts run at once in this process, and each would hold inotify instances (appsettings.json reloads, the
        // web root watched for asp-append-version), of which Linux allows 128 per user by default: past that, pages answer
        // 500. Tests never edit those files, so configuration is not reloaded and file providers poll instead.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }

    private AppFactory(TestDatabase database, string dataDirectory, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _services = services;
        Database = database;
        DataDirectory = dataDirectory;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Database:MigrateOnStart"] = "false",
            ["CommerceOS:DataDirectory"] = dataDirectory,
            ["Accounts:PasswordHashing:Cost"] = "4",
            ["Accounts:PasswordHashing:AllowLowCostForTests"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["RateLimits:AuthPerMinute"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TestDatabase Database { get; }

    public string DataDirectory { get; }

    /// <param name="services">Replaces services after the host's own registrations (e.g. a FakeTimeProvider).</param>
    public static async Task<AppFactory> StartAsync(DatabaseKind kind, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var factory = new AppFactory(database, dataDirectory, settings, services);
        try
        {
            factory.StartServer();
        }
        catch
        {
            // A host that refuses to start (e.g. a configuration test) still cleans up its database.
            await factory.DisposeAsync();
            throw;
        }

        return factory;
    }

    public HttpClient CreateBrowserClient(bool followRedirects = false) => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = followRedirects,
        HandleCookies = true,
    });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the temp folder is cleaned by the OS.
        }
    }
}
