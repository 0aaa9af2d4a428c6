namespace CommerceOS.Core.Jobs;

/// <summary>
/// Does the work of one job kind. Resolved in a fresh DI scope whose <see cref="Workspaces.WorkspaceContext"/>
/// is already set to the job's workspace. Hangfire delivers at least once, so an execution may be
/// repeated after a crash: handlers must be idempotent (content-addressed blobs, guarded updates).
/// </summary>
public interface IJobHandler
{
    /// <summary>The <see cref="Job.Kind"/> this handler executes, e.g. "assets.thumbnail".</summary>
    string Kind { get; }

    /// <summary>
    /// Performs the job. Returns the output JSON to store on the row (IDs and figures, no personal
    /// data), or null. Throwing marks the attempt failed; it is retried with back-off until
    /// <see cref="Job.MaxAttempts"/>, then dead-lettered. A <see cref="JobRejectedException"/> fails the job at once.
    /// </summary>
    Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken);
}

/// <summary>A failure that retrying cannot fix (bad input, missing subject): the job fails without retries.</summary>
public sealed class JobRejectedException(string code, string message) : Exception(message)
{
    /// <summary>Stable error code shown to the user through the localized resources.</summary>
    public string Code { get; } = code;
}

/// <summary>
/// The handler handed its work to a remote service (a vendor task persisted in <see cref="Job.CheckpointJson"/>) and wants to
/// be run again after <see cref="Delay"/>. Not a failure and not an attempt: the row goes back to Queued with its reservation
/// held, so no worker thread waits for minutes and a restart loses nothing. The handler bounds the total wait itself.
/// </summary>
public sealed class JobPollLaterException(TimeSpan delay) : Exception($"Poll again in {delay}.")
{
    public TimeSpan Delay { get; } = delay;
}

/// <summary>Told, in process, when the runner has recorded a job's final outcome (e.g. the workflow engine, to move runs on at once).</summary>
public interface IJobFinishedListener
{
    void JobFinished(Guid jobId);
}
