using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CommerceOS.Connectors.Llm;

/// <summary>
/// The provider's budget and failure handling around the OpenAI SDK client: every attempt takes a
/// slot from the provider's <see cref="LlmRateLimiter"/>, runs under <c>Timeout</c> measured on the
/// injected clock, and what fails is mapped to <see cref="LlmException"/>; 429
/// <c>rate_limit_exceeded</c> (after its Retry-After), 5xx, wire failures and timeouts are retried up
/// to <c>MaxRetries</c> with jittered exponential back-off. The SDK's own retries are off, so this is
/// the only place that decides.
/// </summary>
public sealed class LlmResilienceChatClient : DelegatingChatClient
{
    /// <summary>Key of <see cref="ChatResponse.AdditionalProperties"/> holding the attempts a call took.</summary>
    public const string AttemptsProperty = "commerceos.llm.attempts";

    private const int MaxDetailLength = 300;

    private readonly LlmOptions _options;
    private readonly LlmRateLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public LlmResilienceChatClient(IChatClient inner, LlmOptions options, LlmRateLimiter limiter, TimeProvider timeProvider, ILogger logger)
        : base(inner)
    {
        _options = options;
        _limiter = limiter;
        _timeProvider = timeProvider;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder().Handle<LlmException>(ShouldRetry),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is LlmException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception as LlmException;
                    _logger.LogWarning(
                        "LLM {Provider} attempt {Attempt} failed ({Failure}): {Detail}; retrying in {Delay}",
                        _options.ProviderName, args.AttemptNumber + 1, failure?.Failure, failure?.Message, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.Build();
    }

    private bool ShouldRetry(LlmException failure) =>
        failure.IsRetryable && (failure.RetryAfter is null || failure.RetryAfter <= _options.MaxRetryAfter);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var attempts = 0;
        var response = await _pipeline.ExecuteAsync(
            async token =>
            {
                attempts++;
                using var lease = await _limiter.AcquireAsync(token);
                using var deadline = new CancellationTokenSource(_options.Timeout, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
                try
                {
                    return await base.GetResponseAsync(list, options, linked.Token);
                }
                catch (Exception ex) when (Map(ex, deadline, token) is { } failure)
                {
                    throw failure;
                }
            },
            cancellationToken);

        response.AdditionalProperties ??= [];
        response.AdditionalProperties[AttemptsProperty] = attempts;
        return response;
    }

    /// <summary>Rate limited and mapped like a call, but not retried: a half-read stream cannot be replayed.</summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var lease = await _limiter.AcquireAsync(cancellationToken);
        using var deadline = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        await using var updates = base.GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }

                update = updates.Current;
            }
            catch (Exception ex) when (Map(ex, deadline, cancellationToken) is { } failure)
            {
                throw failure;
            }

            yield return update;
        }
    }

    /// <summary>Null for the caller's own cancellation (it propagates as is).</summary>
    private LlmException? Map(Exception ex, CancellationTokenSource deadline, CancellationToken callerToken)
    {
        var provider = _options.ProviderName;
        switch (ex)
        {
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return null;
            case OperationCanceledException when deadline.IsCancellationRequested:
                return new LlmException(LlmFailure.Timeout, $"LLM {provider} did not answer within {_options.Timeout} (Providers:Llm:Timeout).", inner: ex);
            case OperationCanceledException:
                // The SDK's or HttpClient's own network timeout.
                return new LlmException(LlmFailure.Timeout, $"LLM {provider} did not answer in time.", inner: ex);
            case ClientResultException { Status: 0 } wire:
                return new LlmException(LlmFailure.Unavailable, $"LLM {provider} could not be reached: {Scrub(wire.InnerException?.Message ?? wire.Message)}", inner: ex);
            case ClientResultException result:
                return FromStatus(result.Status, result.GetRawResponse(), ex);
            case HttpRequestException or IOException:
                return new LlmException(LlmFailure.Unavailable, $"LLM {provider} could not be reached: {Scrub(ex.Message)}", inner: ex);
            case JsonException or FormatException:
                // A 200 whose body the SDK could not read as a chat completion.
                return new LlmException(LlmFailure.Unavailable, $"LLM {provider} answered with a body that is not a chat completion: {Scrub(ex.Message)}", inner: ex);
            default:
                return null;
        }
    }

    private LlmException FromStatus(int status, PipelineResponse? response, Exception ex)
    {
        var (message, code) = ErrorBody(response);
        var provider = _options.ProviderName;
        var detail = message is null ? "" : $": {message}";
        var retryAfter = RetryAfter(response);
        return status switch
        {
            401 or 403 => new LlmException(LlmFailure.Unauthorized, $"LLM {provider} refused the API key ({status}); check Providers:Llm:ApiKey{detail}", inner: ex),
            402 => new LlmException(LlmFailure.QuotaExhausted, $"LLM {provider} account has no credit left (402){detail}", inner: ex),
            // external-apis.md 5.1: only rate_limit_exceeded is retryable; insufficient_quota will not clear by waiting.
            429 when string.Equals(code, "insufficient_quota", StringComparison.Ordinal)
                => new LlmException(LlmFailure.QuotaExhausted, $"LLM {provider} account has no quota left (429 insufficient_quota){detail}", inner: ex),
            429 => new LlmException(LlmFailure.RateLimited, $"LLM {provider} is rate limiting (429){detail}", retryAfter, ex),
            404 => new LlmException(LlmFailure.Rejected, $"LLM {provider} does not know the model or path (404); check Providers:Llm:Model '{_options.Model}' and Providers:Llm:BaseUrl{detail}", inner: ex),
            408 or >= 500 => new LlmException(LlmFailure.Unavailable, $"LLM {provider} answered {status}{detail}", retryAfter, ex),
            _ => new LlmException(LlmFailure.Rejected, $"LLM {provider} rejected the request ({status}){detail}", inner: ex),
        };
    }

    private (string? Message, string? Code) ErrorBody(PipelineResponse? response)
    {
        if (response is null)
        {
            return (null, null);
        }

        string text;
        try
        {
            text = response.Content.ToString();
        }
        catch (InvalidOperationException)
        {
            // Not buffered: the status alone has to do.
            return (null, null);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return (Scrub(error.GetString() ?? ""), null);
                }

                if (error.ValueKind == JsonValueKind.Object)
                {
                    var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
                        : error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    return (message is null ? null : Scrub(message), code);
                }
            }
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: its start is enough to recognise it.
        }

        return (Scrub(text.Trim()), null);
    }

    /// <summary>Retry-After in seconds or as an HTTP date, or OpenAI's <c>retry-after-ms</c>.</summary>
    private TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - _timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Vendors echo parts of a wrong key; the configured key never reaches a message or a log.</summary>
    private string Scrub(string text)
    {
        if (_options.ApiKey is { Length: >= 4 } key)
        {
            text = text.Replace(key, "***", StringComparison.Ordinal);
        }

        return text.Length <= MaxDetailLength ? text : string.Concat(text.AsSpan(0, MaxDetailLength), "…");
    }
}
