using CommerceOS.Core.Billing;
using Hangfire;

namespace CommerceOS.Core.Jobs;

/// <summary>
/// The recurring Hangfire jobs (registered by <see cref="JobsHostedService"/> in server roles).
/// Each one is idempotent and runs again on its next tick, so Hangfire's retries are off and a
/// failed run is not kept in Hangfire's storage.
/// </summary>
public sealed class JobSweeps(OutboxDispatcher dispatcher, JobRecoverySweep recovery, UsageLedger ledger, JobRetention retention)
{
    public const string OutboxSweepId = "jobs-outbox-sweep";
    public const string RecoverySweepId = "jobs-recovery-sweep";
    public const string ReservationSweepId = "usage-reservation-expiry";
    public const string RetentionSweepId = "jobs-finished-retention";

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task<int> DispatchOutboxAsync(CancellationToken cancellationToken) => dispatcher.DispatchPendingAsync(cancellationToken);

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task<int> RecoverJobsAsync(CancellationToken cancellationToken) => recovery.RecoverAsync(cancellationToken);

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task<int> ExpireReservationsAsync(CancellationToken cancellationToken) => ledger.ExpireStaleReservationsAsync(cancellationToken);

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task<int> PurgeFinishedJobsAsync(CancellationToken cancellationToken) => retention.PurgeAsync(cancellationToken);

    /// <summary>Adds or updates the four recurring jobs with the configured crons (UTC).</summary>
    public static void Register(IRecurringJobManager recurring, JobsOptions options)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<JobSweeps>(OutboxSweepId, s => s.DispatchOutboxAsync(CancellationToken.None), options.OutboxSweepCron, utc);
        recurring.AddOrUpdate<JobSweeps>(RecoverySweepId, s => s.RecoverJobsAsync(CancellationToken.None), options.RecoverySweepCron, utc);
        recurring.AddOrUpdate<JobSweeps>(ReservationSweepId, s => s.ExpireReservationsAsync(CancellationToken.None), options.ReservationSweepCron, utc);
        recurring.AddOrUpdate<JobSweeps>(RetentionSweepId, s => s.PurgeFinishedJobsAsync(CancellationToken.None), options.RetentionSweepCron, utc);
    }
}
