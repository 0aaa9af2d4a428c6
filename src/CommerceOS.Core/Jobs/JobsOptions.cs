namespace CommerceOS.Core.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire workers in this process. Default: twice the processor count.</summary>
    public int WorkerCount { get; set; } = Environment.ProcessorCount * 2;

    /// <summary>How long a claim owns a job row; renewed while the handler runs (every third of it).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a running job's reported progress is written to its row.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Delay before the first retry; doubled per attempt, plus up to 20 % jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Upper bound of the retry delay before jitter.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A queued job older than this with no live Hangfire execution is re-enqueued by the recovery sweep.</summary>
    public TimeSpan RecoveryGracePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Hangfire cron (6 fields = with seconds) of the outbox sweep.</summary>
    public string OutboxSweepCron { get; set; } = "*/5 * * * * *";

    /// <summary>Hangfire cron of the recovery sweep.</summary>
    public string RecoverySweepCron { get; set; } = "*/30 * * * * *";

    /// <summary>Hangfire cron of the usage-reservation expiry sweep.</summary>
    public string ReservationSweepCron { get; set; } = "0 * * * * *";

    /// <summary>
    /// Finished job rows (succeeded, failed, dead-lettered, cancelled) older than this are deleted with their outbox rows and
    /// Hangfire records, and so are Hangfire's failed jobs, which never expire on their own (<see cref="JobRetention"/>).
    /// </summary>
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Hangfire cron of the finished-job retention sweep (daily).</summary>
    public string RetentionSweepCron { get; set; } = "30 3 * * *";

    /// <summary>How often Hangfire moves due scheduled jobs (retries) and recurring jobs to their queue.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PostgreSQL storage only: queue poll interval (LISTEN/NOTIFY long polling wakes workers earlier).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Process roles of the same binary (architecture.md 3).</summary>
public static class JobsRoles
{
    /// <summary>Web host and Hangfire server in one process (default).</summary>
    public const string All = "all";

    /// <summary>Web host only: schedules and dispatches, runs no jobs.</summary>
    public const string Web = "web";

    /// <summary>Hangfire server only.</summary>
    public const string Worker = "worker";

    public static bool RunsServer(string role) => role is All or Worker;
}

/// <summary>Stable codes stored in <see cref="Job.LastError"/> by the runner (texts in Web/Resources/*/Jobs.json).</summary>
public static class JobErrors
{
    /// <summary>No handler is registered for the job's kind. Argument: {0} kind.</summary>
    public const string UnknownKind = "jobs.unknown_kind";

    /// <summary>The job was claimed more often than allowed (it kept crashing its process).</summary>
    public const string AttemptsExhausted = "jobs.attempts_exhausted";

    /// <summary>Someone cancelled the job; its reservation was returned.</summary>
    public const string Cancelled = "jobs.cancelled";

    /// <summary>The job had already finished when the cancellation arrived.</summary>
    public const string AlreadyFinished = "jobs.already_finished";
}
