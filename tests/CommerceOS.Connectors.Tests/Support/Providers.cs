using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Support;

/// <summary>Builds the provider exactly as the host does: AddImageProviders (or another registration) over configuration.</summary>
public static class Providers
{
    public static ServiceProvider Build(TimeProvider clock, IDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? register = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        (register ?? ((s, c) => s.AddImageProviders(c)))(services, configuration);
        return services.BuildServiceProvider(validateScopes: true);
    }

    public static Dictionary<string, string?> Flux(FakeBflServer fake, string key = FakeBflServer.Key) => new()
    {
        ["Providers:Images"] = "flux",
        ["Flux:ApiKey"] = key,
        ["Flux:BaseUrl"] = fake.BaseUrl,
        // Production defaults for interval, deadline and back-off (the clock runs 100x); only the
        // per-attempt timeout is widened so a busy CI machine cannot trip it.
        ["Flux:AttemptTimeout"] = "00:10:00",
    };

    public static Dictionary<string, string?> Fal(FakeFalServer fake, string key = FakeFalServer.Key) => new()
    {
        ["Providers:Images"] = "fal",
        ["Fal:ApiKey"] = key,
        ["Fal:QueueBaseUrl"] = fake.BaseUrl,
        ["Fal:AttemptTimeout"] = "00:10:00",
    };

    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string key, string? value)
    {
        settings[key] = value;
        return settings;
    }

    public static IImageProvider ImageProvider(this ServiceProvider services) => services.GetRequiredService<IImageProvider>();
}

/// <summary>The resolved provider with its container, disposed together.</summary>
public sealed class ProviderScope(ServiceProvider services) : IAsyncDisposable
{
    public IImageProvider Provider { get; } = services.GetRequiredService<IImageProvider>();

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
