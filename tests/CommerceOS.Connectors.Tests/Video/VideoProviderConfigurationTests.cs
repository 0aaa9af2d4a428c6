using CommerceOS.Connectors.Images;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Video;

public sealed class VideoProviderConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<string> StartFailureAsync(Dictionary<string, string?> settings) =>
        ConfiguredHost.StartFailureAsync(settings, (services, configuration) => services.AddVideoProvider(configuration));

    [Fact]
    public async Task Local_IsTheDefault_AndRegistersNoRemoteProvider()
    {
        using var host = ConfiguredHost.Build([], (services, configuration) => services.AddVideoProvider(configuration));
        await host.StartAsync(Ct);

        Assert.Null(host.Services.GetService<IVideoProvider>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task UnknownProvider_StopsTheHost_NamingTheKey()
    {
        var message = await StartFailureAsync(new() { ["Providers:Video"] = "sora" });

        Assert.Contains("Providers:Video must be 'local', 'kling', 'veo' or 'fal', not 'sora'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KlingWithoutKeys_StopsTheHost_NamingBoth()
    {
        var message = await StartFailureAsync(new() { ["Providers:Video"] = "Kling", ["Kling:Mode"] = "turbo" });

        Assert.Contains("Kling:AccessKey is empty but Providers:Video selects this provider", message, StringComparison.Ordinal);
        Assert.Contains("Kling__SecretKey", message, StringComparison.Ordinal);
        Assert.Contains("Kling:Mode must be 'std' or 'pro'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VeoWithoutKey_OrWithAPlainHttpHost_StopsTheHost()
    {
        var message = await StartFailureAsync(new() { ["Providers:Video"] = "veo", ["Veo:BaseUrl"] = "http://generativelanguage.googleapis.com/v1beta", ["Veo:Resolution"] = "4k" });

        Assert.Contains("Veo:ApiKey is empty", message, StringComparison.Ordinal);
        Assert.Contains("Veo:BaseUrl must be an absolute https:// URL", message, StringComparison.Ordinal);
        Assert.Contains("Veo:Resolution must be '720p' or '1080p'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FalWithoutKey_OrWithABadVideoModel_StopsTheHost()
    {
        var message = await StartFailureAsync(new() { ["Providers:Video"] = "fal", ["Fal:VideoModel"] = "fal-ai/../admin", ["Fal:VideoTimeout"] = "00:00:05" });

        Assert.Contains("Fal:ApiKey is empty but Providers:Images or Providers:Video selects this provider", message, StringComparison.Ordinal);
        Assert.Contains("Fal:VideoModel must be a model id", message, StringComparison.Ordinal);
        Assert.Contains("Fal:VideoTimeout must be positive and at least Fal:VideoPollInterval", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kling", "Kling")]
    [InlineData("veo", "Veo")]
    public async Task VideoDefaults_PollEvery10Seconds_AndGiveUpAfter15Minutes(string provider, string section)
    {
        using var host = ConfiguredHost.Build(
            new()
            {
                ["Providers:Video"] = provider,
                [$"{section}:ApiKey"] = "k",
                [$"{section}:AccessKey"] = "ak",
                [$"{section}:SecretKey"] = "sk",
            },
            (services, configuration) => services.AddVideoProvider(configuration));
        await host.StartAsync(Ct);

        var video = host.Services.GetRequiredService<IVideoProvider>();
        Assert.Equal(provider, video.Name);
        Assert.Equal(TimeSpan.FromSeconds(10), video.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(15), video.Timeout);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task FalForImagesAndVideo_ShareTheSection_AndKeepTheirOwnPacing()
    {
        using var host = ConfiguredHost.Build(
            new() { ["Providers:Images"] = "fal", ["Providers:Video"] = "fal", ["Fal:ApiKey"] = "k", ["Fal:VideoPollInterval"] = "00:00:08" },
            (services, configuration) => services.AddImageProviders(configuration),
            (services, configuration) => services.AddVideoProvider(configuration));
        await host.StartAsync(Ct);

        Assert.Equal("fal", host.Services.GetRequiredService<IImageProvider>().Name);
        var video = host.Services.GetRequiredService<IVideoProvider>();
        Assert.Equal(TimeSpan.FromSeconds(8), video.PollInterval);
        await host.StopAsync(Ct);
    }
}
