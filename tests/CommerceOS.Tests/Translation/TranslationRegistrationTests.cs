using CommerceOS.Connectors.DeepL;
using CommerceOS.Connectors.Translation;
using CommerceOS.Core.Translation;
using CommerceOS.Engines.Translation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommerceOS.Tests.Translation;

public sealed class TranslationRegistrationTests
{
    private static ServiceCollection Register(Dictionary<string, string?> settings, bool deeplFirst)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (deeplFirst)
        {
            services.AddTranslation(configuration);
            services.AddLocalTranslation(configuration);
        }
        else
        {
            services.AddLocalTranslation(configuration);
            services.AddTranslation(configuration);
        }

        return services;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DeepLSelected_IsTheTranslator_InEitherRegistrationOrder_AndLocalStaysKeyed(bool deeplFirst)
    {
        var services = Register(new() { ["Providers:Translation"] = "deepl", ["DeepL:ApiKey"] = "k:fx" }, deeplFirst);

        var translator = Assert.Single(services, d => d.ServiceType == typeof(ITranslator) && !d.IsKeyedService);
        // Scoped: it is the memory-first translator, which reads the workspace's memory.
        Assert.Equal(ServiceLifetime.Scoped, translator.Lifetime);
        Assert.Contains(services, d => d.ServiceType == typeof(ITranslator) && d.IsKeyedService && Equals(d.ServiceKey, LocalTranslator.EngineName));
        Assert.Contains(services, d => d.ServiceType == typeof(ITranslator) && d.IsKeyedService && Equals(d.ServiceKey, DeepLTranslator.ProviderName));
    }

    [Fact]
    public void LocalByDefault_IsTheScopedTranslator()
    {
        var services = Register([], deeplFirst: false);

        var translator = Assert.Single(services, d => d.ServiceType == typeof(ITranslator) && !d.IsKeyedService);
        Assert.Equal(ServiceLifetime.Scoped, translator.Lifetime);
        Assert.Contains(services, d => d.ServiceType == typeof(LearnTranslation));
    }

    [Theory]
    [InlineData("0.3")]
    [InlineData("1.5")]
    public async Task FuzzyThresholdOutOfRange_StopsTheHost(string threshold)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["TranslationMemory:FuzzyThreshold"] = threshold });
        builder.Services.AddLocalTranslation(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("TranslationMemory:FuzzyThreshold must be between 0.5 and 1.0", error.Message, StringComparison.Ordinal);
    }
}
