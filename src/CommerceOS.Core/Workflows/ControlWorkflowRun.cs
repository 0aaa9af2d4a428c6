using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

/// <summary>
/// A member's hand on a run: cancel it, resume it after a failure or a cancellation, re-run one step, or approve a gate.
/// Each change is one transaction that takes the run's row first (as the engine does), so it never races the engine.
/// Editors and above.
/// </summary>
public sealed class ControlWorkflowRun(AppDbContext db, WorkspaceContext workspace, WorkflowEngine engine, JobCancellation cancellation, WorkflowSignal signal, TimeProvider time)
{
    /// <summary>Cancels a run: waiting steps end as cancelled and running jobs are asked to stop (their reservations are returned).</summary>
    public async Task<Result<WorkflowRun>> CancelAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run.Error is not null)
        {
            return run.Error;
        }

        if (run.Run!.IsFinal)
        {
            return Result.Conflict("", WorkflowErrors.RunFinal);
        }

        var now = time.GetUtcNow().UtcDateTime;
        List<Guid> jobs;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await engine.TouchRunAsync(runId, cancellationToken);
            await db.WorkflowSteps
                .Where(s => s.RunId == runId && (s.Status == WorkflowStepStatus.Pending || s.Status == WorkflowStepStatus.Ready || s.Status == WorkflowStepStatus.AwaitingApproval))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(x => x.Status, WorkflowStepStatus.Cancelled)
                        .SetProperty(x => x.Error, WorkflowErrors.Cancelled)
                        .SetProperty(x => x.FinishedAt, now),
                    cancellationToken);
            jobs = await db.WorkflowSteps.Where(s => s.RunId == runId && s.Status == WorkflowStepStatus.Active && s.JobId != null)
                .Select(s => s.JobId!.Value).ToListAsync(cancellationToken);
            await db.WorkflowRuns.Where(r => r.Id == runId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, WorkflowRunStatus.Cancelled).SetProperty(r => r.FinishedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // After the commit: the engine records each stopped job on its step (Cancelled) as it reconciles.
        foreach (var jobId in jobs)
        {
            await cancellation.CancelAsync(jobId, cancellationToken);
        }

        await engine.ResolveRunAsync(runId, cancellationToken);
        signal.Notify();
        return await db.WorkflowRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>Resumes a failed or cancelled run: every step that did not succeed (and applies) waits again; the rest is kept.</summary>
    public async Task<Result<WorkflowRun>> ResumeAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run.Error is not null)
        {
            return run.Error;
        }

        if (run.Run!.Status is not (WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled))
        {
            return Result.Conflict("", WorkflowErrors.RunNotResumable);
        }

        if (await db.WorkflowSteps.AnyAsync(s => s.RunId == runId && s.Status == WorkflowStepStatus.Active, cancellationToken))
        {
            // A cancelled job has not reported back yet: resuming now would run its step twice.
            return Result.Conflict("", WorkflowErrors.RunNotResumable);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await engine.TouchRunAsync(runId, cancellationToken);
        await db.WorkflowSteps
            .Where(s => s.RunId == runId && (s.Status == WorkflowStepStatus.Failed || s.Status == WorkflowStepStatus.Cancelled
                || (s.Status == WorkflowStepStatus.Skipped && s.Error != WorkflowErrors.NotApplicable)))
            .ExecuteUpdateAsync(Reset, cancellationToken);
        await db.WorkflowRuns.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, WorkflowRunStatus.Running).SetProperty(r => r.FinishedAt, (DateTime?)null), cancellationToken);
        await engine.ResolveRunAsync(runId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return await db.WorkflowRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>
    /// Runs one finished step again (a new job, charged again), with the steps that were skipped or cancelled because of it.
    /// Steps after it that already succeeded keep their result.
    /// </summary>
    public async Task<Result<WorkflowRun>> RerunStepAsync(Guid runId, string? stepKey, CancellationToken cancellationToken)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run.Error is not null)
        {
            return run.Error;
        }

        var steps = await db.WorkflowSteps.AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        var step = steps.FirstOrDefault(s => s.Key == stepKey);
        if (step is null)
        {
            return Result.Invalid("step", WorkflowErrors.StepUnknown);
        }

        if (!step.IsFinal || step.Error == WorkflowErrors.NotApplicable || SkillCatalog.Default.Find(step.Skill)?.Operation == SkillOperations.Approval || run.Run!.Status == WorkflowRunStatus.Cancelled)
        {
            return Result.Conflict("step", WorkflowErrors.StepNotRerunnable);
        }

        var reset = new HashSet<string>(StringComparer.Ordinal) { step.Key };
        bool grew;
        do
        {
            grew = false;
            foreach (var later in steps.Where(s => !reset.Contains(s.Key)
                && s.Status is WorkflowStepStatus.Skipped or WorkflowStepStatus.Cancelled
                && s.Error != WorkflowErrors.NotApplicable
                && WorkflowJson.Strings(s.DependsOnJson).Any(reset.Contains)))
            {
                reset.Add(later.Key);
                grew = true;
            }
        }
        while (grew);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await engine.TouchRunAsync(runId, cancellationToken);
        var keys = reset.ToList();
        await db.WorkflowSteps.Where(s => s.RunId == runId && keys.Contains(s.Key) && s.Status != WorkflowStepStatus.Active).ExecuteUpdateAsync(Reset, cancellationToken);
        await db.WorkflowRuns.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, WorkflowRunStatus.Running).SetProperty(r => r.FinishedAt, (DateTime?)null), cancellationToken);
        await engine.ResolveRunAsync(runId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return await db.WorkflowRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>Approves a gate: the steps after it (export, publishing) may run.</summary>
    public async Task<Result<WorkflowRun>> ApproveAsync(Guid runId, string? stepKey, CancellationToken cancellationToken)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run.Error is not null)
        {
            return run.Error;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await engine.TouchRunAsync(runId, cancellationToken);
        var rows = await db.WorkflowSteps
            .Where(s => s.RunId == runId && s.Key == stepKey && s.Status == WorkflowStepStatus.AwaitingApproval)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, WorkflowStepStatus.Succeeded)
                    .SetProperty(x => x.ApprovedByUserId, workspace.UserId)
                    .SetProperty(x => x.OutputJson, WorkflowJson.Write(new { approvedBy = workspace.UserId, approvedAt = now }))
                    .SetProperty(x => x.FinishedAt, now),
                cancellationToken);
        if (rows == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Result.Conflict("step", WorkflowErrors.StepNotAwaitingApproval);
        }

        await engine.ResolveRunAsync(runId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return await db.WorkflowRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
    }

    private static void Reset(Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<WorkflowStep> s) =>
        s.SetProperty(x => x.Status, WorkflowStepStatus.Pending)
            .SetProperty(x => x.Error, (string?)null)
            .SetProperty(x => x.ErrorArgsJson, (string?)null)
            .SetProperty(x => x.ReadyAt, (DateTime?)null)
            .SetProperty(x => x.FinishedAt, (DateTime?)null);

    private async Task<(WorkflowRun? Run, Result? Error)> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return (null, Result.Forbidden());
        }

        var run = await db.WorkflowRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        return run is null ? (null, Result.NotFound()) : (run, null);
    }
}
