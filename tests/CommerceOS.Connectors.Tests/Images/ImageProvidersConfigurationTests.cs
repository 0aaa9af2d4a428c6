using CommerceOS.Connectors.Fal;
using CommerceOS.Connectors.Flux;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Tests.Images;

public sealed class ImageProvidersConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(Dictionary<string, string?> settings) => ConfiguredHost.Build(settings, (services, configuration) => services.AddImageProviders(configuration));

    private static Task<string> StartFailureAsync(Dictionary<string, string?> settings) =>
        ConfiguredHost.StartFailureAsync(settings, (services, configuration) => services.AddImageProviders(configuration));

    [Fact]
    public async Task Local_IsTheDefault_AndRegistersNoRemoteProvider()
    {
        using var host = BuildHost([]);
        await host.StartAsync(Ct);

        Assert.Null(host.Services.GetService<IImageProvider>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task UnknownProvider_StopsTheHost_NamingTheKey()
    {
        var message = await StartFailureAsync(new() { ["Providers:Images"] = "midjourney" });

        Assert.Contains("Providers:Images must be 'local', 'flux' or 'fal', not 'midjourney'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FluxWithoutKey_StopsTheHost_SayingWhereTheKeyComesFrom()
    {
        var message = await StartFailureAsync(new() { ["Providers:Images"] = "flux" });

        Assert.Contains("Flux:ApiKey is empty", message, StringComparison.Ordinal);
        Assert.Contains("Flux__ApiKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FalWithoutKey_StopsTheHost()
    {
        var message = await StartFailureAsync(new() { ["Providers:Images"] = "fal", ["Fal:ApiKey"] = " " });

        Assert.Contains("Fal:ApiKey is empty", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://queue.fal.run")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("queue.fal.run")]
    public async Task NonHttpsBaseUrl_StopsTheHost(string url)
    {
        var message = await StartFailureAsync(new() { ["Providers:Images"] = "fal", ["Fal:ApiKey"] = "k", ["Fal:QueueBaseUrl"] = url });

        Assert.Contains("Fal:QueueBaseUrl must be an absolute https:// URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathTraversingModelAndBadIntervals_StopTheHost()
    {
        var message = await StartFailureAsync(new()
        {
            ["Providers:Images"] = "flux",
            ["Flux:ApiKey"] = "k",
            ["Flux:TextModel"] = "../admin",
            ["Flux:PollInterval"] = "00:00:00",
        });

        Assert.Contains("Flux:TextModel must be a model id", message, StringComparison.Ordinal);
        Assert.Contains("Flux:PollInterval must be positive", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flux_WithKeyAndLoopbackHttp_StartsAndResolvesTheFluxProvider()
    {
        using var host = BuildHost(new() { ["Providers:Images"] = "FLUX", ["Flux:ApiKey"] = "k", ["Flux:BaseUrl"] = "http://127.0.0.1:9" });
        await host.StartAsync(Ct);

        var provider = host.Services.GetRequiredService<IImageProvider>();
        Assert.IsType<FluxImageProvider>(provider);
        Assert.Equal("flux", provider.Name);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Fal_WithKey_StartsWithDocumentedDefaults()
    {
        using var host = BuildHost(new() { ["Providers:Images"] = "fal", ["Fal:ApiKey"] = "id:secret" });
        await host.StartAsync(Ct);

        Assert.IsType<FalImageProvider>(host.Services.GetRequiredService<IImageProvider>());
        var options = host.Services.GetRequiredService<IOptions<FalOptions>>().Value;
        Assert.Equal("https://queue.fal.run", options.QueueBaseUrl);
        Assert.Equal("fal-ai/flux-pro/v1.1", options.TextModel);
        Assert.Equal("fal-ai/flux-pro/kontext", options.EditModel);
        Assert.Equal("fal-ai/birefnet/v2", options.BackgroundRemovalModel);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Timeout);
        await host.StopAsync(Ct);
    }
}
