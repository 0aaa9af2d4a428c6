using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// The Hangfire entry point for every <see cref="Job"/>. Hangfire delivers at least once; this body
/// makes the effects exactly once:
/// <list type="number">
/// <item>Claim the row with one guarded UPDATE (Queued, or Running with an expired lease; and due).
/// It increments <see cref="Job.Attempts"/> at fetch time, so a job that crashes its process still
/// dead-letters. 0 rows = another execution owns the row, or it is terminal or not yet due: return.</item>
/// <item>Run the handler for <see cref="Job.Kind"/> in a new scope whose workspace is the job's, renewing
/// the lease and persisting progress meanwhile. A lost lease cancels the handler.</item>
/// <item>Record the outcome with an update fenced by the claimed attempt number, in one transaction
/// with the usage reservation's commit (success) or release (failed / dead-lettered).</item>
/// </list>
/// Retries belong to the row (exponential back-off with jitter, <see cref="Job.MaxAttempts"/>), so
/// Hangfire's own retries are off for this method; a later delivery goes to the workspace's queue
/// (<see cref="JobQueues"/>). Host shutdown puts the row back to Queued without counting the attempt.
/// </summary>
public sealed partial class JobRunner(
    IServiceScopeFactory scopes,
    IBackgroundJobClient hangfire,
    TimeProvider time,
    IOptions<JobsOptions> options,
    IEnumerable<IJobFinishedListener> listeners,
    ILogger<JobRunner> logger)
{
    private const int MaxErrorLength = 500;

    private static readonly TimeSpan EarlyDeliveryMargin = TimeSpan.FromMilliseconds(50);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await ClaimAsync(jobId, cancellationToken);
        if (job is null)
        {
            await RescheduleOrCancelAsync(jobId, cancellationToken);
            LogNotClaimed(jobId);
            return;
        }

        var attempt = job.Attempts;
        if (attempt > job.MaxAttempts)
        {
            // The previous attempt never reported back (its process died): do not run it again.
            await FinishAsync(job, attempt, JobStatus.DeadLettered, job.LastError ?? JobErrors.AttemptsExhausted, output: null, commitUsage: false, attemptsOverride: job.MaxAttempts);
            LogDeadLettered(job.Id, job.Kind, job.MaxAttempts);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(job.WorkspaceId, job.CreatedByUserId, WorkspaceRole.Editor);
        var handler = scope.ServiceProvider.GetKeyedService<IJobHandler>(job.Kind);
        if (handler is null)
        {
            await FinishAsync(job, attempt, JobStatus.Failed, JobErrors.UnknownKind, output: null, commitUsage: false);
            LogUnknownKind(job.Id, job.Kind);
            return;
        }

        using var execution = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopHeartbeat = new CancellationTokenSource();
        var progress = new JobProgress();
        var heartbeat = HeartbeatAsync(job.Id, attempt, progress, execution, stopHeartbeat.Token);

        string? output = null;
        Exception? failure = null;
        try
        {
            output = await handler.ExecuteAsync(job, progress, execution.Token);
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
        }

        switch (await heartbeat)
        {
            case HeartbeatOutcome.LeaseLost:
                LogLeaseLost(job.Id, attempt);
                return;
            case HeartbeatOutcome.CancelRequested:
                await FinishAsync(job, attempt, JobStatus.Cancelled, JobErrors.Cancelled, output: null, commitUsage: false);
                LogCancelled(job.Id, job.Kind);
                return;
        }

        switch (failure)
        {
            case null:
                await FinishAsync(job, attempt, JobStatus.Succeeded, error: null, output, commitUsage: true);
                break;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                await RequeueAfterShutdownAsync(job.Id, attempt);
                ExceptionDispatchInfo.Throw(failure);
                break;
            case JobRejectedException rejected:
                await FinishAsync(job, attempt, JobStatus.Failed, rejected.Code, output: null, commitUsage: false);
                break;
            case JobPollLaterException later:
                await RequeueAsync(job.Id, attempt, later.Delay, countAttempt: false, error: null);
                break;
            default:
                var error = Describe(failure);
                if (attempt >= job.MaxAttempts)
                {
                    await FinishAsync(job, attempt, JobStatus.DeadLettered, error, output: null, commitUsage: false);
                    LogDeadLettered(job.Id, job.Kind, attempt);
                }
                else
                {
                    await ScheduleRetryAsync(job, attempt, error);
                }

                break;
        }
    }

    /// <summary>Delay before the attempt after <paramref name="attempt"/>: base x 2^(attempt-1), capped, plus jitter (0..20 %).</summary>
    public static TimeSpan RetryDelay(int attempt, JobsOptions options, double jitter)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ticks = Math.Min(options.RetryBaseDelay.Ticks * Math.Pow(2, exponent), options.RetryMaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 + (0.2 * Math.Clamp(jitter, 0, 1)))));
    }

    /// <summary>Exception type and message for <see cref="Job.LastError"/>: one line, truncated, e-mail addresses masked, no stack trace.</summary>
    public static string Describe(Exception exception)
    {
        var message = EmailAddress().Replace(exception.Message, "[email]");
        message = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var text = $"{exception.GetType().Name}: {message}";
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    /// <summary>
    /// Hangfire keeps schedule times in whole seconds, so a retry can be delivered up to a second
    /// before its <see cref="Job.NotBefore"/>. Such a delivery schedules itself again for the rest of
    /// the wait instead of leaving the job to the recovery sweep minutes later. A queued row whose
    /// cancellation raced its requeue is cancelled here.
    /// </summary>
    private async Task RescheduleOrCancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.AllJobs().AsNoTracking()
            .Where(j => j.Id == jobId)
            .Select(j => new { j.Status, j.NotBefore, j.CancelRequested })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is { Status: JobStatus.Queued, CancelRequested: true })
        {
            await scope.ServiceProvider.GetRequiredService<JobCancellation>().CancelQueuedAsync(jobId, cancellationToken);
            return;
        }

        var now = Now;
        if (row is not { Status: JobStatus.Queued, NotBefore: { } notBefore } || notBefore <= now)
        {
            return;
        }

        var queue = await JobQueues.ForJobAsync(db, jobId, time, cancellationToken);
        var hangfireJobId = hangfire.Schedule<JobRunner>(queue, runner => runner.RunAsync(jobId, CancellationToken.None), notBefore - now + EarlyDeliveryMargin);
        await db.AllJobs()
            .Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.HangfireJobId, hangfireJobId), cancellationToken);
    }

    private async Task<Job?> ClaimAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = Now;
        var leaseUntil = now + options.Value.LeaseDuration;
        var claimed = await db.AllJobs()
            .Where(j => j.Id == jobId
                && (j.Status == JobStatus.Queued || (j.Status == JobStatus.Running && j.LeaseUntil < now))
                && (j.NotBefore == null || j.NotBefore <= now)
                && !j.CancelRequested)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.LeaseUntil, leaseUntil)
                    .SetProperty(j => j.StartedAt, now),
                cancellationToken);
        return claimed == 0 ? null : await db.AllJobs().AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
    }

    /// <summary>
    /// Persists progress every <see cref="JobsOptions.ProgressInterval"/> and renews the lease every
    /// third of <see cref="JobsOptions.LeaseDuration"/>, fenced by the claimed attempt and by no
    /// cancellation having been requested. When the fence fails it cancels the handler and says why.
    /// </summary>
    private async Task<HeartbeatOutcome> HeartbeatAsync(Guid jobId, int attempt, JobProgress progress, CancellationTokenSource execution, CancellationToken stop)
    {
        var settings = options.Value;
        var lastRenewal = Now;
        var written = 0d;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.ProgressInterval, time, stop);
                var now = Now;
                var value = progress.Value;
                var renew = now - lastRenewal >= settings.LeaseDuration / 3;
                var leaseUntil = now + settings.LeaseDuration;
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var ours = Fenced(db, jobId, attempt).Where(j => !j.CancelRequested);
                // Every tick touches the row, even without news, so a cancellation is noticed within one interval.
                var rows = !renew && value.Equals(written)
                    ? await ours.CountAsync(stop)
                    : await ours.ExecuteUpdateAsync(
                        s =>
                        {
                            s.SetProperty(j => j.Progress, value);
                            if (renew)
                            {
                                s.SetProperty(j => j.LeaseUntil, leaseUntil);
                            }
                        },
                        stop);
                if (rows == 0)
                {
                    await execution.CancelAsync();
                    var cancelled = await Fenced(db, jobId, attempt).AnyAsync(j => j.CancelRequested, CancellationToken.None);
                    return cancelled ? HeartbeatOutcome.CancelRequested : HeartbeatOutcome.LeaseLost;
                }

                written = value;
                if (renew)
                {
                    lastRenewal = now;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return HeartbeatOutcome.Running;
            }
            catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // A missed heartbeat is retried on the next tick; the lease has slack for two misses.
                LogHeartbeatFailed(exception, jobId);
            }
        }

        return HeartbeatOutcome.Running;
    }

    private async Task FinishAsync(Job job, int attempt, JobStatus status, string? error, string? output, bool commitUsage, int? attemptsOverride = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<UsageLedger>();
        var now = Now;

        // The outcome is recorded even while the host shuts down, hence no cancellation token.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var rows = await Fenced(db, job.Id, attempt).ExecuteUpdateAsync(
            s =>
            {
                s.SetProperty(j => j.Status, status)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.LeaseUntil, (DateTime?)null)
                    .SetProperty(j => j.LastError, error);
                if (status == JobStatus.Succeeded)
                {
                    s.SetProperty(j => j.OutputJson, output).SetProperty(j => j.Progress, 1d);
                }

                if (attemptsOverride is { } attempts)
                {
                    s.SetProperty(j => j.Attempts, attempts);
                }
            },
            CancellationToken.None);
        if (rows == 0)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            LogLeaseLost(job.Id, attempt);
            return;
        }

        if (commitUsage)
        {
            await ledger.CommitAsync(job.Id, CancellationToken.None);
        }
        else
        {
            await ledger.ReleaseAsync(job.Id, CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        foreach (var listener in listeners)
        {
            listener.JobFinished(job.Id);
        }
    }

    private Task ScheduleRetryAsync(Job job, int attempt, string error) =>
        RequeueAsync(job.Id, attempt, RetryDelay(attempt, options.Value, Random.Shared.NextDouble()), countAttempt: true, error);

    /// <summary>
    /// Puts the row back to Queued until <paramref name="delay"/> has passed and schedules its next delivery. A poll-later
    /// does not count as an attempt and keeps the last error as it was.
    /// </summary>
    private async Task RequeueAsync(Guid jobId, int attempt, TimeSpan delay, bool countAttempt, string? error)
    {
        var notBefore = Now + delay;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await Fenced(db, jobId, attempt).ExecuteUpdateAsync(
            s =>
            {
                s.SetProperty(j => j.Status, JobStatus.Queued)
                    .SetProperty(j => j.LeaseUntil, (DateTime?)null)
                    .SetProperty(j => j.NotBefore, notBefore);
                if (countAttempt)
                {
                    s.SetProperty(j => j.LastError, error);
                }
                else
                {
                    s.SetProperty(j => j.Attempts, j => j.Attempts - 1);
                }
            },
            CancellationToken.None);
        if (rows == 0)
        {
            LogLeaseLost(jobId, attempt);
            return;
        }

        if (countAttempt)
        {
            LogRetryScheduled(jobId, attempt, notBefore);
        }

        try
        {
            var queue = await JobQueues.ForJobAsync(db, jobId, time, CancellationToken.None);
            var hangfireJobId = hangfire.Schedule<JobRunner>(queue, runner => runner.RunAsync(jobId, CancellationToken.None), delay);
            await db.AllJobs()
                .Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.HangfireJobId, hangfireJobId), CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The row is Queued with NotBefore set: the recovery sweep enqueues it when it is due.
            LogRetryEnqueueFailed(exception, jobId);
        }
    }

    private async Task RequeueAfterShutdownAsync(Guid jobId, int attempt)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = Now;
        await Fenced(db, jobId, attempt).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Status, JobStatus.Queued)
                .SetProperty(j => j.LeaseUntil, (DateTime?)null)
                .SetProperty(j => j.NotBefore, now)
                .SetProperty(j => j.Attempts, j => j.Attempts - 1),
            CancellationToken.None);
    }

    /// <summary>The row as this execution claimed it: still Running with our attempt number.</summary>
    private static IQueryable<Job> Fenced(AppDbContext db, Guid jobId, int attempt) =>
        db.AllJobs().Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.Attempts == attempt);

    [GeneratedRegex(@"[^\s@]+@[^\s@]+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} was not claimed: owned by another execution, terminal or not due")]
    private partial void LogNotClaimed(Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} of kind {Kind} dead-lettered after {Attempts} attempts")]
    private partial void LogDeadLettered(Guid jobId, string kind, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} has kind {Kind}, for which no handler is registered")]
    private partial void LogUnknownKind(Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} lost its lease; another execution owns the row")]
    private partial void LogLeaseLost(Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} failed; retry not before {NotBefore:o}")]
    private partial void LogRetryScheduled(Guid jobId, int attempt, DateTime notBefore);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: scheduling the retry in Hangfire failed; the recovery sweep will enqueue it")]
    private partial void LogRetryEnqueueFailed(Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of kind {Kind} was cancelled while running")]
    private partial void LogCancelled(Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: heartbeat write failed")]
    private partial void LogHeartbeatFailed(Exception exception, Guid jobId);

    private enum HeartbeatOutcome
    {
        Running,
        LeaseLost,
        CancelRequested,
    }

    /// <summary>Latest reported progress, read by the heartbeat (no write per report).</summary>
    private sealed class JobProgress : IProgress<double>
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Report(double value)
        {
            if (!double.IsNaN(value))
            {
                Volatile.Write(ref _value, Math.Clamp(value, 0, 1));
            }
        }
    }
}
