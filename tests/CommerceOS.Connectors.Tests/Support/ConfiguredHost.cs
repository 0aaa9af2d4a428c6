using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Tests.Support;

/// <summary>A bare host with in-memory settings and the registrations under test: how start-up validation is exercised.</summary>
internal static class ConfiguredHost
{
    public static IHost Build(Dictionary<string, string?> settings, params Action<IServiceCollection, IConfiguration>[] registrations)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        foreach (var register in registrations)
        {
            register(builder.Services, builder.Configuration);
        }

        return builder.Build();
    }

    /// <summary>The message of the options validation that stops the host at start.</summary>
    public static async Task<string> StartFailureAsync(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        using var host = Build(settings, register);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        return error.Message;
    }
}
