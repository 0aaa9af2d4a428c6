namespace CommerceOS.Core.Jobs;

/// <summary>
/// Adds a <see cref="Job"/> row and its <see cref="OutboxMessage"/> to the current
/// <see cref="Data.AppDbContext"/> without saving: the caller's SaveChanges commits the business
/// row, the job and the outbox entry in one transaction. The dispatcher then hands it to Hangfire.
/// </summary>
public interface IJobScheduler
{
    /// <param name="input">Serialised to <see cref="Job.InputJson"/>; IDs and parameters only, never personal data.</param>
    Job Schedule(string kind, Guid workspaceId, Guid? subjectId = null, object? input = null, Guid? createdByUserId = null);
}
