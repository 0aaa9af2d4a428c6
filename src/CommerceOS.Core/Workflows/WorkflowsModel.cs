using CommerceOS.Core.Catalog;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

internal static class WorkflowsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<WorkflowBatch>(batch =>
        {
            batch.Property(b => b.TemplateId).HasMaxLength(60);
            batch.Property(b => b.TemplateName).HasMaxLength(200);
            batch.Property(b => b.MarketplacesJson).HasMaxLength(1000);
            batch.HasIndex(b => new { b.WorkspaceId, b.CreatedAt });
            batch.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(b => b.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<WorkflowRun>(run =>
        {
            run.Property(r => r.TemplateId).HasMaxLength(60);
            run.Property(r => r.TemplateName).HasMaxLength(200);
            run.Property(r => r.MarketplacesJson).HasMaxLength(1000);
            run.HasIndex(r => new { r.WorkspaceId, r.CreatedAt });
            run.HasIndex(r => new { r.BatchId, r.Status });
            run.HasIndex(r => new { r.Status, r.UpdatedAt });
            run.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            run.HasOne<WorkflowBatch>().WithMany().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Cascade);
            run.HasOne<Product>().WithMany().HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Cascade);
            run.Ignore(r => r.IsFinal);
        });

        builder.Entity<WorkflowStep>(step =>
        {
            step.Property(s => s.Key).HasMaxLength(100);
            step.Property(s => s.StepKey).HasMaxLength(40);
            step.Property(s => s.Skill).HasMaxLength(60);
            step.Property(s => s.Marketplace).HasMaxLength(40);
            step.Property(s => s.Provider).HasMaxLength(40);
            step.Property(s => s.Error).HasMaxLength(200);
            step.HasIndex(s => new { s.RunId, s.Key }).IsUnique();
            step.HasIndex(s => new { s.Status, s.ReadyAt });
            step.HasIndex(s => s.JobId);
            step.HasOne<WorkflowRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            step.Ignore(s => s.IsFinal);
        });

        builder.Entity<WorkflowStepExecution>(execution =>
        {
            execution.Property(e => e.Provider).HasMaxLength(40);
            execution.Property(e => e.Meter).HasMaxLength(40);
            execution.HasIndex(e => e.JobId).IsUnique();
            execution.HasIndex(e => new { e.StepId, e.Number }).IsUnique();
            execution.HasIndex(e => e.RunId);
            execution.HasOne<WorkflowStep>().WithMany().HasForeignKey(e => e.StepId).OnDelete(DeleteBehavior.Cascade);
            execution.HasOne<Job>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<WorkflowTemplate>(template =>
        {
            template.Property(t => t.Name).HasMaxLength(WorkflowLimits.MaxNameLength);
            template.Property(t => t.Description).HasMaxLength(WorkflowLimits.MaxDescriptionLength);
            template.Property(t => t.BasedOn).HasMaxLength(60);
            template.HasIndex(t => new { t.WorkspaceId, t.Name }).IsUnique();
            template.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>Cross-workspace reads for the engine, which serves every workspace; use cases go through the tenant filter.</summary>
internal static class WorkflowQueries
{
#pragma warning disable RS0030 // System queries: the engine reconciles and launches steps of every workspace, each addressed by id.
    public static IQueryable<WorkflowRun> AllWorkflowRuns(this AppDbContext db) => db.WorkflowRuns.IgnoreQueryFilters();

    public static IQueryable<WorkflowStep> AllWorkflowSteps(this AppDbContext db) => db.WorkflowSteps.IgnoreQueryFilters();
#pragma warning restore RS0030
}
