namespace CommerceOS.Core.Llm;

/// <summary>
/// What one successful LLM call consumed. Token counts are null when the server reported no
/// <c>usage</c> (some local servers do not), so an unknown cost is never recorded as zero.
/// </summary>
/// <param name="JobId">The job the caller ran the call for; null outside a job.</param>
/// <param name="Provider">The provider's host (e.g. <c>api.deepseek.com</c>), never a key.</param>
/// <param name="Cost">In <paramref name="Currency"/> units (decimal dollars for USD), from the configured per-million prices.</param>
/// <param name="Attempts">HTTP attempts the call took (retries after 429, 5xx or timeouts).</param>
public sealed record LlmUsage(
    Guid? JobId,
    string Provider,
    string Model,
    long? InputTokens,
    long? OutputTokens,
    decimal? Cost,
    string Currency,
    int Attempts,
    TimeSpan Duration,
    DateTimeOffset CompletedAt);

/// <summary>Calls, tokens and cost added up, e.g. per job or per structured request.</summary>
public sealed record LlmUsageTotals(int Calls, int CallsWithoutUsage, long InputTokens, long OutputTokens, decimal Cost, string Currency)
{
    public static LlmUsageTotals Empty(string currency) => new(0, 0, 0, 0, 0m, currency);

    public LlmUsageTotals Add(LlmUsage usage)
    {
        var known = usage.InputTokens is not null || usage.OutputTokens is not null;
        return this with
        {
            Calls = Calls + 1,
            CallsWithoutUsage = CallsWithoutUsage + (known ? 0 : 1),
            InputTokens = InputTokens + (usage.InputTokens ?? 0),
            OutputTokens = OutputTokens + (usage.OutputTokens ?? 0),
            Cost = Cost + (usage.Cost ?? 0m),
        };
    }
}

/// <summary>
/// Receives every successful LLM call's usage. The default sink adds them up per job in memory; a job
/// handler reads its totals with <c>LlmUsageLedger.Take(jobId)</c> and stores them on the job.
/// Implementations must be thread-safe and fast: they run on the call path.
/// </summary>
public interface ILlmUsageSink
{
    void Record(LlmUsage usage);
}

/// <summary>
/// The LLM usage recorded against a job so far, for the job to store with its output (issue 4: tokens and cost per job).
/// Registered with the LLM; absent without one.
/// </summary>
public interface ILlmJobUsage
{
    /// <summary>The job's totals, removed from the ledger.</summary>
    LlmUsageTotals Take(Guid jobId);
}
