using System.Text.Json;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;

namespace CommerceOS.Tests.Assets;

/// <summary>Adds the job row and its outbox entry without saving, as the real scheduler's contract says.</summary>
internal sealed class TestJobScheduler(AppDbContext db, TimeProvider time) : IJobScheduler
{
    public Job Schedule(string kind, Guid workspaceId, Guid? subjectId = null, object? input = null, Guid? createdByUserId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            Kind = kind,
            WorkspaceId = workspaceId,
            SubjectId = subjectId,
            InputJson = input is null ? null : JsonSerializer.Serialize(input),
            CreatedByUserId = createdByUserId,
            CreatedAt = now,
            Status = JobStatus.Queued,
        };
        db.Jobs.Add(job);
        db.OutboxMessages.Add(new OutboxMessage { JobId = job.Id, CreatedAt = now });
        return job;
    }
}
