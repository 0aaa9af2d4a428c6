using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Workflows;

/// <summary>
/// Runs a template over products: one run per product, all in one batch. Checks the plan (workflow orchestrator), the
/// template, the marketplaces and the products, and that the quota left covers every metered step of every run before
/// anything starts; then stores the runs with their first steps ready and wakes the engine. Units are reserved per step
/// when the step launches, so a run never holds quota it is not using. Editors and above.
/// </summary>
public sealed class StartWorkflowRuns(
    AppDbContext db,
    WorkspaceContext workspace,
    WorkflowTemplateStore templates,
    IMarketplaceCatalog marketplaces,
    UsageLedger ledger,
    IServiceProvider services,
    WorkflowSignal signal,
    TimeProvider time)
{
    /// <param name="ProductIds">The products; ignored when <paramref name="AllProducts"/> is true.</param>
    /// <param name="Marketplaces">Overrides the template's marketplaces (the closed loop's choice); null keeps them.</param>
    public sealed record Request(string? TemplateId, IReadOnlyList<Guid>? ProductIds, bool AllProducts = false, IReadOnlyList<string>? Marketplaces = null, string? Culture = null);

    public sealed record Started(WorkflowBatch Batch, IReadOnlyList<WorkflowRun> Runs, IReadOnlyDictionary<string, long> Units);

    private const int SaveChunk = 200;

    public async Task<Result<Started>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        if (!await db.WorkspaceHasFeatureAsync(PlanFeatures.WorkflowOrchestrator, time, cancellationToken))
        {
            return Result.Conflict("", WorkflowErrors.FeatureRequired, PlanFeatures.WorkflowOrchestrator);
        }

        var template = await templates.FindAsync(request.TemplateId, request.Culture, cancellationToken);
        if (template is null)
        {
            return Result.Invalid("template", WorkflowErrors.TemplateUnknown);
        }

        var chosen = request.Marketplaces is { Count: > 0 } ? request.Marketplaces : template.Definition.Marketplaces;
        var errors = WorkflowPlanner.ValidateMarketplaces(chosen, marketplaces);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var marketplaceIds = chosen.Select(m => marketplaces.Find(m)!.Id).Distinct(StringComparer.Ordinal).ToList();
        var definition = template.Definition with { Marketplaces = marketplaceIds };
        var definitionErrors = WorkflowPlanner.Validate(definition, SkillCatalog.Default, marketplaces);
        if (definitionErrors.Count > 0)
        {
            // A stored template that no longer validates (a skill was withdrawn) cannot run.
            return Result.Invalid(definitionErrors);
        }

        var productIds = await ProductsAsync(request, cancellationToken);
        if (productIds.Error is { } productError)
        {
            return Result.Invalid([productError]);
        }

        var plan = WorkflowPlanner.Plan(definition, marketplaceIds, SkillCatalog.Default);
        var units = Estimate(plan, productIds.Ids.Count);
        var shortfall = await ShortfallAsync(units, cancellationToken);
        if (shortfall is not null)
        {
            return Result.Conflict("", WorkflowErrors.QuotaInsufficient, shortfall.Value.Meter, shortfall.Value.Needed, shortfall.Value.Left);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var marketplacesJson = WorkflowJson.Write(marketplaceIds);
        var batch = new WorkflowBatch
        {
            WorkspaceId = workspace.RequiredWorkspaceId,
            TemplateId = template.Id,
            TemplateName = template.Name,
            MarketplacesJson = marketplacesJson,
            RunCount = productIds.Ids.Count,
            CreatedByUserId = workspace.UserId,
            CreatedAt = now,
        };
        var runs = new List<WorkflowRun>(productIds.Ids.Count);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.WorkflowBatches.Add(batch);
        foreach (var productId in productIds.Ids)
        {
            var run = new WorkflowRun
            {
                WorkspaceId = batch.WorkspaceId,
                BatchId = batch.Id,
                ProductId = productId,
                TemplateId = template.Id,
                TemplateName = template.Name,
                MarketplacesJson = marketplacesJson,
                Status = WorkflowRunStatus.Running,
                StepCount = plan.Count,
                CreatedByUserId = workspace.UserId,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var steps = plan.Select(p => NewStep(run, p, now)).ToList();
            WorkflowResolution.Advance(steps);
            foreach (var step in steps.Where(s => s.Status == WorkflowStepStatus.Ready))
            {
                step.ReadyAt = now;
            }

            run.StepsDone = steps.Count(s => s.IsFinal);
            run.Status = WorkflowResolution.RunStatus(steps);
            run.FinishedAt = run.IsFinal ? now : null;
            db.WorkflowRuns.Add(run);
            db.WorkflowSteps.AddRange(steps);
            runs.Add(run);
            if (runs.Count % SaveChunk == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        signal.Notify();
        return new Started(batch, runs, units);
    }

    private static WorkflowStep NewStep(WorkflowRun run, PlannedStep planned, DateTime now) => new()
    {
        WorkspaceId = run.WorkspaceId,
        RunId = run.Id,
        Key = planned.Key,
        StepKey = planned.StepKey,
        Skill = planned.Skill.Id,
        Marketplace = planned.Marketplace,
        Optional = planned.Optional,
        Provider = planned.Provider,
        ParametersJson = planned.Parameters.ToJsonString(),
        DependsOnJson = WorkflowJson.Write(planned.DependsOn),
        Position = planned.Position,
        Status = planned.Applicable ? WorkflowStepStatus.Pending : WorkflowStepStatus.Skipped,
        Error = planned.Applicable ? null : WorkflowErrors.NotApplicable,
        FinishedAt = planned.Applicable ? null : now,
    };

    /// <summary>Units per meter every run of the batch will reserve, from each skill's launcher.</summary>
    private Dictionary<string, long> Estimate(IReadOnlyList<PlannedStep> plan, int runs)
    {
        var units = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var step in plan.Where(p => p.Applicable))
        {
            var launcher = services.GetKeyedService<ISkillLauncher>(step.Skill.Operation);
            if (launcher?.Estimate(step) is { } estimate)
            {
                units[estimate.Meter] = units.GetValueOrDefault(estimate.Meter) + (estimate.Units * runs);
            }
        }

        return units;
    }

    private async Task<(string Meter, long Needed, long Left)?> ShortfallAsync(Dictionary<string, long> units, CancellationToken cancellationToken)
    {
        var usage = await ledger.GetUsageAsync(workspace.RequiredWorkspaceId, cancellationToken);
        foreach (var (meter, needed) in units.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if (usage.FirstOrDefault(u => u.Meter == meter) is { Limit: { } limit } current && needed > limit - current.Used)
            {
                return (meter, needed, Math.Max(0, limit - current.Used));
            }
        }

        return null;
    }

    private async Task<(List<Guid> Ids, FieldError? Error)> ProductsAsync(Request request, CancellationToken cancellationToken)
    {
        if (request.AllProducts)
        {
            var all = await db.Products.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
                .Select(p => p.Id).Take(WorkflowLimits.MaxBatchProducts + 1).ToListAsync(cancellationToken);
            return all.Count switch
            {
                0 => ([], new FieldError("productIds", WorkflowErrors.ProductsRequired)),
                > WorkflowLimits.MaxBatchProducts => ([], FieldError.Of("productIds", WorkflowErrors.TooManyProducts, WorkflowLimits.MaxBatchProducts)),
                _ => (all, null),
            };
        }

        var requested = (request.ProductIds ?? []).Distinct().ToList();
        if (requested.Count == 0)
        {
            return ([], new FieldError("productIds", WorkflowErrors.ProductsRequired));
        }

        if (requested.Count > WorkflowLimits.MaxBatchProducts)
        {
            return ([], FieldError.Of("productIds", WorkflowErrors.TooManyProducts, WorkflowLimits.MaxBatchProducts));
        }

        var found = new HashSet<Guid>();
        foreach (var chunk in requested.Chunk(500))
        {
            found.UnionWith(await db.Products.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken));
        }

        var missing = requested.FindIndex(id => !found.Contains(id));
        return missing >= 0 ? ([], FieldError.Of($"productIds[{missing}]", WorkflowErrors.ProductNotFound, requested[missing])) : (requested, null);
    }
}
