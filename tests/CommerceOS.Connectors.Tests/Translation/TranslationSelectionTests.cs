using CommerceOS.Connectors.DeepL;
using CommerceOS.Connectors.Llm;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Translation;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Translation;

public sealed class TranslationSelectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> LlmSettings = new()
    {
        ["Providers:Translation"] = "llm",
        ["Providers:Llm:BaseUrl"] = "http://127.0.0.1:11434/v1",
        ["Providers:Llm:Model"] = "qwen2.5:7b",
    };

    /// <summary>What the engines' AddLocalTranslation registers, without its database.</summary>
    private static void AddMemory(IServiceCollection services, IConfiguration configuration) =>
        services.AddKeyedScoped<ITranslator>(TranslationProvidersOptions.Local, (_, _) => new SellerMemory([]));

    private static void AddTranslation(IServiceCollection services, IConfiguration configuration) => services.AddTranslation(configuration);

    [Fact]
    public async Task LlmWithoutBaseUrl_StopsTheHost_NamingTheKey()
    {
        var message = await ConfiguredHost.StartFailureAsync(new() { ["Providers:Translation"] = "llm" }, AddTranslation);

        Assert.Contains("Providers:Translation is 'llm' but Providers:Llm:BaseUrl is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Llm_IsTheMemoryFirstTranslator_AndKeyed()
    {
        using var host = ConfiguredHost.Build(LlmSettings, AddMemory, AddTranslation);
        await host.StartAsync(Ct);
        await using var scope = host.Services.CreateAsyncScope();

        var translator = Assert.IsType<MemoryFirstTranslator>(scope.ServiceProvider.GetRequiredService<ITranslator>());
        Assert.IsType<LlmTranslator>(translator.Remote);
        Assert.Equal("llm", translator.Name);
        Assert.IsType<LlmTranslator>(scope.ServiceProvider.GetRequiredKeyedService<ITranslator>("llm"));
        Assert.NotNull(scope.ServiceProvider.GetService<IStructuredLlm>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public void Llm_AndTheHostsOwnAddLlm_RegisterTheModelOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(LlmSettings).Build();
        var services = new ServiceCollection();
        services.AddTranslation(configuration);
        services.AddLlm(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(IStructuredLlm));
        Assert.Single(services, d => d.ServiceType == typeof(ITranslator) && !d.IsKeyedService);
    }

    [Fact]
    public async Task DeepL_IsMemoryFirstToo()
    {
        using var host = ConfiguredHost.Build(new() { ["Providers:Translation"] = "deepl", ["DeepL:ApiKey"] = "abc:fx" }, AddTranslation, AddMemory);
        await host.StartAsync(Ct);
        await using var scope = host.Services.CreateAsyncScope();

        var translator = Assert.IsType<MemoryFirstTranslator>(scope.ServiceProvider.GetRequiredService<ITranslator>());
        Assert.IsType<DeepLTranslator>(translator.Remote);
        Assert.Equal("deepl", translator.Name);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task ARemoteProvider_WithoutTheLocalMemory_SaysWhatToRegister()
    {
        using var host = ConfiguredHost.Build(LlmSettings, AddTranslation);
        await host.StartAsync(Ct);
        await using var scope = host.Services.CreateAsyncScope();

        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<ITranslator>());

        Assert.Contains("AddLocalTranslation", error.Message, StringComparison.Ordinal);
        await host.StopAsync(Ct);
    }
}
