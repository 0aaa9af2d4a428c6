using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Billing;

/// <summary>The outcome of <see cref="UsageLedger.ReserveAsync"/>.</summary>
public abstract record ReserveResult
{
    private ReserveResult()
    {
    }

    /// <summary>The units are held for the job (possibly by an earlier call for the same job).</summary>
    public sealed record Reserved(UsageReservation Reservation) : ReserveResult;

    /// <summary>Admitting the units would pass the limit. Error code <see cref="UsageErrors.QuotaExceeded"/>, arguments meter, used, limit.</summary>
    public sealed record QuotaExceeded(string Meter, long Used, long Limit) : ReserveResult;
}

/// <summary>Stable error codes of the usage ledger (texts in Web/Resources/*/Billing.json).</summary>
public static class UsageErrors
{
    /// <summary>Arguments: {0} meter, {1} used, {2} limit.</summary>
    public const string QuotaExceeded = "billing.quota_exceeded";
}

/// <summary>One meter of <see cref="UsageLedger.GetUsageAsync"/>; <see cref="Limit"/> null = unlimited.</summary>
public sealed record MeterUsage(string Meter, long Used, long? Limit, DateTime? PeriodEnd);

/// <summary>
/// Per-workspace quota counters, one row per meter and billing period, and the reservations jobs
/// hold against them (architecture.md 6, security-privacy.md 5 patterns A and B).
/// <para>
/// Admission is one single-table conditional <c>UPDATE</c>, so concurrent requests can never pass
/// the limit. Every state change of a reservation is a guarded update (<c>WHERE Status = Reserved</c>),
/// which makes commit and release idempotent: a release decrements the counter only when its own
/// update moved the reservation, and a committed reservation is never released.
/// </para>
/// <para>
/// The ledger addresses rows by explicit workspace, job or counter id and is also called by
/// cross-tenant sweeps, so its queries do not depend on the scope's workspace filter. When the
/// caller already has a transaction on the context (the job runner's completion), the ledger works
/// inside it; otherwise it opens its own (BEGIN IMMEDIATE on SQLite, the Microsoft.Data.Sqlite default).
/// </para>
/// </summary>
public sealed class UsageLedger(AppDbContext db, TimeProvider time, IOptions<UsageOptions> options)
{
    /// <summary>Gauges (connections) are not periodic: their single row uses this period start.</summary>
    public static readonly DateTime GaugePeriod = DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Utc);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

#pragma warning disable RS0030 // Ledger rows are addressed by explicit workspace/job/counter ids; sweeps call it without a workspace.
    private IQueryable<UsageCounter> Counters => db.UsageCounters.IgnoreQueryFilters();

    private IQueryable<UsageReservation> Reservations => db.UsageReservations.IgnoreQueryFilters();

    private IQueryable<Subscription> Subscriptions => db.Subscriptions.IgnoreQueryFilters();

    private IQueryable<Jobs.Job> AllJobs => db.Jobs.IgnoreQueryFilters();
#pragma warning restore RS0030

    /// <summary>
    /// The counter of the workspace's current period for <paramref name="meter"/>. Rolls the
    /// subscription forward by whole cycles when its period has ended (quotas reset each period) and
    /// creates the row with <c>INSERT ... ON CONFLICT DO NOTHING</c>, so concurrent callers get the same row.
    /// The limit is the subscription's custom limit for the meter, else the plan's quota (null = unlimited).
    /// </summary>
    public async Task<UsageCounter> EnsureCounterAsync(Guid workspaceId, string meter, CancellationToken cancellationToken = default)
    {
        if (!Meters.PerPeriod.Contains(meter, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{meter}' is not a per-period meter.", nameof(meter));
        }

        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        var (start, end) = await RollForwardAsync(subscription, cancellationToken);

        var existing = await FindCounterAsync(workspaceId, meter, start, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var limit = await LimitForAsync(subscription, meter, cancellationToken);
        await InsertCounterIfMissingAsync(workspaceId, meter, start, end, limit, cancellationToken);
        return await FindCounterAsync(workspaceId, meter, start, cancellationToken)
            ?? throw new InvalidOperationException("The usage counter vanished right after it was created.");
    }

    /// <summary>
    /// Holds <paramref name="units"/> of <paramref name="meter"/> for <paramref name="jobId"/>. Calling it
    /// again for the same job returns the existing reservation and counts nothing.
    /// </summary>
    public async Task<ReserveResult> ReserveAsync(Guid workspaceId, string meter, long units, Guid jobId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);

        if (await FindReservationAsync(jobId, cancellationToken) is { } earlier)
        {
            return new ReserveResult.Reserved(earlier);
        }

        var counter = await EnsureCounterAsync(workspaceId, meter, cancellationToken);
        var now = Now;
        var reservation = new UsageReservation
        {
            WorkspaceId = workspaceId,
            JobId = jobId,
            CounterId = counter.Id,
            Meter = meter,
            Units = units,
            PeriodStart = counter.PeriodStart,
            Status = ReservationStatus.Reserved,
            CreatedAt = now,
            ExpiresAt = now + options.Value.ReservationTtl,
        };

        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        await using (ownTransaction)
        {
            if (await TryIncrementAsync(counter.Id, units, cancellationToken) == 0)
            {
                await RollbackAsync(ownTransaction, cancellationToken);
                var current = await Counters.AsNoTracking().SingleAsync(c => c.Id == counter.Id, cancellationToken);
                return new ReserveResult.QuotaExceeded(meter, current.Used, current.Limit ?? 0);
            }

            if (await InsertReservationIfMissingAsync(reservation, cancellationToken) == 0)
            {
                // Another call reserved for this job meanwhile: undo our increment, keep theirs.
                if (ownTransaction is null)
                {
                    await DecrementAsync(counter.Id, units, cancellationToken);
                }

                await RollbackAsync(ownTransaction, cancellationToken);
                var winner = await FindReservationAsync(jobId, cancellationToken)
                    ?? throw new InvalidOperationException("The conflicting reservation is not visible.");
                return new ReserveResult.Reserved(winner);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }

        return new ReserveResult.Reserved(reservation);
    }

    /// <summary>Reserved -> Committed. Returns false when there was nothing to commit (already settled or none).</summary>
    public async Task<bool> CommitAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var rows = await Reservations
            .Where(r => r.JobId == jobId && r.Status == ReservationStatus.Reserved)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReservationStatus.Committed).SetProperty(r => r.SettledAt, now), cancellationToken);
        return rows == 1;
    }

    /// <summary>
    /// Reserved -> Released, and only when this call made that transition, gives the units back to
    /// the counter. Returns false when nothing was released (already released, committed, or none).
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        await using (ownTransaction)
        {
            var now = Now;
            var rows = await Reservations
                .Where(r => r.JobId == jobId && r.Status == ReservationStatus.Reserved)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReservationStatus.Released).SetProperty(r => r.SettledAt, now), cancellationToken);
            if (rows == 1)
            {
                var held = await Reservations.AsNoTracking()
                    .Where(r => r.JobId == jobId)
                    .Select(r => new { r.CounterId, r.Units })
                    .SingleAsync(cancellationToken);
                await DecrementAsync(held.CounterId, held.Units, cancellationToken);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return rows == 1;
        }
    }

    /// <summary>
    /// Releases reservations still held past <see cref="UsageReservation.ExpiresAt"/> whose job is
    /// terminal or missing (a crash between the job's end and its release). Cross-tenant system sweep.
    /// </summary>
    public async Task<int> ExpireStaleReservationsAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var stale = await Reservations.AsNoTracking()
            .Where(r => r.Status == ReservationStatus.Reserved && r.ExpiresAt < now)
            .Where(r => !AllJobs.Any(j => j.Id == r.JobId && (j.Status == Jobs.JobStatus.Queued || j.Status == Jobs.JobStatus.Running)))
            .OrderBy(r => r.ExpiresAt)
            .Select(r => r.JobId)
            .Take(500)
            .ToListAsync(cancellationToken);

        var released = 0;
        foreach (var jobId in stale)
        {
            if (await ReleaseAsync(jobId, cancellationToken))
            {
                released++;
            }
        }

        return released;
    }

    /// <summary>
    /// Used and limit per meter for the current period (for the dashboard and GET /api/v1/usage),
    /// plus the connections gauge. Read-only: meters without a counter yet show 0 used.
    /// </summary>
    public async Task<IReadOnlyList<MeterUsage>> GetUsageAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        // Settled in memory only: reading usage writes nothing.
        SubscriptionTerms.Roll(subscription, Now);
        var (start, end) = (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
        var counters = await Counters.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && (c.PeriodStart == start || c.PeriodStart == GaugePeriod))
            .ToListAsync(cancellationToken);
        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Code == subscription.PlanCode, cancellationToken);

        var usage = new List<MeterUsage>(Meters.All.Count);
        foreach (var meter in Meters.PerPeriod)
        {
            var counter = counters.SingleOrDefault(c => c.Meter == meter && c.PeriodStart == start);
            usage.Add(new MeterUsage(meter, counter?.Used ?? 0, counter is null ? LimitFor(subscription, plan, meter) : counter.Limit, end));
        }

        var gauge = counters.SingleOrDefault(c => c.Meter == Meters.Connections && c.PeriodStart == GaugePeriod);
        usage.Add(new MeterUsage(Meters.Connections, gauge?.Used ?? 0, LimitFor(subscription, plan, Meters.Connections), null));
        return usage;
    }

    /// <summary>
    /// Records the current number of marketplace connections (a gauge: a count, not a period
    /// counter), refreshing its limit from the plan. Upserted with <c>ON CONFLICT DO UPDATE</c>.
    /// </summary>
    public async Task SetConnectionsGaugeAsync(Guid workspaceId, long connections, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(connections);
        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        var limit = await LimitForAsync(subscription, Meters.Connections, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "UsageCounters" ("Id", "WorkspaceId", "Meter", "PeriodStart", "PeriodEnd", "Used", "Limit")
            VALUES ({Guid.CreateVersion7()}, {workspaceId}, {Meters.Connections}, {GaugePeriod}, {GaugePeriod}, {connections}, {limit})
            ON CONFLICT ("WorkspaceId", "Meter", "PeriodStart") DO UPDATE SET "Used" = excluded."Used", "Limit" = excluded."Limit"
            """,
            cancellationToken);
    }

    /// <summary>
    /// Admits one more marketplace connection: the gauge row is created at 0 when missing and its limit refreshed from the
    /// plan, then pattern A (one conditional <c>UPDATE</c>), so concurrent connects can never pass the limit. False = the
    /// plan's limit is reached. Call it in the transaction that inserts the connection.
    /// </summary>
    public async Task<bool> TryAddConnectionAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        var limit = await LimitForAsync(subscription, Meters.Connections, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "UsageCounters" ("Id", "WorkspaceId", "Meter", "PeriodStart", "PeriodEnd", "Used", "Limit")
            VALUES ({Guid.CreateVersion7()}, {workspaceId}, {Meters.Connections}, {GaugePeriod}, {GaugePeriod}, {0L}, {limit})
            ON CONFLICT ("WorkspaceId", "Meter", "PeriodStart") DO UPDATE SET "Limit" = excluded."Limit"
            """,
            cancellationToken);
        var admitted = await Counters
            .Where(c => c.WorkspaceId == workspaceId && c.Meter == Meters.Connections && c.PeriodStart == GaugePeriod && (c.Limit == null || c.Used + 1 <= c.Limit))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Used, c => c.Used + 1), cancellationToken);
        return admitted == 1;
    }

    /// <summary>One connection fewer; never below zero. The caller guards it by the connection's own state change, so it counts once.</summary>
    public Task<int> RemoveConnectionAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        Counters
            .Where(c => c.WorkspaceId == workspaceId && c.Meter == Meters.Connections && c.PeriodStart == GaugePeriod && c.Used > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Used, c => c.Used - 1), cancellationToken);

    /// <summary>The connections gauge: count and limit (null = unlimited).</summary>
    public async Task<(long Connections, long? Limit)> GetConnectionsGaugeAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        var used = await Counters.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.Meter == Meters.Connections && c.PeriodStart == GaugePeriod)
            .Select(c => (long?)c.Used)
            .SingleOrDefaultAsync(cancellationToken);
        return (used ?? 0, await LimitForAsync(subscription, Meters.Connections, cancellationToken));
    }

    /// <summary>
    /// Pattern A: <c>UPDATE "UsageCounters" SET "Used" = "Used" + @n WHERE "Id" = @id AND ("Limit" IS NULL OR "Used" + @n &lt;= "Limit")</c>,
    /// on the entity itself (never over a projection: efcore #38505 loses updates). 1 = admitted.
    /// </summary>
    internal Task<int> TryIncrementAsync(Guid counterId, long units, CancellationToken cancellationToken) =>
        Counters
            .Where(c => c.Id == counterId && (c.Limit == null || c.Used + units <= c.Limit))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Used, c => c.Used + units), cancellationToken);

    private Task<int> DecrementAsync(Guid counterId, long units, CancellationToken cancellationToken) =>
        Counters
            .Where(c => c.Id == counterId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Used, c => c.Used - units), cancellationToken);

    private Task<int> InsertCounterIfMissingAsync(Guid workspaceId, string meter, DateTime start, DateTime end, long? limit, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "UsageCounters" ("Id", "WorkspaceId", "Meter", "PeriodStart", "PeriodEnd", "Used", "Limit")
            VALUES ({Guid.CreateVersion7()}, {workspaceId}, {meter}, {start}, {end}, {0L}, {limit})
            ON CONFLICT ("WorkspaceId", "Meter", "PeriodStart") DO NOTHING
            """,
            cancellationToken);

    private Task<int> InsertReservationIfMissingAsync(UsageReservation r, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "UsageReservations" ("Id", "WorkspaceId", "JobId", "CounterId", "Meter", "Units", "PeriodStart", "Status", "CreatedAt", "ExpiresAt")
            VALUES ({r.Id}, {r.WorkspaceId}, {r.JobId}, {r.CounterId}, {r.Meter}, {r.Units}, {r.PeriodStart}, {(int)r.Status}, {r.CreatedAt}, {r.ExpiresAt})
            ON CONFLICT ("JobId") DO NOTHING
            """,
            cancellationToken);

    private Task<UsageReservation?> FindReservationAsync(Guid jobId, CancellationToken cancellationToken) =>
        Reservations.AsNoTracking().SingleOrDefaultAsync(r => r.JobId == jobId, cancellationToken);

    private Task<UsageCounter?> FindCounterAsync(Guid workspaceId, string meter, DateTime start, CancellationToken cancellationToken) =>
        Counters.AsNoTracking().SingleOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Meter == meter && c.PeriodStart == start, cancellationToken);

    private async Task<Subscription> LoadSubscriptionAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.WorkspaceId == workspaceId, cancellationToken)
        ?? throw new InvalidOperationException($"Workspace {workspaceId} has no subscription.");

    /// <summary>
    /// Moves an ended subscription through its period ends (<see cref="SubscriptionTerms"/>: renewals, trial ends,
    /// cancellations, downgrades). The update is guarded by the old period end, so of concurrent callers one writes and
    /// the others read what it wrote. <paramref name="subscription"/> is left holding the current terms.
    /// </summary>
    private async Task<(DateTime Start, DateTime End)> RollForwardAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var now = Now;
        var oldEnd = subscription.CurrentPeriodEnd;
        if (!SubscriptionTerms.Roll(subscription, now))
        {
            return (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
        }

        var rolled = subscription;
        var written = await Subscriptions
            .Where(s => s.Id == rolled.Id && s.CurrentPeriodEnd == oldEnd)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.CurrentPeriodStart, rolled.CurrentPeriodStart)
                    .SetProperty(x => x.CurrentPeriodEnd, rolled.CurrentPeriodEnd)
                    .SetProperty(x => x.PlanCode, rolled.PlanCode)
                    .SetProperty(x => x.Cycle, rolled.Cycle)
                    .SetProperty(x => x.Status, rolled.Status)
                    .SetProperty(x => x.Gateway, rolled.Gateway)
                    .SetProperty(x => x.GatewaySubscriptionId, rolled.GatewaySubscriptionId)
                    .SetProperty(x => x.PaidThrough, rolled.PaidThrough)
                    .SetProperty(x => x.TrialEndsAt, rolled.TrialEndsAt)
                    .SetProperty(x => x.CancelAtPeriodEnd, rolled.CancelAtPeriodEnd)
                    .SetProperty(x => x.PendingPlanCode, rolled.PendingPlanCode)
                    .SetProperty(x => x.PendingCycle, rolled.PendingCycle)
                    .SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
        if (written == 0)
        {
            var current = await LoadSubscriptionAsync(subscription.WorkspaceId, cancellationToken);
            CopyTerms(current, subscription);
        }

        return (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
    }

    private static void CopyTerms(Subscription from, Subscription to)
    {
        to.CurrentPeriodStart = from.CurrentPeriodStart;
        to.CurrentPeriodEnd = from.CurrentPeriodEnd;
        to.PlanCode = from.PlanCode;
        to.Cycle = from.Cycle;
        to.Status = from.Status;
        to.CustomLimits = from.CustomLimits;
    }

    /// <summary>
    /// The workspace's subscription with its ended periods settled (<see cref="SubscriptionTerms"/>), as the billing
    /// pages and the payment processing read it.
    /// </summary>
    public async Task<Subscription> CurrentSubscriptionAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        await RollForwardAsync(subscription, cancellationToken);
        return subscription;
    }

    /// <summary>
    /// After a plan change inside a period (an upgrade, an admin's custom limits): the current period's counters and the
    /// connections gauge take the new limits now, so quotas follow the plan the seller has, not the one the period began with.
    /// </summary>
    public async Task ApplyLimitsAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadSubscriptionAsync(workspaceId, cancellationToken);
        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Code == subscription.PlanCode, cancellationToken);
        foreach (var meter in Meters.All)
        {
            var limit = LimitFor(subscription, plan, meter);
            var start = meter == Meters.Connections ? GaugePeriod : subscription.CurrentPeriodStart;
            await Counters.Where(c => c.WorkspaceId == workspaceId && c.Meter == meter && c.PeriodStart == start)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Limit, limit), cancellationToken);
        }
    }

    private async Task<long?> LimitForAsync(Subscription subscription, string meter, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Code == subscription.PlanCode, cancellationToken);
        return LimitFor(subscription, plan, meter);
    }

    private static long? LimitFor(Subscription subscription, Plan plan, string meter) =>
        subscription.CustomLimits.TryGetValue(meter, out var custom) && custom is not null ? custom : plan.LimitFor(meter);

    private static async Task RollbackAsync(IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
    }
}
