using System.Threading.Channels;
using Microsoft.Extensions.Configuration;

namespace CommerceOS.Core.Workflows;

/// <summary>Settings of the workflow engine (section <c>Workflows</c>).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>
    /// Steps of one workspace queued or running at once. It is the fairness rule: a workspace's 10,000-product batch holds at
    /// most this many jobs in the queue, so another workspace's run starts after at most that many jobs, not after the batch.
    /// </summary>
    public int MaxActiveStepsPerWorkspace { get; set; } = 8;

    /// <summary>
    /// Steps running at once per provider, across every workspace and process (e.g. <c>kling: 2</c>): the vendor's rate
    /// limit as concurrency. A provider not listed is not limited beyond the workspace limit.
    /// </summary>
    public Dictionary<string, int> ProviderLimits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often an engine looks for work when nothing woke it (another process finished a job, a run started on a web node).</summary>
    public TimeSpan PumpInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Launches per pump round, so one round never holds the database for long.</summary>
    public int MaxLaunchesPerPump { get; set; } = 50;
}

/// <summary>Names the provider a step uses, for the provider limits and the run history.</summary>
public sealed class ProviderNames(IConfiguration configuration)
{
    public const string Local = "local";

    public string For(string skillId, string? choice)
    {
        var operation = SkillCatalog.Default.Find(skillId)?.Operation;
        return operation switch
        {
            SkillOperations.Images when choice == "ai" => Configured("Providers:Images"),
            SkillOperations.Video when choice == "ai" => Configured("Providers:Video"),
            SkillOperations.Copy => Configured("Providers:Copy"),
            SkillOperations.Translate => Configured("Providers:Translation"),
            _ => Local,
        };
    }

    private string Configured(string key) => configuration[key] is { Length: > 0 } name ? name.Trim().ToLowerInvariant() : Local;
}

/// <summary>Wakes this process's engine: a job ended, a run started or a step became ready. Notifications coalesce.</summary>
public sealed class WorkflowSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>True when notified, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await _channel.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
