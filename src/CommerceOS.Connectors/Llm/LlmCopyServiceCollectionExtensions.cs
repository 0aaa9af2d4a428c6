using CommerceOS.Core.Copy;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

public static class LlmCopyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Providers:Copy</c> selection and, when an LLM is configured (<see cref="IStructuredLlm"/> is
    /// registered, i.e. <c>Providers:Llm:BaseUrl</c> is set), <see cref="LlmCopyEngine"/> keyed <c>"llm"</c>. Call it
    /// after <see cref="LlmServiceCollectionExtensions.AddLlm"/>. Options bind from the host's
    /// <c>IConfiguration</c> and are validated at start: <c>llm</c> without an LLM stops the host naming
    /// <c>Providers:Llm:BaseUrl</c>. The local engine is registered keyed <c>"local"</c> elsewhere.
    /// </summary>
    public static IServiceCollection AddLlmCopy(this IServiceCollection services)
    {
        services.AddOptions<CopyProvidersOptions>().BindConfiguration(CopyProvidersOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CopyProvidersOptions>, CopyProvidersOptionsValidator>());
        services.AddOptions<LlmCopyOptions>().BindConfiguration(LlmCopyOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmCopyOptions>, LlmCopyOptionsValidator>());

        if (services.Any(d => d.ServiceType == typeof(IStructuredLlm)))
        {
            services.TryAddKeyedSingleton<ICopyEngine, LlmCopyEngine>(LlmCopyEngine.EngineName);
        }

        return services;
    }

    /// <summary>The engine <c>Providers:Copy</c> selects (start-up validation has made sure it is registered).</summary>
    public static ICopyEngine GetSelectedCopyEngine(this IServiceProvider services) =>
        services.GetRequiredKeyedService<ICopyEngine>(services.GetRequiredService<IOptions<CopyProvidersOptions>>().Value.Engine);
}
