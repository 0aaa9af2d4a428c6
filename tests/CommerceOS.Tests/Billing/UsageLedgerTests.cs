using System.Data.Common;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Billing;

public sealed class UsageLedgerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(TestWorkspaces.Epoch.AddDays(10)));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReserveAsync_FiftyConcurrentAgainstLimitTen_AdmitsExactlyTen(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        for (var iteration = 0; iteration < 20; iteration++)
        {
            var workspaceId = await TestWorkspaces.CreateAsync(database, PlanCatalog.Business, customLimits: new() { [Meters.Images] = 10 });
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
            {
                await using var context = database.CreateContext();
                var ledger = Ledger(context);
                await start.Task;
                return await ledger.ReserveAsync(workspaceId, Meters.Images, 1, Guid.CreateVersion7(), Ct);
            })).ToList();
            start.SetResult();
            var results = await Task.WhenAll(attempts);

            Assert.Equal(10, results.Count(r => r is ReserveResult.Reserved));
            Assert.All(results.OfType<ReserveResult.QuotaExceeded>(), r => Assert.Equal(10, r.Limit));
            Assert.Equal(40, results.OfType<ReserveResult.QuotaExceeded>().Count());
            await using var check = database.CreateContext(workspaceId);
            var counter = await check.UsageCounters.SingleAsync(Ct);
            Assert.Equal(10, counter.Used);
            Assert.Equal(10, await check.UsageReservations.CountAsync(Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReserveAsync_Admission_IsOneSingleTableConditionalUpdate(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database, customLimits: new() { [Meters.Images] = 10 });
        var capture = new CommandCapture();
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, database.Provider, database.ConnectionString);
        builder.AddInterceptors(capture);
        await using var context = new AppDbContext(builder.Options, new WorkspaceContext());

        Assert.IsType<ReserveResult.Reserved>(await Ledger(context).ReserveAsync(workspaceId, Meters.Images, 3, Guid.CreateVersion7(), Ct));

        var updates = capture.Commands.Where(c => c.Contains("UPDATE \"UsageCounters\"", StringComparison.Ordinal)).ToList();
        var sql = Assert.Single(updates);
        // Drop the table alias ("u" on SQLite, u on PostgreSQL) and line breaks to compare the shape.
        var normalized = System.Text.RegularExpressions.Regex.Replace(sql, @"\s+AS\s+""?u""?|""?\bu""?\.", "");
        normalized = System.Text.RegularExpressions.Regex.Replace(normalized, @"\s+", " ");
        Assert.StartsWith("UPDATE \"UsageCounters\" SET", normalized, StringComparison.Ordinal);
        Assert.Matches("""SET "Used" = "Used" \+ @\w+""", normalized);
        Assert.Matches("""WHERE "Id" = @\w+ AND \("Limit" IS NULL OR "Used" \+ @\w+ <= "Limit"\)""", normalized);
        Assert.DoesNotContain("SELECT", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("JOIN", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" FROM ", sql, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReserveAsync_SameJobTwice_ReturnsExistingAndCountsOnce(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = Guid.CreateVersion7();

        var first = await ReserveAsync(database, workspaceId, jobId, 4);
        var second = await ReserveAsync(database, workspaceId, jobId, 4);

        Assert.Equal(Assert.IsType<ReserveResult.Reserved>(first).Reservation.Id, Assert.IsType<ReserveResult.Reserved>(second).Reservation.Id);
        Assert.Equal(4, await UsedAsync(database, workspaceId));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReleaseAsync_Twice_DecrementsOnce(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var kept = Guid.CreateVersion7();
        var released = Guid.CreateVersion7();
        await ReserveAsync(database, workspaceId, kept, 2);
        await ReserveAsync(database, workspaceId, released, 3);

        await using var context = database.CreateContext();
        Assert.True(await Ledger(context).ReleaseAsync(released, Ct));
        Assert.False(await Ledger(context).ReleaseAsync(released, Ct));

        Assert.Equal(2, await UsedAsync(database, workspaceId));
        Assert.Equal(ReservationStatus.Released, (await ReservationAsync(database, released)).Status);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReleaseAsync_AfterCommit_DoesNotDecrement(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var jobId = Guid.CreateVersion7();
        await ReserveAsync(database, workspaceId, jobId, 3);

        await using var context = database.CreateContext();
        Assert.True(await Ledger(context).CommitAsync(jobId, Ct));
        Assert.False(await Ledger(context).CommitAsync(jobId, Ct));
        Assert.False(await Ledger(context).ReleaseAsync(jobId, Ct));

        Assert.Equal(3, await UsedAsync(database, workspaceId));
        var reservation = await ReservationAsync(database, jobId);
        Assert.Equal(ReservationStatus.Committed, reservation.Status);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, reservation.SettledAt);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EnsureCounterAsync_AfterPeriodEnd_RollsSubscriptionForwardAndStartsAtZero(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        await ReserveAsync(database, workspaceId, Guid.CreateVersion7(), 3);

        // Two and a half cycles later: Jan -> Feb -> Mar, now in the March period.
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero));
        await using var context = database.CreateContext();
        var counter = await Ledger(context).EnsureCounterAsync(workspaceId, Meters.Images, Ct);

        Assert.Equal(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), counter.PeriodStart);
        Assert.Equal(new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), counter.PeriodEnd);
        Assert.Equal(0, counter.Used);
        Assert.Equal(200, counter.Limit);
        await using var check = database.CreateContext(workspaceId);
        var subscription = await check.Subscriptions.SingleAsync(Ct);
        Assert.Equal(counter.PeriodStart, subscription.CurrentPeriodStart);
        Assert.Equal(counter.PeriodEnd, subscription.CurrentPeriodEnd);
        var january = await check.UsageCounters.SingleAsync(c => c.PeriodStart == TestWorkspaces.Epoch, Ct);
        Assert.Equal(3, january.Used);
        Assert.IsType<ReserveResult.Reserved>(await Ledger(context).ReserveAsync(workspaceId, Meters.Images, 200, Guid.CreateVersion7(), Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReserveAsync_UnlimitedPlan_NeverRefuses(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database, PlanCatalog.Enterprise, BillingCycle.Annual);

        await using var context = database.CreateContext();
        for (var i = 0; i < 20; i++)
        {
            Assert.IsType<ReserveResult.Reserved>(await Ledger(context).ReserveAsync(workspaceId, Meters.Images, 1_000_000, Guid.CreateVersion7(), Ct));
        }

        var counter = await Ledger(context).EnsureCounterAsync(workspaceId, Meters.Images, Ct);
        Assert.Null(counter.Limit);
        Assert.Equal(20_000_000, counter.Used);
        Assert.Equal(TestWorkspaces.Epoch.AddYears(1), counter.PeriodEnd);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReserveAsync_CustomEnterpriseLimit_WinsOverPlanQuota(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database, PlanCatalog.Enterprise, customLimits: new() { [Meters.Videos] = 3 });

        await using var context = database.CreateContext();
        var ledger = Ledger(context);
        Assert.IsType<ReserveResult.Reserved>(await ledger.ReserveAsync(workspaceId, Meters.Videos, 2, Guid.CreateVersion7(), Ct));
        var refused = await ledger.ReserveAsync(workspaceId, Meters.Videos, 2, Guid.CreateVersion7(), Ct);
        Assert.IsType<ReserveResult.Reserved>(await ledger.ReserveAsync(workspaceId, Meters.Videos, 1, Guid.CreateVersion7(), Ct));

        Assert.Equal(new ReserveResult.QuotaExceeded(Meters.Videos, 2, 3), refused);
        Assert.Null((await ledger.EnsureCounterAsync(workspaceId, Meters.Images, Ct)).Limit);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExpireStaleReservationsAsync_ReleasesOnlyExpiredWithoutLiveJob(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database);
        var orphan = Guid.CreateVersion7();
        var live = new Core.Jobs.Job { Kind = "tests.work", WorkspaceId = workspaceId, Status = Core.Jobs.JobStatus.Running, CreatedAt = _time.GetUtcNow().UtcDateTime };
        await using (var seed = database.CreateContext())
        {
            seed.Jobs.Add(live);
            await seed.SaveChangesAsync(Ct);
        }

        await ReserveAsync(database, workspaceId, orphan, 2);
        await ReserveAsync(database, workspaceId, live.Id, 3);
        await using var context = database.CreateContext();
        Assert.Equal(0, await Ledger(context).ExpireStaleReservationsAsync(Ct));

        _time.Advance(new UsageOptions().ReservationTtl + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Ledger(context).ExpireStaleReservationsAsync(Ct));

        Assert.Equal(ReservationStatus.Released, (await ReservationAsync(database, orphan)).Status);
        Assert.Equal(ReservationStatus.Reserved, (await ReservationAsync(database, live.Id)).Status);
        Assert.Equal(3, await UsedAsync(database, workspaceId));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GetUsageAsync_ReportsEveryMeterWithLimitsAndConnectionsGauge(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(database, PlanCatalog.Creator);
        await ReserveAsync(database, workspaceId, Guid.CreateVersion7(), 7);
        await using var context = database.CreateContext();
        var ledger = Ledger(context);
        await ledger.SetConnectionsGaugeAsync(workspaceId, 1, Ct);
        await ledger.SetConnectionsGaugeAsync(workspaceId, 2, Ct);

        var usage = await ledger.GetUsageAsync(workspaceId, Ct);

        var periodEnd = TestWorkspaces.Epoch.AddMonths(1);
        Assert.Equal(
            [
                new MeterUsage(Meters.Images, 7, 200, periodEnd),
                new MeterUsage(Meters.Videos, 0, 15, periodEnd),
                new MeterUsage(Meters.Copy, 0, null, periodEnd),
                new MeterUsage(Meters.Translations, 0, null, periodEnd),
                new MeterUsage(Meters.ApiCalls, 0, null, periodEnd),
                new MeterUsage(Meters.Connections, 2, 3, null),
            ],
            usage);
        Assert.Equal((2L, (long?)3), await ledger.GetConnectionsGaugeAsync(workspaceId, Ct));
    }

    [Theory]
    [InlineData("2026-01-31", "2026-02-28", "2026-03-05", "2026-02-28", "2026-03-28")]
    [InlineData("2026-01-01", "2026-02-01", "2026-02-01", "2026-02-01", "2026-03-01")]
    [InlineData("2026-01-01", "2026-02-01", "2026-01-31", "2026-01-01", "2026-02-01")]
    [InlineData("2025-12-31", "2026-01-31", "2026-05-01", "2026-04-30", "2026-05-31")]
    public void Roll_MonthlyPeriod_RollsForwardWholeCyclesFromTheStoredEnd(string start, string end, string now, string expectedStart, string expectedEnd)
    {
        var subscription = new Subscription { PlanCode = PlanCatalog.Starter, Cycle = BillingCycle.Monthly, CurrentPeriodStart = Utc(start), CurrentPeriodEnd = Utc(end) };

        SubscriptionTerms.Roll(subscription, Utc(now));

        Assert.Equal(Utc(expectedStart), subscription.CurrentPeriodStart);
        Assert.Equal(Utc(expectedEnd), subscription.CurrentPeriodEnd);
    }

    private static DateTime Utc(string date) =>
        DateTime.SpecifyKind(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private UsageLedger Ledger(AppDbContext context) => new(context, _time, Options.Create(new UsageOptions()));

    private async Task<ReserveResult> ReserveAsync(TestDatabase database, Guid workspaceId, Guid jobId, long units)
    {
        await using var context = database.CreateContext();
        return await Ledger(context).ReserveAsync(workspaceId, Meters.Images, units, jobId, Ct);
    }

    private async Task<long> UsedAsync(TestDatabase database, Guid workspaceId)
    {
        await using var context = database.CreateContext();
        return (await Ledger(context).EnsureCounterAsync(workspaceId, Meters.Images, Ct)).Used;
    }

    private static async Task<UsageReservation> ReservationAsync(TestDatabase database, Guid jobId)
    {
        await using var context = database.CreateContext();
#pragma warning disable RS0030 // Test inspection across workspaces.
        return await context.UsageReservations.IgnoreQueryFilters().SingleAsync(r => r.JobId == jobId, Ct);
#pragma warning restore RS0030
    }

    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<string> Commands { get; } = [];

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
