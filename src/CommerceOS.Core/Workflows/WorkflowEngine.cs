using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Workflows;

/// <summary>
/// Moves runs forward. Everything it does is a guarded update of rows, so any number of engines (one per worker process)
/// may pump at once and a <c>kill -9</c> at any point loses nothing:
/// <list type="number">
/// <item><b>Reconcile</b>: an active step whose job has ended takes the job's outcome (one fenced update), and its run is
/// resolved in the same transaction.</item>
/// <item><b>Resolve</b> a run: pending steps whose dependencies are done become ready; those behind a failed required step
/// are skipped; a run with nothing left to do ends. The run row is updated first, which serialises engines on one run.</item>
/// <item><b>Launch</b> ready steps fairly: workspaces in turn, least busy first, each capped at
/// <see cref="WorkflowOptions.MaxActiveStepsPerWorkspace"/> active steps and each provider at its limit. A launch claims the
/// step (Ready to Active) and schedules its job with its quota reservation in one transaction.</item>
/// </list>
/// </summary>
public sealed partial class WorkflowEngine(
    AppDbContext db,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<WorkflowOptions> options,
    ProviderNames providerNames,
    WorkflowSignal signal,
    ILogger<WorkflowEngine> logger)
{
    private const int ReconcileBatch = 200;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>One round of reconcile, repair and launch. Returns how many steps changed hands (0 = idle).</summary>
    public async Task<int> PumpAsync(CancellationToken cancellationToken)
    {
        var work = await ReconcileAsync(cancellationToken);
        work += await RepairStalledRunsAsync(cancellationToken);
        work += await LaunchReadyAsync(cancellationToken);
        return work;
    }

    /// <summary>Applies finished jobs to their steps.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var finished = await db.AllWorkflowSteps().AsNoTracking()
            .Where(s => s.Status == WorkflowStepStatus.Active && s.JobId != null)
            .Join(db.AllJobs(), s => s.JobId, j => j.Id, (s, j) => new { s.Id, s.RunId, JobId = j.Id, j.Status, j.LastError, j.OutputJson, j.FinishedAt })
            .Where(x => x.Status == JobStatus.Succeeded || x.Status == JobStatus.Failed || x.Status == JobStatus.DeadLettered || x.Status == JobStatus.Cancelled)
            .OrderBy(x => x.FinishedAt)
            .Take(ReconcileBatch)
            .ToListAsync(cancellationToken);
        var applied = 0;
        foreach (var item in finished)
        {
            var (status, error, args) = item.Status switch
            {
                JobStatus.Succeeded => (WorkflowStepStatus.Succeeded, (string?)null, (string?)null),
                JobStatus.Cancelled => (WorkflowStepStatus.Cancelled, WorkflowErrors.Cancelled, null),
                _ => ErrorOf(item.LastError),
            };
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await TouchRunAsync(item.RunId, cancellationToken);
            var now = Now;
            var rows = await db.AllWorkflowSteps()
                .Where(s => s.Id == item.Id && s.Status == WorkflowStepStatus.Active && s.JobId == item.JobId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(x => x.Status, status)
                        .SetProperty(x => x.Error, error)
                        .SetProperty(x => x.ErrorArgsJson, args)
                        .SetProperty(x => x.OutputJson, item.Status == JobStatus.Succeeded ? item.OutputJson : null)
                        .SetProperty(x => x.FinishedAt, now),
                    cancellationToken);
            if (rows == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }

            await ResolveRunCoreAsync(item.RunId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }

        return applied;
    }

    /// <summary>
    /// Resolves the run in the caller's transaction (or in one of its own): after a step changed, or to repair a run an
    /// earlier crash left between two updates.
    /// </summary>
    public async Task ResolveRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await TouchRunAsync(runId, cancellationToken);
            await ResolveRunCoreAsync(runId, cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TouchRunAsync(runId, cancellationToken);
        await ResolveRunCoreAsync(runId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Launches ready steps within the fairness and provider limits. Returns how many were launched.</summary>
    public async Task<int> LaunchReadyAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var waiting = await db.AllWorkflowSteps().AsNoTracking()
            .Where(s => s.Status == WorkflowStepStatus.Ready)
            .GroupBy(s => s.WorkspaceId)
            .Select(g => g.Key)
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var activeByWorkspace = await db.AllWorkflowSteps().AsNoTracking()
            .Where(s => s.Status == WorkflowStepStatus.Active)
            .GroupBy(s => s.WorkspaceId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var activeSteps = await db.AllWorkflowSteps().AsNoTracking()
            .Where(s => s.Status == WorkflowStepStatus.Active)
            .Select(s => new { s.Skill, s.Provider })
            .ToListAsync(cancellationToken);
        var activeByProvider = activeSteps
            .GroupBy(s => providerNames.For(s.Skill, s.Provider))
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        // Each workspace's oldest runs first (depth-first), so a batch finishes products one after another.
        var queues = new List<Queue<ReadyStep>>();
        foreach (var workspaceId in waiting.OrderBy(w => activeByWorkspace.GetValueOrDefault(w)))
        {
            var room = settings.MaxActiveStepsPerWorkspace - activeByWorkspace.GetValueOrDefault(workspaceId);
            if (room <= 0)
            {
                continue;
            }

            var steps = await db.AllWorkflowSteps().AsNoTracking()
                .Where(s => s.WorkspaceId == workspaceId && s.Status == WorkflowStepStatus.Ready)
                .OrderBy(s => s.RunId).ThenBy(s => s.Position)
                .Take(room * 4)
                .Select(s => new ReadyStep(s.Id, s.WorkspaceId, s.Skill, s.Provider))
                .ToListAsync(cancellationToken);
            queues.Add(new Queue<ReadyStep>(steps));
        }

        var launched = 0;
        while (queues.Count > 0 && launched < settings.MaxLaunchesPerPump)
        {
            for (var i = 0; i < queues.Count && launched < settings.MaxLaunchesPerPump; i++)
            {
                var queue = queues[i];
                while (queue.Count > 0)
                {
                    var step = queue.Dequeue();
                    if (activeByWorkspace.GetValueOrDefault(step.WorkspaceId) >= settings.MaxActiveStepsPerWorkspace)
                    {
                        queue.Clear();
                        break;
                    }

                    var provider = providerNames.For(step.Skill, step.Provider);
                    if (settings.ProviderLimits.TryGetValue(provider, out var limit) && activeByProvider.GetValueOrDefault(provider) >= limit)
                    {
                        continue;
                    }

                    if (await TryLaunchAsync(step.Id, cancellationToken))
                    {
                        activeByWorkspace[step.WorkspaceId] = activeByWorkspace.GetValueOrDefault(step.WorkspaceId) + 1;
                        activeByProvider[provider] = activeByProvider.GetValueOrDefault(provider) + 1;
                        launched++;
                    }

                    break;
                }
            }

            queues.RemoveAll(q => q.Count == 0);
        }

        return launched;
    }

    private async Task<bool> TryLaunchAsync(Guid stepId, CancellationToken cancellationToken)
    {
        try
        {
            return await LaunchAsync(stepId, cancellationToken);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            // The launch rolled back and the step is still Ready: the next pump tries again; the others go on meanwhile.
            LogLaunchFailed(exception, stepId);
            return false;
        }
    }

    /// <summary>
    /// Claims a ready step and starts it, in its own scope whose workspace is the run's (the use cases read the tenant
    /// filter and the member's role). True when the step became active (a job or an approval wait).
    /// </summary>
    public async Task<bool> LaunchAsync(Guid stepId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var scoped = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var step = await scoped.AllWorkflowSteps().AsNoTracking().SingleOrDefaultAsync(s => s.Id == stepId, cancellationToken);
        if (step is not { Status: WorkflowStepStatus.Ready })
        {
            return false;
        }

        var run = await scoped.AllWorkflowRuns().AsNoTracking().SingleAsync(r => r.Id == step.RunId, cancellationToken);
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(run.WorkspaceId, run.CreatedByUserId, WorkspaceRole.Editor);
        var skill = SkillCatalog.Default.Find(step.Skill);
        var launcher = skill is null ? null : scope.ServiceProvider.GetKeyedService<ISkillLauncher>(skill.Operation);
        var dependencyKeys = WorkflowJson.Strings(step.DependsOnJson);
        var dependencies = await scoped.WorkflowSteps.AsNoTracking()
            .Where(s => s.RunId == run.Id && dependencyKeys.Contains(s.Key))
            .ToListAsync(cancellationToken);

        var engine = scope.ServiceProvider.GetRequiredService<WorkflowEngine>();
        await using var transaction = await scoped.Database.BeginTransactionAsync(cancellationToken);
        await engine.TouchRunAsync(run.Id, cancellationToken);
        var now = Now;
        var claimed = await scoped.AllWorkflowSteps()
            .Where(s => s.Id == stepId && s.Status == WorkflowStepStatus.Ready)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, WorkflowStepStatus.Active)
                    .SetProperty(x => x.StartedAt, now)
                    .SetProperty(x => x.FinishedAt, (DateTime?)null)
                    .SetProperty(x => x.Launches, x => x.Launches + 1),
                cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        LaunchOutcome outcome;
        if (skill is null || launcher is null)
        {
            outcome = new LaunchOutcome.Refused(new Common.FieldError("skill", WorkflowErrors.SkillUnknown));
        }
        else
        {
            var parameters = JsonNode.Parse(step.ParametersJson) as JsonObject ?? [];
            outcome = await launcher.LaunchAsync(new StepLaunchContext(run, step, skill, parameters, dependencies), cancellationToken);
        }

        switch (outcome)
        {
            case LaunchOutcome.Started started:
                var reservation = await scoped.UsageReservations.AsNoTracking()
                    .Where(r => r.JobId == started.Job.Id)
                    .Select(r => new { r.Meter, r.Units })
                    .FirstOrDefaultAsync(cancellationToken);
                scoped.WorkflowStepExecutions.Add(new WorkflowStepExecution
                {
                    WorkspaceId = run.WorkspaceId,
                    RunId = run.Id,
                    StepId = step.Id,
                    JobId = started.Job.Id,
                    Number = step.Launches + 1,
                    Provider = providerNames.For(step.Skill, step.Provider),
                    Meter = reservation?.Meter,
                    Units = reservation?.Units ?? 0,
                    LaunchedAt = now,
                });
                await scoped.SaveChangesAsync(cancellationToken);
                await scoped.AllWorkflowSteps().Where(s => s.Id == stepId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.JobId, started.Job.Id).SetProperty(x => x.Error, (string?)null).SetProperty(x => x.ErrorArgsJson, (string?)null), cancellationToken);
                break;
            case LaunchOutcome.AwaitApproval:
                await scoped.AllWorkflowSteps().Where(s => s.Id == stepId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, WorkflowStepStatus.AwaitingApproval), cancellationToken);
                await engine.ResolveRunCoreAsync(run.Id, cancellationToken);
                break;
            case LaunchOutcome.Refused refused:
                scoped.ChangeTracker.Clear();
                await scoped.AllWorkflowSteps().Where(s => s.Id == stepId)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(x => x.Status, WorkflowStepStatus.Failed)
                            .SetProperty(x => x.Error, refused.Error.Code)
                            .SetProperty(x => x.ErrorArgsJson, refused.Error.Args.Count == 0 ? null : WorkflowJson.Write(refused.Error.Args))
                            .SetProperty(x => x.FinishedAt, now),
                        cancellationToken);
                await engine.ResolveRunCoreAsync(run.Id, cancellationToken);
                LogRefused(run.Id, step.Key, refused.Error.Code);
                break;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Runs left without a ready or active step while steps still wait (a crash between two updates) are resolved again.</summary>
    private async Task<int> RepairStalledRunsAsync(CancellationToken cancellationToken)
    {
        var stalled = await db.AllWorkflowRuns().AsNoTracking()
            .Where(r => r.Status == WorkflowRunStatus.Running
                && !db.AllWorkflowSteps().Any(s => s.RunId == r.Id
                    && (s.Status == WorkflowStepStatus.Ready || s.Status == WorkflowStepStatus.Active || s.Status == WorkflowStepStatus.AwaitingApproval)))
            .OrderBy(r => r.UpdatedAt)
            .Select(r => r.Id)
            .Take(ReconcileBatch)
            .ToListAsync(cancellationToken);
        foreach (var runId in stalled)
        {
            await ResolveRunAsync(runId, cancellationToken);
        }

        return 0;
    }

    /// <summary>The first write of every transaction that changes a run's steps: it takes the run's row lock.</summary>
    internal Task<int> TouchRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.AllWorkflowRuns().Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision + 1).SetProperty(r => r.UpdatedAt, now), cancellationToken);
    }

    /// <summary>
    /// Pending steps become ready or skipped until nothing changes; then the run's status and counters follow its steps.
    /// A dependency is satisfied when it succeeded, or when it is optional and final (failed, skipped or cancelled).
    /// </summary>
    internal async Task ResolveRunCoreAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await db.AllWorkflowRuns().AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        var steps = await db.AllWorkflowSteps().AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        var now = Now;
        var changed = run.Status == WorkflowRunStatus.Cancelled ? [] : WorkflowResolution.Advance(steps);
        foreach (var step in changed)
        {
            await db.AllWorkflowSteps()
                .Where(s => s.Id == step.Id && s.Status == WorkflowStepStatus.Pending)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(x => x.Status, step.Status)
                        .SetProperty(x => x.Error, step.Error)
                        .SetProperty(x => x.ErrorArgsJson, step.ErrorArgsJson)
                        .SetProperty(x => x.ReadyAt, step.Status == WorkflowStepStatus.Ready ? now : null)
                        .SetProperty(x => x.FinishedAt, step.Status == WorkflowStepStatus.Skipped ? now : null),
                    cancellationToken);
        }

        var done = steps.Count(s => s.IsFinal);
        var status = run.Status == WorkflowRunStatus.Cancelled ? run.Status : WorkflowResolution.RunStatus(steps);
        DateTime? finishedAt = status is WorkflowRunStatus.Running or WorkflowRunStatus.AwaitingApproval ? null : run.FinishedAt ?? now;

        await db.AllWorkflowRuns().Where(r => r.Id == runId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, status)
                    .SetProperty(r => r.StepsDone, done)
                    .SetProperty(r => r.FinishedAt, finishedAt),
                cancellationToken);
        if (changed.Any(c => c.Status == WorkflowStepStatus.Ready))
        {
            signal.Notify();
        }
    }

    /// <summary>A failed job's reason for the step: its code when the job stored one, else the generic code with the text.</summary>
    private static (WorkflowStepStatus, string?, string?) ErrorOf(string? lastError) =>
        lastError is not null && ErrorCode().IsMatch(lastError)
            ? (WorkflowStepStatus.Failed, lastError, null)
            : (WorkflowStepStatus.Failed, WorkflowErrors.JobFailed, WorkflowJson.Write(new[] { lastError ?? "" }));

    [GeneratedRegex(@"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCode();

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow run {RunId} step {StepKey} refused at launch: {Code}")]
    private partial void LogRefused(Guid runId, string stepKey, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Launching workflow step {StepId} failed; it stays ready for the next pump")]
    private partial void LogLaunchFailed(Exception exception, Guid stepId);

    private sealed record ReadyStep(Guid Id, Guid WorkspaceId, string Skill, string? Provider);
}
