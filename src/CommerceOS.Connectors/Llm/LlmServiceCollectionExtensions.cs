using System.ClientModel;
using System.ClientModel.Primitives;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace CommerceOS.Connectors.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient the OpenAI SDK sends through.</summary>
    public const string HttpClientName = "CommerceOS.Llm";

    /// <summary>
    /// Registers the LLM named by <c>Providers:Llm</c>: an <see cref="IChatClient"/> (OpenAI SDK →
    /// rate limit, timeout and retries → usage recording) and <see cref="IStructuredLlm"/> over it.
    /// Without <c>Providers:Llm:BaseUrl</c> neither is registered and callers use the local engines.
    /// Always registers <see cref="LlmUsageLedger"/> as the <see cref="ILlmUsageSink"/> unless another
    /// sink was registered first. Options are validated at start-up, naming each wrong key.
    /// </summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        // AddTranslation calls it for Providers:Translation=llm and the host calls it again: register once.
        if (services.Any(d => d.ServiceType == typeof(LlmRegistration)))
        {
            return services;
        }

        services.AddSingleton<LlmRegistration>();
        var section = configuration.GetSection(LlmOptions.Section);
        services.AddOptions<LlmOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<LlmUsageLedger>();
        services.TryAddSingleton<ILlmUsageSink>(sp => sp.GetRequiredService<LlmUsageLedger>());
        services.TryAddSingleton<ILlmJobUsage>(sp => sp.GetRequiredService<LlmUsageLedger>());

        if (string.IsNullOrWhiteSpace(section[nameof(LlmOptions.BaseUrl)]))
        {
            // Off (or half-configured, which ValidateOnStart reports).
            return services;
        }

        // Our timeout runs per attempt on the injected clock; HttpClient's 100 s default would cut a
        // long generation short of it.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The key travels in a header: never follow a redirect to another host with it.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // The SDK keeps one HttpClient for the process: recycle connections so DNS changes are seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RedactLoggedHeaders(_ => true);

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            return new LlmRateLimiter(options.RequestsPerMinute, options.MaxConcurrency, sp.GetRequiredService<TimeProvider>());
        });

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            var timeProvider = sp.GetRequiredService<TimeProvider>();
            var openAi = new OpenAIClient(
                // Keyless local servers still need a non-empty credential for the SDK; it is ignored.
                new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "none" : options.ApiKey),
                new OpenAIClientOptions
                {
                    Endpoint = new Uri(options.BaseUrl!),
                    Transport = new HttpClientPipelineTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)),
                    // Retries and deadlines are ours (on the injected clock, honouring Retry-After).
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(30),
                });
            return new ChatClientBuilder(openAi.GetChatClient(options.Model).AsIChatClient())
                .Use(inner => new LlmUsageChatClient(inner, options, sp.GetRequiredService<ILlmUsageSink>(), timeProvider))
                .Use(inner => new LlmResilienceChatClient(
                    inner, options, sp.GetRequiredService<LlmRateLimiter>(), timeProvider, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LlmResilienceChatClient>()))
                .Build(sp);
        });

        services.TryAddSingleton<IStructuredLlm, StructuredLlm>();
        return services;
    }

    /// <summary>Marks a collection <see cref="AddLlm"/> has already filled.</summary>
    private sealed class LlmRegistration;
}
