namespace CommerceOS.Core.Workflows;

/// <summary>The DAG rules, on steps in memory: shared by the engine (stored runs) and by starting a run (new rows).</summary>
public static class WorkflowResolution
{
    /// <summary>
    /// Moves pending steps on until nothing changes: ready when every dependency is final and satisfied (succeeded, or
    /// optional), skipped when a required dependency ended any other way. Mutates the steps; returns those it changed.
    /// </summary>
    public static List<WorkflowStep> Advance(IReadOnlyList<WorkflowStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var byKey = steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var changed = new List<WorkflowStep>();
        bool progressed;
        do
        {
            progressed = false;
            foreach (var step in steps.Where(s => s.Status == WorkflowStepStatus.Pending))
            {
                var dependencies = WorkflowJson.Strings(step.DependsOnJson).Select(k => byKey[k]).ToList();
                var blocking = dependencies.FirstOrDefault(d => d.IsFinal && d.Status != WorkflowStepStatus.Succeeded && !d.Optional);
                if (blocking is not null)
                {
                    step.Status = WorkflowStepStatus.Skipped;
                    step.Error = WorkflowErrors.DependencyFailed;
                    step.ErrorArgsJson = WorkflowJson.Write(new[] { blocking.Key });
                }
                else if (dependencies.All(d => d.IsFinal))
                {
                    step.Status = WorkflowStepStatus.Ready;
                    step.Error = null;
                    step.ErrorArgsJson = null;
                }
                else
                {
                    continue;
                }

                if (!changed.Contains(step))
                {
                    changed.Add(step);
                }

                progressed = true;
            }
        }
        while (progressed);
        return changed;
    }

    /// <summary>
    /// A run's status from its steps: finished when every step is final (failed if a required step did not succeed),
    /// awaiting approval when only a gate holds it, else running.
    /// </summary>
    public static WorkflowRunStatus RunStatus(IReadOnlyList<WorkflowStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.All(s => s.IsFinal))
        {
            return steps.Any(s => !s.Optional && s.Status != WorkflowStepStatus.Succeeded) ? WorkflowRunStatus.Failed : WorkflowRunStatus.Succeeded;
        }

        var moving = steps.Any(s => s.Status is WorkflowStepStatus.Ready or WorkflowStepStatus.Active);
        return !moving && steps.Any(s => s.Status == WorkflowStepStatus.AwaitingApproval) ? WorkflowRunStatus.AwaitingApproval : WorkflowRunStatus.Running;
    }
}
