using CommerceOS.Connectors.Llm;
using CommerceOS.Core.Copy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Copy;

public static class CopyProviderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ICopyEngine"/> that <c>Providers:Copy</c> selects: <c>local</c> (default, the engines'
    /// <c>AddLocalCopy</c>, keyed <c>"local"</c>) or <c>llm</c> (<see cref="LlmCopyEngine"/>, registered here when an LLM
    /// is configured). Call it after <c>AddLocalCopy</c> and <c>AddLlm</c>; <c>llm</c> without an LLM stops the host at
    /// start naming <c>Providers:Llm:BaseUrl</c>.
    /// </summary>
    public static IServiceCollection AddCopyProvider(this IServiceCollection services)
    {
        services.AddOptions<CopyProvidersOptions>().BindConfiguration(CopyProvidersOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CopyProvidersOptions>, CopyProvidersOptionsValidator>());
        services.AddLlmCopy();
        // Registered last, so the copy jobs get the selected engine whatever else registered an ICopyEngine.
        services.AddSingleton<ICopyEngine>(sp => sp.GetSelectedCopyEngine());
        return services;
    }

    /// <summary>The engine <c>Providers:Copy</c> selects (start-up validation has made sure it is registered).</summary>
    public static ICopyEngine GetSelectedCopyEngine(this IServiceProvider services) =>
        services.GetRequiredKeyedService<ICopyEngine>(services.GetRequiredService<IOptions<CopyProvidersOptions>>().Value.Engine);
}
