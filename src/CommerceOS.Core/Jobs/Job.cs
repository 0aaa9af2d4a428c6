using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Jobs;

public enum JobStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    DeadLettered = 4,
    Cancelled = 5,
}

/// <summary>
/// One unit of background work. This row, not Hangfire's storage, is the source of truth that the
/// UI and API show; Hangfire only carries the job's ID.
/// </summary>
public sealed class Job : ITenantOwned
{
    public const int DefaultMaxAttempts = 5;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string Kind { get; set; }

    public JobStatus Status { get; set; }

    /// <summary>Incremented when an execution claims the row, so a job that crashes the process still dead-letters.</summary>
    public int Attempts { get; set; }

    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>0 to 1.</summary>
    public double Progress { get; set; }

    public string? LastError { get; set; }

    /// <summary>IDs and parameters only: never personal data.</summary>
    public string? InputJson { get; set; }

    public string? OutputJson { get; set; }

    /// <summary>
    /// State a handler saves mid-run so a retry resumes instead of repeating paid work (e.g. a vendor
    /// task id stored before polling). IDs only, never personal data.
    /// </summary>
    public string? CheckpointJson { get; set; }

    /// <summary>The asset, product or other row the job is about.</summary>
    public Guid? SubjectId { get; set; }

    public string? HangfireJobId { get; set; }

    /// <summary>Set when someone cancels a running job: its heartbeat stops the handler and the runner records Cancelled.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>While in the future, a live execution owns the row.</summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>Earliest time of the next attempt after a failure (back-off).</summary>
    public DateTime? NotBefore { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public bool IsTerminal => Status is JobStatus.Succeeded or JobStatus.DeadLettered or JobStatus.Cancelled or JobStatus.Failed;
}

/// <summary>
/// Written in the same transaction as its job; the dispatcher hands it to Hangfire and marks it
/// dispatched. A crash between commit and enqueue therefore loses nothing.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid JobId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? DispatchedAt { get; set; }
}
