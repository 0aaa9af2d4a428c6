using CommerceOS.Core.Copy;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

public static class LlmCopyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the LLM copy options and, when an LLM is configured (<see cref="IStructuredLlm"/> is
    /// registered, i.e. <c>Providers:Llm:BaseUrl</c> is set), <see cref="LlmCopyEngine"/> keyed <c>"llm"</c>. Call it
    /// after <see cref="LlmServiceCollectionExtensions.AddLlm"/>. Options bind from the host's
    /// <c>IConfiguration</c> and are validated at start. Which engine writes copy is <c>AddCopyProvider</c>'s choice
    /// (<c>Connectors/Copy</c>).
    /// </summary>
    public static IServiceCollection AddLlmCopy(this IServiceCollection services)
    {
        services.AddOptions<LlmCopyOptions>().BindConfiguration(LlmCopyOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmCopyOptions>, LlmCopyOptionsValidator>());

        if (services.Any(d => d.ServiceType == typeof(IStructuredLlm)))
        {
            services.TryAddKeyedSingleton<ICopyEngine, LlmCopyEngine>(LlmCopyEngine.EngineName);
        }

        return services;
    }
}
