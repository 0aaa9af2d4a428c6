using CommerceOS.Connectors.DeepL;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Translation;
using CommerceOS.Connectors.Translation;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CommerceOS.Connectors.Tests.DeepL;

public sealed class TranslationConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(Dictionary<string, string?> settings) => ConfiguredHost.Build(settings, (services, configuration) => services.AddTranslation(configuration));

    private static Task<string> StartFailureAsync(Dictionary<string, string?> settings) =>
        ConfiguredHost.StartFailureAsync(settings, (services, configuration) => services.AddTranslation(configuration));

    [Fact]
    public async Task Local_IsTheDefault_AndRegistersNoRemoteTranslator()
    {
        using var host = BuildHost([]);
        await host.StartAsync(Ct);

        Assert.Null(host.Services.GetService<ITranslator>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task DeepL_IsTheTranslator_BehindTheMemory_AndKeyed()
    {
        using var host = ConfiguredHost.Build(
            new() { ["Providers:Translation"] = "DeepL", ["DeepL:ApiKey"] = "abc:fx" },
            (services, configuration) => services.AddTranslation(configuration),
            (services, _) => services.AddKeyedScoped<ITranslator>(TranslationProvidersOptions.Local, (_, _) => new SellerMemory([])));
        await host.StartAsync(Ct);
        await using var scope = host.Services.CreateAsyncScope();

        var translator = Assert.IsType<MemoryFirstTranslator>(scope.ServiceProvider.GetRequiredService<ITranslator>());
        Assert.IsType<DeepLTranslator>(translator.Remote);
        Assert.IsType<DeepLTranslator>(host.Services.GetRequiredKeyedService<ITranslator>("deepl"));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task UnknownProvider_StopsTheHost_NamingTheKey()
    {
        var message = await StartFailureAsync(new() { ["Providers:Translation"] = "babelfish" });

        Assert.Contains("Providers:Translation must be 'local', 'deepl' or 'llm', not 'babelfish'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepLWithoutKey_StopsTheHost_SayingWhereTheKeyComesFrom()
    {
        var message = await StartFailureAsync(new() { ["Providers:Translation"] = "deepl" });

        Assert.Contains("DeepL:ApiKey is empty", message, StringComparison.Ordinal);
        Assert.Contains("DeepL__ApiKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadBaseUrlVariantAndLimits_StopTheHost()
    {
        var message = await StartFailureAsync(new()
        {
            ["Providers:Translation"] = "deepl",
            ["DeepL:ApiKey"] = "k",
            ["DeepL:BaseUrl"] = "http://api.deepl.com",
            ["DeepL:EnglishVariant"] = "EN-AU",
            ["DeepL:MaxTextsPerRequest"] = "51",
            ["DeepL:MaxRequestBytes"] = "200000",
        });

        Assert.Contains("DeepL:BaseUrl must be an absolute https:// URL", message, StringComparison.Ordinal);
        Assert.Contains("DeepL:EnglishVariant must be 'EN-US' or 'EN-GB'", message, StringComparison.Ordinal);
        Assert.Contains("DeepL:MaxTextsPerRequest must be between 1 and 50", message, StringComparison.Ordinal);
        Assert.Contains("DeepL:MaxRequestBytes must be between 1024 and 131072", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0f6a-key:fx", null, "https://api-free.deepl.com")]
    [InlineData("0f6a-key", null, "https://api.deepl.com")]
    [InlineData("0f6a-key:fx", "https://deepl-proxy.example/", "https://deepl-proxy.example")]
    public void Host_FollowsTheKeySuffix_UnlessConfigured(string key, string? baseUrl, string expected)
    {
        Assert.Equal(expected, new DeepLOptions { ApiKey = key, BaseUrl = baseUrl }.ResolvedBaseUrl);
    }
}
