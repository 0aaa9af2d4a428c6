namespace CommerceOS.Core.Llm;

/// <summary>Why an LLM call failed after its retries, in our words. Each has a resource key in <see cref="LlmErrors"/>.</summary>
public enum LlmFailure
{
    /// <summary>429 <c>rate_limit_exceeded</c> still after the retries, or a Retry-After too long to sleep.</summary>
    RateLimited = 0,
    /// <summary>5xx, connection failure or an unreadable body, still after the retries.</summary>
    Unavailable = 1,
    /// <summary>No answer within <c>Providers:Llm:Timeout</c>, still after the retries.</summary>
    Timeout = 2,
    /// <summary>401/403: wrong or missing key. Not retried.</summary>
    Unauthorized = 3,
    /// <summary>429 <c>insufficient_quota</c> or 402: the account has no credit. Not retried.</summary>
    QuotaExhausted = 4,
    /// <summary>400/404/422: the request or the model name was refused. Not retried.</summary>
    Rejected = 5,
}

public static class LlmErrors
{
    public static string Code(LlmFailure failure) => failure switch
    {
        LlmFailure.RateLimited => "llm.provider.rate_limited",
        LlmFailure.Unavailable => "llm.provider.unavailable",
        LlmFailure.Timeout => "llm.provider.timeout",
        LlmFailure.Unauthorized => "llm.provider.unauthorized",
        LlmFailure.QuotaExhausted => "llm.provider.quota_exhausted",
        LlmFailure.Rejected => "llm.provider.rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>The reply is not JSON at all (or is cut off).</summary>
    public const string MalformedJson = "llm.output.malformed_json";

    /// <summary>The reply is JSON but does not match the requested shape.</summary>
    public const string SchemaViolation = "llm.output.schema_violation";

    /// <summary>The model stopped at its output-token limit.</summary>
    public const string Truncated = "llm.output.truncated";

    /// <summary>The provider's content filter or the model refused to answer.</summary>
    public const string Refused = "llm.output.refused";

    /// <summary>The reply had no text.</summary>
    public const string Empty = "llm.output.empty";
}

/// <summary>
/// A provider failure left after the retries. The message is for logs and operators (English, never
/// the key); show the seller <see cref="Code"/>.
/// </summary>
public sealed class LlmException(LlmFailure failure, string detail, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public LlmFailure Failure { get; } = failure;

    public string Code => LlmErrors.Code(Failure);

    /// <summary>When the provider said when to come back (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Retrying the job later can help.</summary>
    public bool IsRetryable => Failure is LlmFailure.RateLimited or LlmFailure.Unavailable or LlmFailure.Timeout;
}
