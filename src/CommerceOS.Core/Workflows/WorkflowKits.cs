using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

/// <summary>
/// The listing kit of a run or a batch for one marketplace: the run's products and the jobs of their latest step launches,
/// so the ZIP holds what the workflow made (a re-run step's newer output replaces the older one), not older studio work.
/// Viewers and above.
/// </summary>
public sealed class WorkflowKits(AppDbContext db, WorkspaceContext workspace)
{
    public async Task<Result<ListingKitRequest>> ForRunAsync(Guid runId, string? marketplace, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var run = await db.WorkflowRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.ProductId }).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return Result.NotFound();
        }

        var jobs = await db.WorkflowSteps.AsNoTracking()
            .Where(s => s.RunId == runId && s.JobId != null && s.Status == WorkflowStepStatus.Succeeded)
            .Select(s => s.JobId!.Value)
            .ToListAsync(cancellationToken);
        return new ListingKitRequest(marketplace ?? "", [run.ProductId], jobs);
    }

    public async Task<Result<ListingKitRequest>> ForBatchAsync(Guid batchId, string? marketplace, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        if (!await db.WorkflowBatches.AnyAsync(b => b.Id == batchId, cancellationToken))
        {
            return Result.NotFound();
        }

        var products = await db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => r.ProductId).ToListAsync(cancellationToken);
        var jobs = await db.WorkflowSteps.AsNoTracking()
            .Join(db.WorkflowRuns.AsNoTracking().Where(r => r.BatchId == batchId), s => s.RunId, r => r.Id, (s, r) => s)
            .Where(s => s.JobId != null && s.Status == WorkflowStepStatus.Succeeded)
            .Select(s => s.JobId!.Value)
            .ToListAsync(cancellationToken);
        return new ListingKitRequest(marketplace ?? "", [.. products.Distinct()], jobs);
    }
}

/// <summary>What the export step stores: the kit's figures, checked by building it (the ZIP itself is built on download).</summary>
public sealed record ExportStepOutput(string Marketplace, int Files, int Missing, int Flagged, long Bytes);

/// <summary>
/// The export step: builds the run's kit for its marketplace into nothing, to prove it builds and to report what it holds and
/// lacks. Storing the ZIP would copy every image of a 10,000-product batch once more; the download builds the same kit.
/// </summary>
internal sealed class ExportStepJob(WorkflowKits kits, ExportListingKit export) : IJobHandler
{
    public string Kind => WorkflowStepJobKinds.Export;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = WorkflowStepJobKinds.Input(job);
        var request = await kits.ForRunAsync(input.RunId, input.Marketplace, cancellationToken);
        if (!request.IsSuccess)
        {
            throw new JobRejectedException(request.Errors[0].Code, "The run is gone.");
        }

        var plan = await export.PrepareAsync(request.Value, cancellationToken);
        if (!plan.IsSuccess)
        {
            throw new JobRejectedException(plan.Errors[0].Code, "The kit was refused.");
        }

        var summary = await export.WriteAsync(plan.Value, Stream.Null, null, cancellationToken);
        return WorkflowJson.Write(new ExportStepOutput(summary.Marketplace, summary.Files, summary.Missing, summary.Flagged, summary.Bytes));
    }
}
