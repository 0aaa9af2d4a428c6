using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Workflows;

public enum WorkflowRunStatus
{
    Running = 0,

    /// <summary>Nothing can move until a member approves a gate step.</summary>
    AwaitingApproval = 1,
    Succeeded = 2,

    /// <summary>A required step failed (its reason is on the step); independent branches still ran to the end.</summary>
    Failed = 3,
    Cancelled = 4,
}

public enum WorkflowStepStatus
{
    /// <summary>Waits for its dependencies.</summary>
    Pending = 0,

    /// <summary>Its dependencies are done; the engine launches it when the workspace's and provider's limits allow.</summary>
    Ready = 1,

    /// <summary>Its job is queued or running (<see cref="WorkflowStep.JobId"/>).</summary>
    Active = 2,
    AwaitingApproval = 3,
    Succeeded = 4,
    Failed = 5,

    /// <summary>Not run: a required dependency failed, or the skill does not apply to the step's marketplace.</summary>
    Skipped = 6,
    Cancelled = 7,
}

/// <summary>A template run over many products at once (a selection, every product, or a CSV import).</summary>
public sealed class WorkflowBatch : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string TemplateId { get; set; }

    public required string TemplateName { get; set; }

    /// <summary>JSON array of marketplace IDs.</summary>
    public required string MarketplacesJson { get; set; }

    public int RunCount { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>One template over one product: a small DAG of <see cref="WorkflowStep"/>s.</summary>
public sealed class WorkflowRun : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid? BatchId { get; set; }

    public Guid ProductId { get; set; }

    /// <summary>A built-in template's ID or a workspace template's GUID; the steps are a snapshot taken at start.</summary>
    public required string TemplateId { get; set; }

    public required string TemplateName { get; set; }

    /// <summary>JSON array of marketplace IDs.</summary>
    public required string MarketplacesJson { get; set; }

    public WorkflowRunStatus Status { get; set; }

    /// <summary>Bumped by every change of the run's steps, first thing in the transaction: it serialises concurrent engines on one run.</summary>
    public int Revision { get; set; }

    public int StepCount { get; set; }

    /// <summary>Steps in a final state (succeeded, failed, skipped, cancelled), for list progress without loading steps.</summary>
    public int StepsDone { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public bool IsFinal => Status is WorkflowRunStatus.Succeeded or WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled;
}

/// <summary>One step of a run: a skill on the product for one marketplace (or for the product).</summary>
public sealed class WorkflowStep : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid RunId { get; set; }

    /// <summary>Unique in the run: the template step's key, with <c>@marketplace</c> for a marketplace-scoped skill.</summary>
    public required string Key { get; set; }

    /// <summary>The template step's key.</summary>
    public required string StepKey { get; set; }

    public required string Skill { get; set; }

    public string? Marketplace { get; set; }

    public bool Optional { get; set; }

    /// <summary>The provider chosen on the step, or null for the configured default.</summary>
    public string? Provider { get; set; }

    /// <summary>The merged parameters (skill defaults overlaid by the step's), as a JSON object.</summary>
    public required string ParametersJson { get; set; }

    /// <summary>JSON array of the <see cref="Key"/>s this step waits for.</summary>
    public required string DependsOnJson { get; set; }

    public int Position { get; set; }

    public WorkflowStepStatus Status { get; set; }

    /// <summary>The job of the latest launch; every launch is also a <see cref="WorkflowStepExecution"/>.</summary>
    public Guid? JobId { get; set; }

    public int Launches { get; set; }

    /// <summary>A localized error code (resource key) when the step failed or was skipped.</summary>
    public string? Error { get; set; }

    /// <summary>JSON array of the error message's format arguments.</summary>
    public string? ErrorArgsJson { get; set; }

    /// <summary>What the step made (asset IDs, copy version, keywords, compliance findings), as JSON.</summary>
    public string? OutputJson { get; set; }

    public Guid? ApprovedByUserId { get; set; }

    public DateTime? ReadyAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public bool IsFinal => Status is WorkflowStepStatus.Succeeded or WorkflowStepStatus.Failed or WorkflowStepStatus.Skipped or WorkflowStepStatus.Cancelled;
}

/// <summary>
/// One launch of a step: the job that ran it and what it was charged. With the job row (input, output, attempts, times,
/// error) it is the run's history; a re-run adds another.
/// </summary>
public sealed class WorkflowStepExecution : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid RunId { get; set; }

    public Guid StepId { get; set; }

    public Guid JobId { get; set; }

    public int Number { get; set; }

    public string? Provider { get; set; }

    public string? Meter { get; set; }

    public long Units { get; set; }

    public DateTime LaunchedAt { get; set; }
}

/// <summary>A workspace's own template: a copy of a built-in one, edited, or built from scratch.</summary>
public sealed class WorkflowTemplate : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The built-in template it was copied from, if any.</summary>
    public string? BasedOn { get; set; }

    /// <summary>The <see cref="WorkflowDefinition"/> as JSON.</summary>
    public required string DefinitionJson { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
