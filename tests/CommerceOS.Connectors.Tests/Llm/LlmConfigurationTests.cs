using CommerceOS.Connectors.Images;
using CommerceOS.Connectors.Llm;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.AI;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Tests.Llm;

public sealed class LlmConfigurationTests
{
    private const string Secret = "sk-live-0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(Dictionary<string, string?> settings) => ConfiguredHost.Build(settings, (services, configuration) => services.AddLlm(configuration));

    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        var message = await ConfiguredHost.StartFailureAsync(settings, (services, configuration) => services.AddLlm(configuration));
        Assert.DoesNotContain(Secret, message, StringComparison.Ordinal);
        return message;
    }

    private static Dictionary<string, string?> Remote() => new()
    {
        ["Providers:Llm:BaseUrl"] = "https://api.deepseek.com/v1",
        ["Providers:Llm:Model"] = "deepseek-chat",
        ["Providers:Llm:ApiKey"] = Secret,
    };

    [Fact]
    public async Task NoSection_IsTheDefault_AndRegistersNoLlm()
    {
        using var host = BuildHost([]);
        await host.StartAsync(Ct);

        Assert.Null(host.Services.GetService<IChatClient>());
        Assert.Null(host.Services.GetService<IStructuredLlm>());
        Assert.IsType<LlmUsageLedger>(host.Services.GetRequiredService<ILlmUsageSink>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task ARemoteProvider_StartsWithTheDefaults_AndRegistersThePipeline()
    {
        using var host = BuildHost(Remote());
        await host.StartAsync(Ct);

        var chat = host.Services.GetRequiredService<IChatClient>();
        Assert.NotNull(chat.GetService<LlmUsageChatClient>());
        Assert.NotNull(chat.GetService<LlmResilienceChatClient>());
        Assert.Equal("deepseek-chat", host.Services.GetRequiredService<IStructuredLlm>().Model);
        var options = host.Services.GetRequiredService<IOptions<LlmOptions>>().Value;
        Assert.Equal((60, 4, TimeSpan.FromMinutes(2), LlmJsonMode.JsonSchema, "USD"), (options.RequestsPerMinute, options.MaxConcurrency, options.Timeout, options.JsonMode, options.Currency));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task AKeylessServerOnThePrivateNetwork_MayUsePlainHttp()
    {
        using var host = BuildHost(new()
        {
            ["Providers:Llm:BaseUrl"] = "http://gpu-box.lan:8000/v1",
            ["Providers:Llm:Model"] = "Qwen/Qwen2.5-7B-Instruct",
            ["Providers:Llm:JsonMode"] = "JsonObject",
        });
        await host.StartAsync(Ct);

        Assert.NotNull(host.Services.GetService<IStructuredLlm>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task KeyOrModelWithoutBaseUrl_StopsTheHost()
    {
        var message = await StartFailureAsync(new() { ["Providers:Llm:ApiKey"] = Secret, ["Providers:Llm:Model"] = "gpt-4.1-mini" });

        Assert.Contains("Providers:Llm:BaseUrl is empty but Providers:Llm:Model or Providers:Llm:ApiKey is set", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteHttpsWithoutKey_StopsTheHost_SayingWhereTheKeyComesFrom()
    {
        var message = await StartFailureAsync(Remote().With("ApiKey", " "));

        Assert.Contains("Providers:Llm:ApiKey is empty", message, StringComparison.Ordinal);
        Assert.Contains("Providers__Llm__ApiKey", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.deepseek.com/v1", "must use https:// when Providers:Llm:ApiKey is set")]
    [InlineData("api.deepseek.com/v1", "must be an absolute http(s) URL")]
    [InlineData("ftp://127.0.0.1/v1", "must be an absolute http(s) URL")]
    [InlineData("https://user:pass@api.deepseek.com/v1", "must be an absolute http(s) URL")]
    public async Task AKeyOverPlainHttpOrABadUrl_StopsTheHost(string url, string expected)
    {
        var message = await StartFailureAsync(Remote().With("BaseUrl", url));

        Assert.Contains("Providers:Llm:BaseUrl " + expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpToLoopback_IsAllowedWithAKey()
    {
        using var host = BuildHost(Remote().With("BaseUrl", "http://localhost:11434/v1"));
        await host.StartAsync(Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task OutOfRangeNumbers_StopTheHost_EachNamingItsKey()
    {
        var message = await StartFailureAsync(Remote()
            .With("Model", "")
            .With("RequestsPerMinute", "0")
            .With("MaxConcurrency", "0")
            .With("Timeout", "00:00:00")
            .With("MaxRetries", "11")
            .With("OutputPricePerMillionTokens", "-1")
            .With("Currency", "usd"));

        Assert.Contains("Providers:Llm:Model must name the model", message, StringComparison.Ordinal);
        Assert.Contains("Providers:Llm:RequestsPerMinute must be between 1 and 100000", message, StringComparison.Ordinal);
        Assert.Contains("Providers:Llm:MaxConcurrency must be between 1 and 1000", message, StringComparison.Ordinal);
        Assert.Contains("Providers:Llm:Timeout must be positive", message, StringComparison.Ordinal);
        Assert.Contains("Providers:Llm:MaxRetries must be between 0 and 10", message, StringComparison.Ordinal);
        Assert.Contains("Providers:Llm:InputPricePerMillionTokens and Providers:Llm:OutputPricePerMillionTokens must not be negative", message, StringComparison.Ordinal);
        Assert.Contains("Providers:Llm:Currency must be an ISO 4217 code", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheImagesProviderValue_AndTheLlmSection_ShareTheProvidersParent()
    {
        // Providers:Images is a value and Providers:Llm a section under the same parent.
        using var host = ConfiguredHost.Build(
            new Dictionary<string, string?>(Remote()) { ["Providers:Images"] = "local" },
            (services, configuration) => services.AddImageProviders(configuration),
            (services, configuration) => services.AddLlm(configuration));

        await host.StartAsync(Ct);

        Assert.NotNull(host.Services.GetService<IStructuredLlm>());
        await host.StopAsync(Ct);
    }
}
