using System.Runtime.CompilerServices;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.AI;

namespace CommerceOS.Connectors.Llm;

/// <summary>
/// Records the tokens and cost of every successful call with <see cref="ILlmUsageSink"/>, against the
/// job the caller named with <see cref="LlmChatOptions.ForJob"/>. Outermost in the pipeline, so a call
/// is recorded once however many attempts it took.
/// </summary>
public sealed class LlmUsageChatClient(IChatClient inner, LlmOptions settings, ILlmUsageSink sink, TimeProvider timeProvider)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (jobId, forwarded) = LlmChatOptions.TakeJobId(options);
        var started = timeProvider.GetTimestamp();
        var response = await base.GetResponseAsync(messages, forwarded, cancellationToken);
        var attempts = response.AdditionalProperties?.TryGetValue(LlmResilienceChatClient.AttemptsProperty, out var value) == true && value is int n ? n : 1;
        var usage = Usage(jobId, response.Usage, attempts, timeProvider.GetElapsedTime(started));
        sink.Record(usage);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[LlmChatOptions.UsageProperty] = usage;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (jobId, forwarded) = LlmChatOptions.TakeJobId(options);
        var started = timeProvider.GetTimestamp();
        UsageDetails? total = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, forwarded, cancellationToken))
        {
            foreach (var content in update.Contents)
            {
                if (content is UsageContent usage)
                {
                    total ??= new UsageDetails();
                    total.Add(usage.Details);
                }
            }

            yield return update;
        }

        sink.Record(Usage(jobId, total, 1, timeProvider.GetElapsedTime(started)));
    }

    private LlmUsage Usage(Guid? jobId, UsageDetails? details, int attempts, TimeSpan duration)
    {
        var input = details?.InputTokenCount;
        var output = details?.OutputTokenCount;
        return new LlmUsage(
            jobId,
            settings.ProviderName,
            settings.Model ?? "",
            input,
            output,
            input is null && output is null ? null : settings.CostOf(input, output),
            settings.Currency,
            attempts,
            duration,
            timeProvider.GetUtcNow());
    }
}

/// <summary>How callers of the registered <see cref="IChatClient"/> attach a job to a call.</summary>
public static class LlmChatOptions
{
    /// <summary>Key of <see cref="ChatOptions.AdditionalProperties"/>; removed before the request is built.</summary>
    public const string JobIdProperty = "commerceos.llm.job_id";

    /// <summary>Key of <see cref="ChatResponse.AdditionalProperties"/> holding the call's <see cref="LlmUsage"/>.</summary>
    public const string UsageProperty = "commerceos.llm.usage";

    /// <summary>Records this call's usage against <paramref name="jobId"/>.</summary>
    public static ChatOptions ForJob(this ChatOptions options, Guid? jobId)
    {
        if (jobId is { } id)
        {
            options.AdditionalProperties ??= [];
            options.AdditionalProperties[JobIdProperty] = id;
        }

        return options;
    }

    public static LlmUsage? GetLlmUsage(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(UsageProperty, out var value) == true ? value as LlmUsage : null;

    /// <summary>
    /// The job id, and options without it: the caller's object is left as it was, and the key never
    /// travels to the provider as an extra request field.
    /// </summary>
    internal static (Guid? JobId, ChatOptions? Forwarded) TakeJobId(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(JobIdProperty, out var value))
        {
            return (null, options);
        }

        var clone = options.Clone();
        clone.AdditionalProperties = new AdditionalPropertiesDictionary(properties.Where(p => p.Key != JobIdProperty));
        if (clone.AdditionalProperties.Count == 0)
        {
            clone.AdditionalProperties = null;
        }

        return (value as Guid?, clone);
    }
}
