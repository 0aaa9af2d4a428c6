namespace CommerceOS.Core.Llm;

/// <summary>
/// One broken rule: <see cref="Rule"/> is a stable code that is also a resource key (what the seller
/// sees), <see cref="Detail"/> is plain English for the model's repair prompt (and logs), and
/// <see cref="Path"/> points into the JSON (<c>$.bullets[2]</c>) when the rule is about one field.
/// </summary>
public sealed record LlmRuleFailure(string Rule, string Detail, string? Path = null);

/// <summary>
/// A request for JSON shaped like a C# record.
/// </summary>
/// <param name="SchemaName">Name sent with the JSON schema (letters, digits, '_' and '-').</param>
/// <param name="MaxAttempts">Calls at most: the first plus repairs, each told the previous failures.</param>
/// <param name="JobId">Usage of every attempt is recorded against this job.</param>
public sealed record StructuredLlmRequest(
    string SystemPrompt,
    string UserPrompt,
    string SchemaName,
    int MaxAttempts = 3,
    Guid? JobId = null,
    float? Temperature = null,
    int? MaxOutputTokens = null);

/// <summary>
/// Either <see cref="Value"/> (valid JSON of the right shape that also passed the caller's rules) or
/// the <see cref="Failures"/> of the last attempt, so the seller sees exactly which rule failed.
/// </summary>
public sealed record StructuredLlmResult<T>(T? Value, IReadOnlyList<LlmRuleFailure> Failures, int Attempts, LlmUsageTotals Usage)
    where T : class
{
    public bool Succeeded => Value is not null && Failures.Count == 0;
}

/// <summary>
/// Asks the configured LLM for JSON matching a C# record and repairs it in a bounded
/// loop. Registered only when <c>Providers:Llm</c> is configured; callers fall back to local
/// engines when it is absent. Provider failures after retries throw <see cref="LlmException"/>.
/// </summary>
public interface IStructuredLlm
{
    /// <summary>The configured model, for provenance.</summary>
    string Model { get; }

    /// <param name="validate">
    /// The caller's rules (lengths, banned words, traced claims...), run on every well-formed reply;
    /// an empty list accepts it.
    /// </param>
    Task<StructuredLlmResult<T>> GenerateAsync<T>(
        StructuredLlmRequest request,
        Func<T, IReadOnlyList<LlmRuleFailure>>? validate,
        CancellationToken cancellationToken)
        where T : class;
}
