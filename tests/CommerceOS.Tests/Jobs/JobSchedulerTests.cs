using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Jobs;

public sealed class JobSchedulerTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Schedule_SaveChanges_WritesJobAndOutboxTogether(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);
        var workspaceId = await TestWorkspaces.CreateAsync(database);

        var jobId = await harness.ScheduleAsync(workspaceId, new { AssetId = Guid.Empty, Size = 256 });

        var job = await harness.LoadAsync(jobId);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(harness.Now, job.CreatedAt);
        Assert.Equal(workspaceId, job.WorkspaceId);
        Assert.Equal(0, job.Attempts);
        Assert.Equal("""{"assetId":"00000000-0000-0000-0000-000000000000","size":256}""", job.InputJson);
        await using var context = database.CreateContext();
        var outbox = await context.OutboxMessages.SingleAsync(ct);
        Assert.Equal(jobId, outbox.JobId);
        Assert.Null(outbox.DispatchedAt);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Schedule_SaveChangesFails_WritesNeitherJobNorOutbox(DatabaseKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var harness = JobsHarness.Create(database);

        await using (var scope = harness.Services.CreateAsyncScope())
        {
            // No such workspace: the job's foreign key fails, and the outbox row must go down with it.
            scope.ServiceProvider.GetRequiredService<IJobScheduler>().Schedule(TestJobHandler.JobKind, Guid.CreateVersion7());
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
        }

        await using var context = database.CreateContext();
        Assert.Equal(0, await context.OutboxMessages.CountAsync(ct));
#pragma warning disable RS0030 // Test inspection across workspaces.
        Assert.Equal(0, await context.Jobs.IgnoreQueryFilters().CountAsync(ct));
#pragma warning restore RS0030
    }
}
