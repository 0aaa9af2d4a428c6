using System.Text.Json;
using CommerceOS.Core.Data;

namespace CommerceOS.Core.Jobs;

/// <inheritdoc cref="IJobScheduler"/>
public sealed class JobScheduler(AppDbContext db, TimeProvider time) : IJobScheduler
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Job Schedule(string kind, Guid workspaceId, Guid? subjectId = null, object? input = null, Guid? createdByUserId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (workspaceId == Guid.Empty)
        {
            throw new ArgumentException("A job needs a workspace.", nameof(workspaceId));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            Kind = kind,
            WorkspaceId = workspaceId,
            SubjectId = subjectId,
            InputJson = input is null ? null : JsonSerializer.Serialize(input, input.GetType(), JsonOptions),
            CreatedByUserId = createdByUserId,
            Status = JobStatus.Queued,
            CreatedAt = now,
        };
        db.Jobs.Add(job);
        db.OutboxMessages.Add(new OutboxMessage { JobId = job.Id, CreatedAt = now });
        return job;
    }
}
