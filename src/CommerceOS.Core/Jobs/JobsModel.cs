using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Jobs;

internal static class JobsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Job>(job =>
        {
            job.Property(j => j.Kind).HasMaxLength(60);
            job.Property(j => j.LastError).HasMaxLength(2000);
            job.Property(j => j.HangfireJobId).HasMaxLength(100);
            job.HasIndex(j => new { j.Status, j.LeaseUntil });
            job.HasIndex(j => new { j.WorkspaceId, j.CreatedAt });
            job.HasIndex(j => new { j.Status, j.FinishedAt });
            job.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            job.Ignore(j => j.IsTerminal);
        });

        builder.Entity<OutboxMessage>(outbox =>
        {
            outbox.HasIndex(o => o.DispatchedAt);
            outbox.HasOne<Job>().WithMany().HasForeignKey(o => o.JobId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
