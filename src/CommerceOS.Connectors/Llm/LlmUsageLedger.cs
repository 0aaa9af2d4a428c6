using System.Collections.Concurrent;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

/// <summary>
/// The default <see cref="ILlmUsageSink"/>: adds every call up per job id in memory and logs it (provider,
/// model, tokens, cost; never a prompt or a key). A job handler calls <see cref="Take"/> when it ends and
/// stores the totals with the job, which also frees the entry.
/// </summary>
public sealed class LlmUsageLedger(IOptions<LlmOptions> options, ILogger<LlmUsageLedger> logger) : ILlmUsageSink, ILlmJobUsage
{
    private readonly ConcurrentDictionary<Guid, LlmUsageTotals> _jobs = new();

    public void Record(LlmUsage usage)
    {
        logger.LogInformation(
            "LLM call {Provider} {Model} job {JobId}: {InputTokens} in, {OutputTokens} out, cost {Cost} {Currency}, {Attempts} attempt(s), {Duration}",
            usage.Provider, usage.Model, usage.JobId, usage.InputTokens, usage.OutputTokens, usage.Cost, usage.Currency, usage.Attempts, usage.Duration);
        if (usage.JobId is { } jobId)
        {
            _jobs.AddOrUpdate(jobId, (_, u) => LlmUsageTotals.Empty(u.Currency).Add(u), (_, totals, u) => totals.Add(u), usage);
        }
    }

    /// <summary>The job's totals so far, leaving them in place (progress display).</summary>
    public LlmUsageTotals Peek(Guid jobId) =>
        _jobs.TryGetValue(jobId, out var totals) ? totals : LlmUsageTotals.Empty(options.Value.Currency);

    /// <summary>The job's totals, removed from the ledger.</summary>
    public LlmUsageTotals Take(Guid jobId) =>
        _jobs.TryRemove(jobId, out var totals) ? totals : LlmUsageTotals.Empty(options.Value.Currency);
}
